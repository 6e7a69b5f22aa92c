#include "core/text.hpp"

#include <algorithm>

namespace netops {

std::optional<std::size_t> invalid_text_at(std::string_view text) {
  const auto* b = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0, n = text.size();
  while (i < n) {
    unsigned char c = b[i];
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len == 0 || c > 0xF4 || i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k)
      if ((b[i + k] & 0xC0) != 0x80) return i;
    // Overlong three/four-byte forms, UTF-16 surrogates, and beyond U+10FFFF.
    if ((c == 0xE0 && b[i + 1] < 0xA0) || (c == 0xED && b[i + 1] >= 0xA0) || (c == 0xF0 && b[i + 1] < 0x90) ||
        (c == 0xF4 && b[i + 1] >= 0x90))
      return i;
    i += len;
  }
  return std::nullopt;
}

std::string clean_text(std::string_view s, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(s.size(), max_bytes));
  while (out.size() < max_bytes && !s.empty()) {
    auto bad = invalid_text_at(s);
    std::size_t good = bad ? *bad : s.size();
    out.append(s.substr(0, good));
    if (!bad) break;
    out.push_back('?');
    s.remove_prefix(good + 1);
  }
  if (out.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x != y && ((x | 0x20) != (y | 0x20) || (x | 0x20) < 'a' || (x | 0x20) > 'z')) return false;
  }
  return true;
}

bool is_http_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c <= ' ' || c >= 0x7f || std::string_view("()<>@,;:\\\"/[]?={}").find(static_cast<char>(c)) !=
                                     std::string_view::npos)
      return false;
  return true;
}

}  // namespace netops
