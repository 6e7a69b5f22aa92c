#pragma once
// Text checks shared by the framework. Text that reaches PostgreSQL from outside (CSV files, URL parameters,
// headers): PostgreSQL refuses bytes that are not UTF-8 and libpq cuts a value at NUL, so such text is either
// refused or cleaned before it is stored. HTTP names: case-insensitive comparison and the token rule.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace netops {

// Offset of the first byte that is not well-formed UTF-8 (overlong forms, surrogates and code points
// beyond U+10FFFF included) or is NUL, which PostgreSQL text cannot hold; nullopt when the text is clean.
std::optional<std::size_t> invalid_text_at(std::string_view text);

// `s` with every byte that is not part of well-formed UTF-8 (and every NUL) replaced by '?', cut to at most
// max_bytes without splitting a character.
std::string clean_text(std::string_view s, std::size_t max_bytes);

// ASCII case-insensitive equality (HTTP header names, content codings).
bool iequals(std::string_view a, std::string_view b);

// An HTTP token (RFC 9110 tchar: letters, digits and !#$%&'*+-.^_`|~), as a method or header name must be.
bool is_http_token(std::string_view s);

}  // namespace netops
