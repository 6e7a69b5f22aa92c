#include "core/secretbox.hpp"

#include <sodium.h>

#include <array>

namespace netops::secretbox {

namespace {
constexpr std::string_view kPrefix = "v1:";
using Key = std::array<unsigned char, crypto_secretbox_KEYBYTES>;

// Wiped on scope exit so the raw key does not linger on the stack.
struct KeyGuard {
  Key key{};
  ~KeyGuard() { sodium_memzero(key.data(), key.size()); }
};

void decode_key(std::string_view hex, Key& out) {
  std::size_t len = 0;
  if (hex.size() != out.size() * 2 ||
      sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != out.size())
    throw SecretError("master key must be 64 hex characters (32 bytes)");
}
}  // namespace

std::string seal(std::string_view plaintext, std::string_view master_key_hex) {
  if (sodium_init() < 0) throw SecretError("libsodium failed to initialise");
  KeyGuard k;
  decode_key(master_key_hex, k.key);
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), nonce, k.key.data());
  std::string b64(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), nonce, box.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(b64.size() - 1);  // the encoder's terminating NUL
  return std::string(kPrefix) + b64;
}

std::string open(std::string_view sealed, std::string_view master_key_hex) {
  if (!is_sealed(sealed)) throw SecretError("not a sealed value (expected the v1: format)");
  auto b64 = sealed.substr(kPrefix.size());
  std::string box(b64.size(), '\0');  // base64 decodes to fewer bytes than it has characters
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), b64.data(), b64.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    throw SecretError("sealed value is malformed");
  KeyGuard k;
  decode_key(master_key_hex, k.key);
  const auto* nonce = reinterpret_cast<const unsigned char*>(box.data());
  std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), nonce + crypto_secretbox_NONCEBYTES,
                                 len - crypto_secretbox_NONCEBYTES, nonce, k.key.data()) != 0)
    throw SecretError("sealed value does not authenticate (tampered, or sealed under another master key)");
  return plain;
}

bool is_sealed(std::string_view value) { return value.substr(0, kPrefix.size()) == kPrefix; }

std::string key_hint(std::string_view key) {
  static constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // "…"
  if (key.size() >= 12) return std::string(key.substr(0, 3)) + std::string(kEllipsis) + std::string(key.substr(key.size() - 4));
  return std::string(kEllipsis) + std::string(key.size() >= 2 ? key.substr(key.size() - 2) : std::string_view());
}

}  // namespace netops::secretbox
