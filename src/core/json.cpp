#include "core/json.hpp"

#include <cstring>
#include <string>

#include "core/error.hpp"

namespace netops {

bool json_depth_within(std::string_view text, int max_depth) {
  int depth = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    char c = *p++;
    if (c == '"') {  // skip the string: up to the next quote that is not escaped
      for (;;) {
        const void* q = std::memchr(p, '"', static_cast<std::size_t>(end - p));
        if (!q) return true;  // unterminated: the parser will refuse it
        const char* quote = static_cast<const char*>(q);
        std::size_t backslashes = 0;
        for (const char* b = quote; b > p && b[-1] == '\\'; --b) ++backslashes;
        p = quote + 1;
        if (backslashes % 2 == 0) break;
      }
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

bool json_has_nul(std::string_view text) {
  for (auto at = text.find("u0000"); at != std::string_view::npos; at = text.find("u0000", at + 5)) {
    std::size_t backslashes = 0;
    while (backslashes < at && text[at - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 1) return true;
  }
  return false;
}

nlohmann::json parse_json(std::string_view text, int max_depth) {
  if (!json_depth_within(text, max_depth)) return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

nlohmann::json parse_json_object(std::string_view body, std::string_view what) {
  std::string suffix = what.empty() ? std::string() : " (" + std::string(what) + ")";
  if (body.empty()) throw ValidationError("body", "a JSON object is required" + suffix);
  if (!json_depth_within(body, kMaxJsonDepth))
    throw ValidationError("body", "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) throw ValidationError("body", "malformed JSON" + suffix);
  if (!parsed.is_object()) throw ValidationError("body", "must be a JSON object" + suffix);
  return parsed;
}

}  // namespace netops
