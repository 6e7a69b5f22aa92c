#pragma once
// Everything between "a request was read" and "a response is ready", independent of the wire:
// route match → authentication → role check → middleware (rate limits) → handler → error envelope.
#include <functional>
#include <optional>
#include <vector>

#include "core/task.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"

namespace netops::http {

// Resolves the caller from the request (Authorization header). Returns nullopt when no credential was
// presented; throws AppError(unauthorized) for a bad one.
using Authenticator = std::function<Task<std::optional<Actor>>(Request&)>;
// Runs after authentication for every matched route (e.g. the rate limiter); throws to refuse.
using Middleware = std::function<Task<void>(Request&)>;

class Pipeline {
 public:
  explicit Pipeline(const Router& router) : router_(router) {}
  void set_authenticator(Authenticator a) { authenticator_ = std::move(a); }
  void add_middleware(Middleware m) { middleware_.push_back(std::move(m)); }
  // Runs before authentication for routes that need the database (e.g. "not ready yet" → 503).
  void add_precheck(Middleware m) { prechecks_.push_back(std::move(m)); }

  // Never throws: every failure becomes an error response with the SPEC §2 envelope.
  Task<Response> handle(Request& req, const Match& match) const;
  const Router& router() const { return router_; }

 private:
  Task<Response> run(Request& req, const Match& match) const;
  const Router& router_;
  Authenticator authenticator_;
  std::vector<Middleware> middleware_;
  std::vector<Middleware> prechecks_;
};

Response error_response(const std::exception_ptr& e, const Request& req);
// A client-supplied request id is echoed when it is 1–100 characters of [A-Za-z0-9._:-] (else a UUID is made).
bool valid_request_id(std::string_view id);

}  // namespace netops::http
