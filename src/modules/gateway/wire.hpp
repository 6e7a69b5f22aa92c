#pragma once
// OpenAI-format bodies passed through as bytes. The client already speaks the upstream's format, so instead
// of parse → copy → modify → serialise (a deep copy and a dump per request, milliseconds for an 8 MiB body
// with images), the gateway edits the received bytes in place: it replaces the top-level "model" value and,
// for streams, inserts stream_options. Anything unusual (escaped top-level keys, a client-supplied
// stream_options, malformed text) returns nullopt and the caller takes the JSON route instead.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace netops::gateway {

struct Span {
  std::size_t begin = 0, end = 0;  // [begin, end) of the value's bytes
};

struct TopLevel {
  bool ok = false;             // the text is one JSON object whose top-level keys could all be read
  std::optional<Span> model;   // value of "model"
  bool has_stream = false;
  std::optional<Span> stream;  // value of "stream"
  bool has_stream_options = false;
  std::size_t open = 0;        // position of the opening '{'
};

// Scans the top level of a JSON object (nested values are skipped, not parsed).
TopLevel scan_top_level(std::string_view text);

// Reading JSON text without parsing it. Each takes i at the first byte of what it reads and leaves it after.
void skip_ws(std::string_view t, std::size_t& i);
// i at an opening quote; *escaped set when the string holds a backslash; false when unterminated.
bool skip_string(std::string_view t, std::size_t& i, bool* escaped = nullptr);
// Any value (strings, objects and arrays skipped by their delimiters, not validated); false when truncated.
bool skip_value(std::string_view t, std::size_t& i);
// The literal null at t[i]: true and i after it; false (i unchanged) when the value is anything else.
bool skip_null(std::string_view t, std::size_t& i);

// The items between open and close at t[i] (after optional white space), separated by commas: item() is
// called with i at each item (white space skipped) and must leave i after it, returning false to give up.
// False when the text does not open with open, an item gave up or a separator is missing; on true, i is
// after close.
template <class Item>
bool each_item(std::string_view t, std::size_t& i, char open, char close, Item&& item) {
  skip_ws(t, i);
  if (i >= t.size() || t[i] != open) return false;
  ++i;
  skip_ws(t, i);
  if (i < t.size() && t[i] == close) {
    ++i;
    return true;
  }
  for (;;) {
    skip_ws(t, i);
    if (!item()) return false;
    skip_ws(t, i);
    if (i < t.size() && t[i] == ',') {
      ++i;
      continue;
    }
    if (i < t.size() && t[i] == close) {
      ++i;
      return true;
    }
    return false;
  }
}

// The members of the object at t[i] (after optional white space): for each, read(key) is called with i at
// the value and must leave i after it (skip_value, or its own reading), returning false to give up. False
// when the text is not an object, a key is escaped (it might spell any name) or read gave up; i is then
// anywhere. On true, i is after the closing brace.
template <class Read>
bool each_member(std::string_view t, std::size_t& i, Read&& read) {
  return each_item(t, i, '{', '}', [&] {
    if (i >= t.size() || t[i] != '"') return false;
    const std::size_t key_start = i + 1;
    bool escaped = false;
    if (!skip_string(t, i, &escaped) || escaped) return false;
    const std::string_view key = t.substr(key_start, i - 1 - key_start);
    skip_ws(t, i);
    if (i >= t.size() || t[i] != ':') return false;
    ++i;
    skip_ws(t, i);
    return static_cast<bool>(read(key));
  });
}

// The elements of the array at t[i] (after optional white space): read(n) is called with i at element n
// (0, 1, …) and must leave i after it, returning false to give up. False when the text is not an array or
// read gave up; on true, i is after the closing bracket.
template <class Read>
bool each_element(std::string_view t, std::size_t& i, Read&& read) {
  std::size_t n = 0;
  return each_item(t, i, '[', ']', [&] { return static_cast<bool>(read(n++)); });
}

// The client's body for an OpenAI-compatible upstream: "model" = upstream_model; streams get
// "stream_options":{"include_usage":true}; a non-stream body may carry "stream":false but nothing else of
// streaming. nullopt → use openai_request() instead.
std::optional<std::string> openai_body_bytes(std::string_view client_body, std::string_view upstream_model,
                                             bool stream);

// An upstream chat.completion with its top-level "model" value replaced; nullopt when it has none.
std::optional<std::string> with_model(std::string_view body, std::string_view model);

}  // namespace netops::gateway
