#pragma once
// JSON text written straight into a string, without building a DOM, for hot paths whose shape is fixed (the
// model name put into a forwarded body). Strings come out exactly as nlohmann::json dumps them with
// error_handler_t::replace (invalid UTF-8 becomes U+FFFD), so a reader cannot tell the two apart.
#include <string>
#include <string_view>

namespace netops {

// Appends `s` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

}  // namespace netops
