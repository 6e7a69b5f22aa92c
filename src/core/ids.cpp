#include "core/ids.hpp"

#include <sodium.h>

#include <array>
#include <chrono>
#include <cstdint>

namespace netops {

namespace {
// A per-thread ChaCha20 keystream keyed once from the OS generator: as unpredictable as randombytes_buf,
// without its getrandom(2) call on every id (one per request, for the request id).
void fast_random(unsigned char* out, std::size_t n) {
  struct Stream {
    std::array<unsigned char, crypto_stream_chacha20_ietf_KEYBYTES> key;
    std::uint64_t counter = 0;
    Stream() { randombytes_buf(key.data(), key.size()); }
  };
  thread_local Stream s;
  std::array<unsigned char, crypto_stream_chacha20_ietf_NONCEBYTES> nonce{};
  for (std::size_t i = 0; i < 8; ++i) nonce[i] = static_cast<unsigned char>(s.counter >> (8 * i));
  ++s.counter;
  crypto_stream_chacha20_ietf(out, n, nonce.data(), s.key.data());
}
}  // namespace

namespace {
std::string canonical(std::array<unsigned char, 16>& b, unsigned version) {
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | (version << 4));
  b[8] = (b[8] & 0x3f) | 0x80;
  static const char* hex = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(hex[b[i] >> 4]);
    s.push_back(hex[b[i] & 0xf]);
  }
  return s;
}
}  // namespace

std::string new_uuid() {
  std::array<unsigned char, 16> b;
  fast_random(b.data(), b.size());
  return canonical(b, 4);
}

std::string new_uuid_v7() {
  std::array<unsigned char, 16> b;
  fast_random(b.data(), b.size());
  auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  return canonical(b, 7);
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::string random_token(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string sha256_hex(std::string_view data) {
  // libsodium's, not OpenSSL's SHA256(): OpenSSL 3 looks the algorithm up on every one-shot call, which cost
  // ~2 % of a gateway request (an API key is hashed on each one).
  unsigned char md[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(md, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  static const char* hex = "0123456789abcdef";
  std::string s;
  s.reserve(64);
  for (unsigned char c : md) {
    s.push_back(hex[c >> 4]);
    s.push_back(hex[c & 0xf]);
  }
  return s;
}

}  // namespace netops
