#include "core/json_text.hpp"

#include <nlohmann/json.hpp>

namespace netops {

void append_json_string(std::string& out, std::string_view s) {
  // Printable ASCII other than the quote and the backslash is written as is; anything else (escapes,
  // control characters, UTF-8, invalid bytes) the way nlohmann::json writes it.
  for (unsigned char c : s)
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
  out += '"';
  out.append(s);
  out += '"';
}

}  // namespace netops
