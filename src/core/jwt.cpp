#include "core/jwt.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/json.hpp"

namespace netops::jwt {

std::string_view failure_text(Failure f) {
  switch (f) {
    case Failure::malformed: return "malformed token";
    case Failure::bad_algorithm: return "unsupported token algorithm";
    case Failure::bad_signature: return "invalid token signature";
    case Failure::expired: return "token expired";
  }
  return "invalid token";
}

std::string base64url_encode(std::string_view in) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    std::uint32_t v = (std::uint8_t(in[i]) << 16) | (std::uint8_t(in[i + 1]) << 8) | std::uint8_t(in[i + 2]);
    out += tbl[v >> 18];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += tbl[v & 63];
  }
  if (i + 1 == in.size()) {
    std::uint32_t v = std::uint8_t(in[i]) << 16;
    out += tbl[v >> 18];
    out += tbl[(v >> 12) & 63];
  } else if (i + 2 == in.size()) {
    std::uint32_t v = (std::uint8_t(in[i]) << 16) | (std::uint8_t(in[i + 1]) << 8);
    out += tbl[v >> 18];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view in) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = val(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  // Leftover bits must be zero, so every token has exactly one encoding.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

namespace {
std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), md, &len);
  return std::string(reinterpret_cast<char*>(md), len);
}
const std::string& header_b64() {
  static const std::string h = base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  return h;
}
}  // namespace

std::string sign(const nlohmann::json& claims, std::string_view secret) {
  std::string signing_input = header_b64() + "." + base64url_encode(claims.dump());
  return signing_input + "." + base64url_encode(hmac_sha256(secret, signing_input));
}

Verified verify(std::string_view token, std::string_view secret, std::int64_t now_s) {
  Verified out;
  auto d1 = token.find('.');
  auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d1 == std::string_view::npos || d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos ||
      token.size() > 8192) {
    out.failure = Failure::malformed;
    return out;
  }
  auto header_raw = base64url_decode(token.substr(0, d1));
  auto payload_raw = base64url_decode(token.substr(d1 + 1, d2 - d1 - 1));
  auto sig = base64url_decode(token.substr(d2 + 1));
  if (!header_raw || !payload_raw || !sig) {
    out.failure = Failure::malformed;
    return out;
  }
  auto header = parse_json(*header_raw);
  auto payload = parse_json(*payload_raw);
  if (header.is_discarded() || !header.is_object() || payload.is_discarded() || !payload.is_object()) {
    out.failure = Failure::malformed;
    return out;
  }
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || *alg != "HS256") {
    out.failure = Failure::bad_algorithm;
    return out;
  }
  auto expected = hmac_sha256(secret, token.substr(0, d2));
  if (sig->size() != expected.size() || CRYPTO_memcmp(sig->data(), expected.data(), expected.size()) != 0) {
    out.failure = Failure::bad_signature;
    return out;
  }
  auto exp = payload.find("exp");
  if (exp == payload.end() || !exp->is_number_integer()) {
    out.failure = Failure::malformed;
    return out;
  }
  if (exp->get<std::int64_t>() <= now_s) {
    out.failure = Failure::expired;
    return out;
  }
  out.claims = std::move(payload);
  return out;
}

}  // namespace netops::jwt
