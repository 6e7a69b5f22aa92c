#pragma once
// Secrets at rest (provider API keys): XSalsa20-Poly1305 (libsodium crypto_secretbox) under the 32-byte
// NETOPS_MASTER_KEY, a fresh random nonce per value, stored as "v1:" + base64(nonce || ciphertext).
// The version prefix lets a later format (or key rotation) coexist with rows written today.
// Nothing here logs, and no exception message quotes a plaintext or a key.
#include <stdexcept>
#include <string>
#include <string_view>

namespace netops::secretbox {

class SecretError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// master_key_hex: 64 hex characters. Throws SecretError for a malformed master key.
std::string seal(std::string_view plaintext, std::string_view master_key_hex);
// Throws SecretError when the value is malformed, was sealed under another key, or was tampered with.
std::string open(std::string_view sealed, std::string_view master_key_hex);
bool is_sealed(std::string_view value);  // has the "v1:" prefix

// What an operator may see of a key: "sk-…abcd" (first 3 + "…" + last 4); keys shorter than 12
// characters show only "…" + their last 2, so a short secret is not mostly revealed.
std::string key_hint(std::string_view key);

}  // namespace netops::secretbox
