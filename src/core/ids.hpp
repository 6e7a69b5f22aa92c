#pragma once
#include <string>
#include <string_view>

namespace netops {
std::string new_uuid();                       // random (v4), lower-case, canonical form
bool is_uuid(std::string_view s);             // canonical 8-4-4-4-12 hex form
std::string random_token(std::size_t bytes);  // url-safe base64 of `bytes` random bytes
std::string sha256_hex(std::string_view data);
}  // namespace netops
