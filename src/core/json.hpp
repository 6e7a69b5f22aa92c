#pragma once
// JSON from outside (request bodies, upstream answers, tool-call arguments, tokens) is parsed only here.
// nlohmann parses iteratively, but copying or dump()ing a value recurses once per nesting level, so a
// body of ~60,000 '[' would overflow a worker's stack later: nesting is bounded before parsing.
#include <nlohmann/json.hpp>
#include <cstdint>
#include <string_view>

namespace netops {

// Deeper than this is refused everywhere (SPEC §2: bad input gets a 400, never a crash).
constexpr int kMaxJsonDepth = 64;

// True when no object/array in `text` nests deeper than max_depth (strings are skipped, so brackets
// inside them do not count). Linear, no allocation; meaningful for well-formed JSON, harmless otherwise.
bool json_depth_within(std::string_view text, int max_depth = kMaxJsonDepth);

// True when a string in `text` holds the escape \u0000 (JSON's only way to carry NUL): PostgreSQL text
// cannot store NUL, and libpq would silently cut the value there. An escaped backslash before "u0000" is
// plain text and does not count.
bool json_has_nul(std::string_view text);

// Parses `text`; a discarded value (is_discarded()) when it is malformed or nests deeper than max_depth.
nlohmann::json parse_json(std::string_view text, int max_depth = kMaxJsonDepth);

// A request body that must be a JSON object: 400 VALIDATION_ERROR on field "body" saying why otherwise
// (empty, nested too deeply, malformed, not an object). `what` completes "must be a JSON object…".
// Bodies up to 64 KiB are lexed by simdjson (several times faster on the long strings of a chat request)
// and converted to the value nlohmann would have built; anything simdjson refuses goes to nlohmann, so
// what is accepted, and every error, stays nlohmann's (unit test and the completion_body fuzz target).
nlohmann::json parse_json_object(std::string_view body, std::string_view what = "");

// Readers for values from outside (request bodies, upstream answers): the member's value when `obj` is an
// object holding `key` with the right type, `fallback` otherwise. They never throw — unlike
// json::value(key, default), which throws when the member is there with another type, so
// {"type": {…}} where a string belongs would become a 500 (or, off a request, an exception nobody catches).
inline std::string_view string_member(const nlohmann::json& obj, const char* key, std::string_view fallback = {}) {
  if (!obj.is_object()) return fallback;
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>()) : fallback;
}
inline std::int64_t integer_member(const nlohmann::json& obj, const char* key, std::int64_t fallback = 0) {
  if (!obj.is_object()) return fallback;
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if (it->is_number_unsigned())
    return it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX) ? fallback : it->get<std::int64_t>();
  return it->is_number_integer() ? it->get<std::int64_t>() : fallback;
}

}  // namespace netops
