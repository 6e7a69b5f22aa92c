#pragma once
#include <string>
#include <string_view>

namespace netops {
std::string new_uuid();                       // random (v4), lower-case, canonical form
// Time-ordered (v7, RFC 9562): the Unix time in milliseconds, then 74 random bits. Ids made later sort
// after earlier ones (same millisecond: in any order), so an index over them grows at its right edge like
// one over a timestamp instead of taking each new key on a random page.
std::string new_uuid_v7();
bool is_uuid(std::string_view s);             // canonical 8-4-4-4-12 hex form
std::string random_token(std::size_t bytes);  // url-safe base64 of `bytes` random bytes
std::string sha256_hex(std::string_view data);
}  // namespace netops
