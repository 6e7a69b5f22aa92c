#include "core/json.hpp"

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace netops {

namespace {

// simdjson's DOM as the value nlohmann's own parser builds from the same text: non-negative integers
// unsigned, negative ones signed, a repeated key's last value kept. Depth is bounded by the caller.
nlohmann::json from_simdjson(simdjson::dom::element e) {
  using Type = simdjson::dom::element_type;
  const auto discarded = nlohmann::json(nlohmann::json::value_t::discarded);
  switch (e.type()) {
    case Type::OBJECT: {
      simdjson::dom::object object;
      if (e.get(object) != simdjson::SUCCESS) return discarded;
      nlohmann::json out(nlohmann::json::value_t::object);
      for (simdjson::dom::key_value_pair field : object) {
        auto value = from_simdjson(field.value);
        if (value.is_discarded()) return discarded;
        out[std::string(field.key)] = std::move(value);
      }
      return out;
    }
    case Type::ARRAY: {
      simdjson::dom::array array;
      if (e.get(array) != simdjson::SUCCESS) return discarded;
      nlohmann::json out(nlohmann::json::value_t::array);
      for (simdjson::dom::element child : array) {
        auto value = from_simdjson(child);
        if (value.is_discarded()) return discarded;
        out.push_back(std::move(value));
      }
      return out;
    }
    case Type::STRING: {
      std::string_view s;
      if (e.get(s) != simdjson::SUCCESS) return discarded;
      return std::string(s);
    }
    case Type::INT64: {
      std::int64_t v = 0;
      if (e.get(v) != simdjson::SUCCESS) return discarded;
      if (v >= 0) return static_cast<std::uint64_t>(v);
      return v;
    }
    case Type::UINT64: {
      std::uint64_t v = 0;
      if (e.get(v) != simdjson::SUCCESS) return discarded;
      return v;
    }
    case Type::DOUBLE: {
      double v = 0;
      if (e.get(v) != simdjson::SUCCESS) return discarded;
      return v;
    }
    case Type::BOOL: {
      bool v = false;
      if (e.get(v) != simdjson::SUCCESS) return discarded;
      return v;
    }
    case Type::NULL_VALUE: return nullptr;
  }
  return discarded;
}

// Bodies up to this size are lexed by simdjson (several times faster than nlohmann's byte-at-a-time lexer on
// the long strings of a chat request); its parser keeps the capacity of the largest one per thread.
constexpr std::size_t kFastParseMax = 64 * 1024;

// The value of `text` when simdjson accepts it; nullopt otherwise — then nlohmann decides, so what is
// refused and the error it gets stay nlohmann's (simdjson also refuses integers beyond 64 bits, which
// nlohmann reads as doubles).
std::optional<nlohmann::json> parse_fast(std::string_view text) {
  if (text.size() > kFastParseMax) return std::nullopt;
  thread_local simdjson::dom::parser parser;
  thread_local std::string padded;  // simdjson reads up to SIMDJSON_PADDING bytes past the end
  padded.assign(text.data(), text.size());
  padded.resize(text.size() + simdjson::SIMDJSON_PADDING, '\0');
  simdjson::dom::element root;
  if (parser.parse(padded.data(), text.size(), false).get(root) != simdjson::SUCCESS) return std::nullopt;
  auto out = from_simdjson(root);
  if (out.is_discarded()) return std::nullopt;
  return out;
}

}  // namespace

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
  auto fast = parse_fast(body);
  auto parsed = fast ? std::move(*fast) : nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) throw ValidationError("body", "malformed JSON" + suffix);
  if (!parsed.is_object()) throw ValidationError("body", "must be a JSON object" + suffix);
  return parsed;
}

}  // namespace netops
