#include "http/pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/text.hpp"
#include "http/scopes.hpp"

namespace netops::http {

// At most 100 characters: the width the data model gives request ids (usage_logs.request_id,
// audit_logs.correlation_id, …). A longer client id is replaced by a generated UUID rather than making
// the request's rows unwritable.
bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 100) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':'))
      return false;
  return true;
}

Response error_response(const AppError& err, int status, const Request& req) {
  if (req.route && req.route->error_renderer_) return req.route->error_renderer_(err, status, req);
  auto r = Response::json(error_envelope(err, req.request_id), status);
  if (err.code() == ErrorCode::method_not_allowed && err.details().contains("allowed")) {
    std::string allow;
    for (auto& m : err.details()["allowed"]) allow += (allow.empty() ? "" : ", ") + m.get<std::string>();
    r.header("Allow", allow);
  }
  if (err.details().contains("retryAfter"))
    r.header("Retry-After", std::to_string(err.details()["retryAfter"].get<long long>()));
  return r;
}

Response error_response(const std::exception_ptr& e, const Request& req) {
  try {
    std::rethrow_exception(e);
  } catch (const AppError& err) {
    return error_response(err, err.status(), req);
  } catch (const std::exception& ex) {
    spdlog::error("request {} {} {} failed: {}", req.request_id, req.method, req.path, ex.what());
  } catch (...) {
    spdlog::error("request {} {} {} failed with a non-standard exception", req.request_id, req.method, req.path);
  }
  return error_response(AppError(ErrorCode::internal, "internal error"), 500, req);
}

void Pipeline::set_authenticator(Authenticator a) {
  authenticator_ = [a = std::move(a)](Request& req) -> Task<std::optional<Credential>> {
    auto actor = co_await a(req);
    if (!actor) co_return std::nullopt;
    co_return Credential{std::move(*actor), std::nullopt};
  };
}

void check_key_scope(const RouteSpec& route, std::string_view path, const std::vector<std::string>& scopes) {
  if (key_management_path(path) || key_management_path(route.path))
    throw Forbidden("API keys cannot manage keys, users or sessions; log in instead");
  if (route.scope_.empty()) throw Forbidden("API keys cannot use this route; log in instead");
  if (route.scope_ == kAnyKey) return;
  const auto& have = scopes.empty() ? default_key_scopes() : scopes;
  if (std::find(have.begin(), have.end(), route.scope_) == have.end())
    throw AppError(ErrorCode::forbidden, "this API key lacks the \"" + route.scope_ + "\" scope",
                   {{"requiredScope", route.scope_}, {"keyScopes", have}});
}

Task<std::optional<Credential>> Pipeline::authenticate(Request& req) const {
  if (!authenticator_) co_return std::nullopt;
  co_return co_await authenticator_(req);
}

Task<void> Pipeline::run_admit(Request& req, const Match& match) const {
  if (!match.route) {
    if (match.allowed.empty()) throw AppError(ErrorCode::not_found, "no route for " + req.method + " " + req.path);
    throw AppError(ErrorCode::method_not_allowed, "method " + req.method + " is not allowed on " + req.path,
                   {{"allowed", match.allowed}});
  }
  const RouteSpec& route = *match.route;
  req.route = &route;
  req.path_params = match.params;
  if (route.needs_database_)
    for (auto& p : prechecks_) co_await p(req);
  if (route.min_role != Role::anonymous) {
    std::optional<Credential> who;
    if (authenticator_) who = co_await authenticator_(req);
    if (!who) throw Unauthorized();
    req.actor = std::move(who->actor);
    req.actor->request_id = req.request_id;
    req.actor->remote_ip = req.remote_ip;
    req.actor->received = req.received;
    req.actor->user_agent = clean_text(req.header("user-agent").value_or(""), 512);
    if (static_cast<int>(req.actor->role) < static_cast<int>(route.min_role))
      throw Forbidden("this route requires the " + std::string(role_name(route.min_role)) + " role");
    if (who->key_scopes) check_key_scope(route, req.path, *who->key_scopes);
  }
  for (auto& m : middleware_) co_await m(req);
}

Task<std::optional<Response>> Pipeline::admit(Request& req, const Match& match) const {
  std::exception_ptr failure;
  try {
    if (!match.route && match.allowed.empty() && fallback_)
      if (auto found = fallback_(req)) co_return std::move(*found);
    co_await run_admit(req, match);
    co_return std::nullopt;
  } catch (...) {
    failure = std::current_exception();
  }
  co_return error_response(failure, req);
}

Task<Response> Pipeline::respond(Request& req) const {
  std::exception_ptr failure;
  try {
    co_return co_await req.route->handler(req);
  } catch (...) {
    failure = std::current_exception();
  }
  co_return error_response(failure, req);
}

Task<Response> Pipeline::handle(Request& req, const Match& match) const {
  if (auto refused = co_await admit(req, match)) co_return std::move(*refused);
  co_return co_await respond(req);
}

}  // namespace netops::http
