#pragma once
// What an API key may do (SPEC §2: a key is limited to the OpenAI/Anthropic-compatible endpoints and MCP
// unless its scopes grant more, and never manages keys or users). Every route carries the one scope it
// needs (RouteSpec::scope_); the pipeline checks it for requests authenticated with a key.
#include <string>
#include <string_view>
#include <vector>

namespace netops::http {

// The vocabulary accepted in POST /api/keys "scopes".
//   completions  /v1/*, /api/completions (the default of a key created without scopes)
//   mcp          /mcp (also a default)
//   chat         /api/chat, /api/conversations*
//   read         GET on the operations modules under /api/v1/
//   write        other methods on the operations modules under /api/v1/
const std::vector<std::string>& api_key_scopes();
bool valid_scope(std::string_view s);
// The scopes of a key created with an empty list.
const std::vector<std::string>& default_key_scopes();
// Route scope meaning "any API key" (GET /api/auth/me); not a scope a key can be given.
inline constexpr std::string_view kAnyKey = "*";
// The scope a route needs when it declares none, by method and path template; "" = no API keys.
std::string default_scope(std::string_view method, std::string_view path);
// Key and user management (/api/keys*, /api/admin/users*, /api/auth/* but /api/auth/me): never reachable
// with a key.
bool key_management_path(std::string_view path);

}  // namespace netops::http
