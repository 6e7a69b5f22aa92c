#include "http/scopes.hpp"

#include <algorithm>

namespace netops::http {

namespace {
bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
// "/a/b" is under "/a" (itself or a sub-path), "/ab" is not.
bool under(std::string_view path, std::string_view prefix) {
  return path == prefix || (starts_with(path, prefix) && path.size() > prefix.size() && path[prefix.size()] == '/');
}
}  // namespace

const std::vector<std::string>& api_key_scopes() {
  static const std::vector<std::string> v = {"completions", "mcp", "chat", "read", "write"};
  return v;
}

bool valid_scope(std::string_view s) {
  const auto& v = api_key_scopes();
  return std::find(v.begin(), v.end(), s) != v.end();
}

const std::vector<std::string>& default_key_scopes() {
  static const std::vector<std::string> v = {"completions", "mcp"};
  return v;
}

bool key_management_path(std::string_view path) {
  if (path == "/api/auth/me") return false;  // who am I: read-only, harmless for any key
  return under(path, "/api/keys") || under(path, "/api/admin/users") || under(path, "/api/auth");
}

std::string default_scope(std::string_view method, std::string_view path) {
  if (path == "/api/auth/me") return std::string(kAnyKey);
  if (key_management_path(path)) return "";
  if (under(path, "/v1") || under(path, "/api/completions")) return "completions";
  if (under(path, "/mcp")) return "mcp";
  if (under(path, "/api/chat") || under(path, "/api/conversations")) return "chat";
  if (under(path, "/api/v1")) return (method == "GET" || method == "HEAD") ? "read" : "write";
  return "";
}

}  // namespace netops::http
