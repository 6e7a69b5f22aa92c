#pragma once
// Text from headers that is stored (user agents in sessions and audit rows): PostgreSQL refuses bytes that
// are not UTF-8 and libpq cuts at NUL, so a bad header must neither fail the request nor be stored as is.
#include <string>
#include <string_view>

namespace netops {

// `s` with every byte that is not part of well-formed UTF-8 (and every NUL) replaced by '?', cut to at most
// max_bytes without splitting a character.
std::string clean_text(std::string_view s, std::size_t max_bytes);

}  // namespace netops
