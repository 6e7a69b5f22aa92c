#include "modules/gateway/wire.hpp"

#include <cstring>

#include "core/json_text.hpp"

namespace netops::gateway {

namespace {
bool ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace

void skip_ws(std::string_view t, std::size_t& i) {
  while (i < t.size() && ws(t[i])) ++i;
}

// i at an opening quote → i after the closing quote; false when unterminated. memchr finds each quote (the
// bodies are mostly message text); a quote after an odd run of backslashes is escaped and skipped.
bool skip_string(std::string_view t, std::size_t& i, bool* escaped) {
  const char* base = t.data();
  const std::size_t n = t.size();
  ++i;
  while (i < n) {
    const void* q = std::memchr(base + i, '"', n - i);
    if (!q) break;
    const auto at = static_cast<std::size_t>(static_cast<const char*>(q) - base);
    if (escaped && std::memchr(base + i, '\\', at - i)) *escaped = true;
    std::size_t k = at;
    while (k > i && base[k - 1] == '\\') --k;
    i = at + 1;
    if ((at - k) % 2 == 0) return true;
  }
  i = n;
  return false;
}

// i at the first byte of a value → i after it; false when malformed or truncated.
bool skip_value(std::string_view t, std::size_t& i) {
  if (i >= t.size()) return false;
  char c = t[i];
  if (c == '"') return skip_string(t, i);
  if (c == '{' || c == '[') {
    int depth = 0;
    while (i < t.size()) {
      char d = t[i];
      if (d == '"') {
        if (!skip_string(t, i)) return false;
        continue;
      }
      if (d == '{' || d == '[') ++depth;
      else if (d == '}' || d == ']') {
        ++i;
        if (--depth == 0) return true;
        continue;
      }
      ++i;
    }
    return false;
  }
  std::size_t start = i;  // number, true, false, null
  while (i < t.size() && !ws(t[i]) && t[i] != ',' && t[i] != '}' && t[i] != ']') ++i;
  return i > start;
}

bool skip_null(std::string_view t, std::size_t& i) {
  if (t.compare(i, 4, "null") != 0) return false;
  i += 4;
  return true;
}

TopLevel scan_top_level(std::string_view t) {
  TopLevel out;
  std::size_t i = 0;
  skip_ws(t, i);
  out.open = i;
  bool ok = each_member(t, i, [&](std::string_view key) {
    Span v{i, i};
    if (!skip_value(t, i)) return false;
    v.end = i;
    if (key == "model") out.model = v;
    else if (key == "stream") {
      out.has_stream = true;
      out.stream = v;
    } else if (key == "stream_options") out.has_stream_options = true;
    return true;
  });
  skip_ws(t, i);
  out.ok = ok && i == t.size();
  return out;
}

std::optional<std::string> openai_body_bytes(std::string_view body, std::string_view upstream_model, bool stream) {
  TopLevel top = scan_top_level(body);
  if (!top.ok || top.has_stream_options) return std::nullopt;
  if (!stream && top.stream && body.substr(top.stream->begin, top.stream->end - top.stream->begin) != "false")
    return std::nullopt;
  if (stream && (!top.stream || body.substr(top.stream->begin, top.stream->end - top.stream->begin) != "true"))
    return std::nullopt;
  std::string model;
  append_json_string(model, upstream_model);
  std::string out;
  out.reserve(body.size() + model.size() + 48);
  std::size_t after_open = top.open + 1;
  out.append(body.substr(0, after_open));
  // Inserted members go first, each followed by a comma: the object is known to be non-empty or to get them.
  bool empty = body.find_first_not_of(" \t\r\n", after_open) == body.find('}', after_open);
  std::string inserted;
  if (!top.model) inserted += "\"model\":" + model + ",";
  if (stream) inserted += "\"stream_options\":{\"include_usage\":true},";
  if (empty && !inserted.empty()) inserted.pop_back();
  out += inserted;
  if (top.model) {
    out.append(body.substr(after_open, top.model->begin - after_open));
    out += model;
    out.append(body.substr(top.model->end));
  } else {
    out.append(body.substr(after_open));
  }
  return out;
}

std::optional<std::string> with_model(std::string_view body, std::string_view model) {
  TopLevel top = scan_top_level(body);
  if (!top.ok || !top.model) return std::nullopt;
  std::string m;
  append_json_string(m, model);
  std::string out;
  out.reserve(body.size() + m.size());
  out.append(body.substr(0, top.model->begin)).append(m).append(body.substr(top.model->end));
  return out;
}

}  // namespace netops::gateway
