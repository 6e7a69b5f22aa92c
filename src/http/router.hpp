#pragma once
// One route table: every route is registered once at start-up with its method, path template
// ("/api/v1/assets/{id}"), minimum role and documentation. The same table answers matching (a trie
// on path segments), 404/405, and the OpenAPI document — so the docs cannot drift from the routes.
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/task.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace netops {
class AppError;
}

namespace netops::http {

using Handler = std::function<Task<Response>(Request&)>;

struct QueryParamDoc {
  std::string name;
  std::string type;  // OpenAPI type: string, integer, boolean
  std::string description;
};

struct ListSpec;

struct RouteSpec {
  std::string method;
  std::string path;
  Role min_role = Role::anonymous;
  Handler handler;
  std::string summary_;
  std::string tag_;
  nlohmann::json request_schema_;   // null = no body
  nlohmann::json response_schema_;  // null = generic object
  int success_status_ = 200;
  std::size_t body_limit_ = 0;      // 0 = the server default
  std::string body_to_file_;        // non-empty: the body is spooled into a file in this directory
  std::vector<QueryParamDoc> query_;
  bool needs_database_ = true;      // false for health, docs and metrics: served while starting up
  // The API-key scope this route needs (see http/scopes.hpp); empty = API keys may not use the route.
  // Router::add fills in the default for the path (default_scope); .scope() overrides it.
  std::string scope_;
  // What /docs/json states as the minimum role when the handler checks the caller itself (e.g. /metrics:
  // anonymous for the pipeline so a token can be checked, admin for a person); unset = min_role.
  std::optional<Role> documented_role_;
  // Renders this route's errors, the ones raised before its handler included (authentication, rate limit,
  // body too large, …: http::error_response and the server's own refusals); unset = the SPEC §2 envelope.
  // For routes whose clients parse another shape (e.g. /v1/messages: Anthropic's error object).
  using ErrorRenderer = std::function<Response(const AppError&, int status, const Request&)>;
  ErrorRenderer error_renderer_;

  RouteSpec& summary(std::string s) { summary_ = std::move(s); return *this; }
  RouteSpec& tag(std::string t) { tag_ = std::move(t); return *this; }
  RouteSpec& request(nlohmann::json schema) { request_schema_ = std::move(schema); return *this; }
  RouteSpec& response(nlohmann::json schema, int status = 200) {
    response_schema_ = std::move(schema);
    success_status_ = status;
    return *this;
  }
  RouteSpec& body_limit(std::size_t bytes) { body_limit_ = bytes; return *this; }
  // Large uploads: the body goes to a temp file in `dir` while it arrives (Request::body_file, removed
  // after the handler returns) instead of into Request::body.
  RouteSpec& body_to_file(std::string dir) { body_to_file_ = std::move(dir); return *this; }
  RouteSpec& no_database() { needs_database_ = false; return *this; }
  RouteSpec& scope(std::string s) { scope_ = std::move(s); return *this; }
  RouteSpec& documented_role(Role r) { documented_role_ = r; return *this; }
  RouteSpec& errors(ErrorRenderer r) { error_renderer_ = std::move(r); return *this; }
  // A list route: documents its filters, sort fields and paging (http/listing.hpp).
  RouteSpec& list(const ListSpec& spec);
  RouteSpec& query(std::string name, std::string type, std::string description) {
    query_.push_back({std::move(name), std::move(type), std::move(description)});
    return *this;
  }
};

struct Match {
  const RouteSpec* route = nullptr;                            // set when found
  std::vector<std::pair<std::string, std::string>> params;     // path parameters
  std::vector<std::string> allowed;                            // methods of the path when route is null
};

class Router {
 public:
  Router();
  ~Router();
  RouteSpec& add(std::string method, std::string path, Role min_role, Handler h);
  RouteSpec& get(std::string path, Role r, Handler h) { return add("GET", std::move(path), r, std::move(h)); }
  RouteSpec& post(std::string path, Role r, Handler h) { return add("POST", std::move(path), r, std::move(h)); }
  RouteSpec& put(std::string path, Role r, Handler h) { return add("PUT", std::move(path), r, std::move(h)); }
  RouteSpec& patch(std::string path, Role r, Handler h) { return add("PATCH", std::move(path), r, std::move(h)); }
  RouteSpec& del(std::string path, Role r, Handler h) { return add("DELETE", std::move(path), r, std::move(h)); }

  // route == nullptr and allowed empty → 404; allowed non-empty → 405 with Allow.
  Match match(std::string_view method, std::string_view path) const;
  const std::deque<RouteSpec>& routes() const { return routes_; }

 private:
  struct Node;
  std::deque<RouteSpec> routes_;
  std::unique_ptr<Node> root_;
};

}  // namespace netops::http
