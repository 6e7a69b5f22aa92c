#pragma once
// JSON text written straight into a string, without building a DOM: for hot paths whose shape is fixed
// (the usage rows every call produces). Strings come out exactly as nlohmann::json dumps them with
// error_handler_t::replace (invalid UTF-8 becomes U+FFFD), so a reader cannot tell the two apart.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace netops {

// Appends `s` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

// One object: members appended in call order; keys are trusted literals (not escaped). The closing brace is
// written by close() (or the destructor).
class JsonObjectText {
 public:
  explicit JsonObjectText(std::string& out) : out_(out) { out_ += '{'; }
  ~JsonObjectText() { close(); }
  JsonObjectText(const JsonObjectText&) = delete;
  JsonObjectText& operator=(const JsonObjectText&) = delete;

  JsonObjectText& str(std::string_view key, std::string_view v);
  JsonObjectText& opt_str(std::string_view key, const std::optional<std::string>& v);  // null when empty
  JsonObjectText& num(std::string_view key, std::int64_t v);
  JsonObjectText& opt_num(std::string_view key, const std::optional<double>& v);  // null when empty
  JsonObjectText& boolean(std::string_view key, bool v);
  JsonObjectText& null(std::string_view key);
  void close();

 private:
  void key(std::string_view k);
  std::string& out_;
  bool first_ = true;
  bool closed_ = false;
};

}  // namespace netops
