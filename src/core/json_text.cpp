#include "core/json_text.hpp"

#include <charconv>

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

void JsonObjectText::key(std::string_view k) {
  if (!first_) out_ += ',';
  first_ = false;
  out_ += '"';
  out_.append(k);
  out_ += "\":";
}

JsonObjectText& JsonObjectText::str(std::string_view k, std::string_view v) {
  key(k);
  append_json_string(out_, v);
  return *this;
}

JsonObjectText& JsonObjectText::opt_str(std::string_view k, const std::optional<std::string>& v) {
  if (!v) return null(k);
  return str(k, std::string_view(*v));
}

JsonObjectText& JsonObjectText::num(std::string_view k, std::int64_t v) {
  key(k);
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, end);
  return *this;
}

JsonObjectText& JsonObjectText::opt_num(std::string_view k, const std::optional<double>& v) {
  if (!v) return null(k);
  key(k);
  out_ += nlohmann::json(*v).dump();  // the shortest text that reads back as the same double (null if not finite)
  return *this;
}

JsonObjectText& JsonObjectText::boolean(std::string_view k, bool v) {
  key(k);
  out_ += v ? "true" : "false";
  return *this;
}

JsonObjectText& JsonObjectText::null(std::string_view k) {
  key(k);
  out_ += "null";
  return *this;
}

void JsonObjectText::close() {
  if (closed_) return;
  closed_ = true;
  out_ += '}';
}

}  // namespace netops
