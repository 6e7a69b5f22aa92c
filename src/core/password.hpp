#pragma once
// Argon2id password hashes (libsodium crypto_pwhash_str). Slow on purpose: call through Blocking.
#include <string>

namespace netops {
std::string hash_password(const std::string& password);
bool verify_password(const std::string& hash, const std::string& password);
std::string generate_password();  // 20 url-safe characters
}  // namespace netops
