#pragma once
// Everything between "a request was read" and "a response is ready", independent of the wire:
// route match → prechecks → authentication → role and API-key scope check → middleware (rate limits)
// → handler → error envelope. The server runs the first part (admit) as soon as the headers are in,
// before it reads the body, so an unauthenticated caller costs no body bytes.
#include <functional>
#include <optional>
#include <vector>

#include "core/task.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace netops::http {

// Who the caller is; key_scopes is set when the credential was an API key (empty = the default scopes).
struct Credential {
  Actor actor;
  std::optional<std::vector<std::string>> key_scopes;
};

// Resolves the caller from the request (Authorization header). Returns nullopt when no credential was
// presented; throws AppError(unauthorized) for a bad one.
using Authenticator = std::function<Task<std::optional<Actor>>(Request&)>;
using CredentialAuthenticator = std::function<Task<std::optional<Credential>>(Request&)>;
// Runs after authentication for every matched route (e.g. the rate limiter); throws to refuse.
using Middleware = std::function<Task<void>(Request&)>;

class Pipeline {
 public:
  explicit Pipeline(const Router& router) : router_(router) {}
  void set_authenticator(Authenticator a);
  void set_authenticator(CredentialAuthenticator a) { authenticator_ = std::move(a); }
  void add_middleware(Middleware m) { middleware_.push_back(std::move(m)); }
  // Runs before authentication for routes that need the database (e.g. "not ready yet" → 503).
  void add_precheck(Middleware m) { prechecks_.push_back(std::move(m)); }
  // Answers a request that matches no route before it becomes a 404 (the web console's files, see
  // http/static_files.hpp); nullopt lets the 404/405 stand. Must not block: it runs on the event loop.
  using Fallback = std::function<std::optional<Response>(const Request&)>;
  void set_fallback(Fallback f) { fallback_ = std::move(f); }

  // Never throws: every failure becomes an error response with the SPEC §2 envelope.
  Task<Response> handle(Request& req, const Match& match) const;
  // The two halves of handle, for the server: admit needs only the request line and headers and answers
  // the refusal (404/405/503/401/403/429) or nullopt; respond runs the handler on the complete request.
  Task<std::optional<Response>> admit(Request& req, const Match& match) const;
  Task<Response> respond(Request& req) const;
  // The caller of a request outside the route table's own checks (e.g. /metrics); nullopt without a
  // credential, throws for a bad one.
  Task<std::optional<Credential>> authenticate(Request& req) const;
  const Router& router() const { return router_; }

 private:
  Task<void> run_admit(Request& req, const Match& match) const;
  const Router& router_;
  CredentialAuthenticator authenticator_;
  std::vector<Middleware> middleware_;
  std::vector<Middleware> prechecks_;
  Fallback fallback_;
};

// The answer to a failure of this request: the route's error renderer when it has one (req.route, set once
// the route matched), else the SPEC §2 envelope.
Response error_response(const std::exception_ptr& e, const Request& req);
Response error_response(const AppError& err, int status, const Request& req);
// A client-supplied request id is echoed when it is 1–100 characters of [A-Za-z0-9._:-] (else a UUID is made).
bool valid_request_id(std::string_view id);
// Throws 403 FORBIDDEN unless an API key with these scopes (empty = the defaults) may use the route.
void check_key_scope(const RouteSpec& route, std::string_view path, const std::vector<std::string>& scopes);

}  // namespace netops::http
