#pragma once
// What a handler sees of an HTTP request. No Beast here: modules include only this.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netops::http {

enum class Role { anonymous = 0, user = 1, admin = 2, super_admin = 3 };
std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view s);

// Who is calling, set by the authenticator before the handler runs.
struct Actor {
  std::string user_id;
  Role role = Role::anonymous;
  std::string tier;
  std::string session_id;  // empty for API keys
  std::string api_key_id;  // empty for sessions
};

struct RouteSpec;

class Request {
 public:
  std::string method;
  std::string target;  // as received, with the query string
  std::string path;    // decoded path without the query string
  std::string body;
  std::string body_file;  // routes with body_to_file(): the body's temp file instead of `body`
  std::string request_id;
  std::string remote_ip;
  std::vector<std::pair<std::string, std::string>> headers;       // names lower-cased
  std::vector<std::pair<std::string, std::string>> path_params;   // from the route template
  std::vector<std::pair<std::string, std::string>> query_params;  // decoded, in order
  std::optional<Actor> actor;
  const RouteSpec* route = nullptr;
  // Headers that middleware wants on the response whatever it is (e.g. X-RateLimit-*).
  std::vector<std::pair<std::string, std::string>> response_headers;

  std::optional<std::string_view> header(std::string_view lower_name) const;
  std::string_view path_param(std::string_view name) const;
  std::string path_uuid(std::string_view name) const;  // 400 VALIDATION_ERROR unless a UUID
  std::optional<std::string> query(std::string_view name) const;
  // Integer query parameter within [min, max]; 400 naming the parameter otherwise.
  long long query_int(std::string_view name, long long fallback, long long min, long long max) const;
  std::optional<bool> query_bool(std::string_view name) const;

  // The body parsed as a JSON object; 400 VALIDATION_ERROR when malformed or not an object.
  const nlohmann::json& json() const;
  const Actor& actor_or_throw() const;  // 401 when unauthenticated

 private:
  mutable std::optional<nlohmann::json> json_;
};

// Splits "a=1&b=x%20y" into decoded pairs ('+' is a space).
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view qs);
std::string url_decode(std::string_view s);

}  // namespace netops::http
