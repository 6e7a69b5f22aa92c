#pragma once
// What a handler sees of an HTTP request. No Beast here: modules include only this.
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/caller.hpp"

namespace netops::http {

using Role = netops::Role;
using netops::parse_role;
using netops::role_name;
// Who is calling: set by the pipeline from the credential (identity) and the connection (request id,
// client address, user agent). The same type services receive as the caller.
using Actor = netops::Caller;

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
  std::chrono::steady_clock::time_point received{};  // when its first byte arrived (set by the server)
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
  std::optional<std::string> query_uuid(std::string_view name) const;  // 400 VALIDATION_ERROR unless a UUID
  // Integer query parameter within [min, max]; 400 naming the parameter otherwise.
  long long query_int(std::string_view name, long long fallback, long long min, long long max) const;
  std::optional<bool> query_bool(std::string_view name) const;

  // The body parsed as a JSON object; 400 VALIDATION_ERROR when malformed or not an object.
  const nlohmann::json& json() const;
  const Actor& actor_or_throw() const;  // 401 when unauthenticated
  // The caller as services see it: the authenticated actor, or an anonymous caller carrying the request
  // id, client address and user agent.
  Caller caller() const;
  // If-Match as the version the client expects (nullopt when absent or "*").
  std::optional<std::string> if_match() const;

 private:
  mutable std::optional<nlohmann::json> json_;
};

// Splits "a=1&b=x%20y" into decoded pairs ('+' is a space).
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view qs);
std::string url_decode(std::string_view s);

}  // namespace netops::http
