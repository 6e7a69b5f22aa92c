// HTTP shape of auth: /api/auth/*, /api/keys, the authenticator and the per-user rate limiter.
#include <algorithm>

#include "core/error.hpp"
#include "http/body.hpp"
#include "http/scopes.hpp"
#include "modules/auth/authenticate.hpp"
#include "modules/auth/key_service.hpp"
#include "modules/auth/module.hpp"

namespace netops::auth {

using http::Request;
using http::Response;
using http::Role;

namespace {
// The auth routes answer the first missing field alone (400 "request is invalid" naming it), as they
// always have; BodyReader's own checks word their messages differently, so these read through get().
std::string required_string(const http::BodyReader& b, const char* field) {
  auto* j = b.get(field);
  if (!j || !j->is_string() || j->get_ref<const std::string&>().empty()) throw ValidationError(field, "is required");
  return j->get<std::string>();
}

LoginInput parse_login(const nlohmann::json& body) {
  Validation v;
  http::BodyReader b(body, v);
  LoginInput in;
  for (const char* f : {"email", "username"}) {  // email first; a field that is not a string is ignored
    auto* j = b.get(f);
    if (j && j->is_string()) {
      in.login = j->get<std::string>();
      break;
    }
  }
  if (in.login.empty()) throw ValidationError("email", "email or username is required");
  in.password = required_string(b, "password");
  return in;
}

PasswordChange parse_password_change(const nlohmann::json& body) {
  Validation v;
  http::BodyReader b(body, v);
  PasswordChange in;
  in.current = required_string(b, "currentPassword");
  in.next = required_string(b, "newPassword");
  return in;
}

// name (required), scopes (known names; duplicates dropped; null or absent = the defaults), expiresAt.
NewKeyInput parse_new_key(const nlohmann::json& body) {
  Validation v;
  http::BodyReader b(body, v);
  NewKeyInput in;
  if (auto* j = b.get("name"); !j || !j->is_string() || j->get_ref<const std::string&>().empty())
    v.add("name", "is required");
  else
    in.name = j->get<std::string>();
  nlohmann::json scopes = nlohmann::json::array();
  if (auto* j = b.get("scopes"); j && !j->is_null()) scopes = *j;
  std::string vocabulary;
  for (auto& s : http::api_key_scopes()) vocabulary += (vocabulary.empty() ? "" : ", ") + s;
  if (!scopes.is_array()) {
    v.add("scopes", "must be an array of scope names (" + vocabulary + ")");
  } else {
    for (auto& s : scopes) {
      if (!s.is_string() || !http::valid_scope(s.get<std::string>())) {
        v.add("scopes", "unknown scope " + s.dump() + "; known: " + vocabulary);
        continue;
      }
      if (std::find(in.scopes.begin(), in.scopes.end(), s) == in.scopes.end()) in.scopes.push_back(s);
    }
  }
  if (auto* j = b.get("expiresAt"); j && !j->is_null()) {
    if (!j->is_string()) v.add("expiresAt", "must be an ISO 8601 date-time");
    else in.expires_at = j->get<std::string>();
  }
  v.throw_if_any();
  return in;
}

const nlohmann::json kUserSchema = {
    {"type", "object"},
    {"properties",
     {{"id", {{"type", "string"}}}, {"email", {{"type", "string"}}}, {"name", {{"type", "string"}}},
      {"username", {{"type", "string"}}}, {"role", {{"type", "string"}}}, {"tier", {{"type", "string"}}}}}};
const nlohmann::json kTokensSchema = {{"type", "object"},
                                      {"properties",
                                       {{"accessToken", {{"type", "string"}}},
                                        {"refreshToken", {{"type", "string"}}},
                                        {"expiresIn", {{"type", "integer"}}},
                                        {"user", kUserSchema}}}};

}  // namespace

namespace {
// The users module revokes access through this when a user's role, status or password changes.
class Revoker : public users::AccessRevoker {
 public:
  explicit Revoker(std::shared_ptr<AuthService> auth) : auth_(std::move(auth)) {}
  // Coroutines, not forwarding calls: a lazy task must not outlive the arguments it refers to.
  Task<users::Revocation> revoke_user(db::Tx& tx, const std::string& user_id) override {
    std::string keep;
    co_return co_await auth_->revoke_user(tx, user_id, keep);
  }
  Task<void> after_user_change(const std::string& user_id, const users::Revocation& r, bool deleted) override {
    co_await auth_->after_user_change(user_id, r, deleted);
  }

 private:
  std::shared_ptr<AuthService> auth_;
};
}  // namespace

Module<AuthService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                    std::shared_ptr<users::UsersService> users) {
  auto auth_settings = load_section(ctx.config, auth_section());
  ctx.limiter.set_mode(auth_settings.rate_limit_exact ? netops::cache::RateLimiter::Mode::exact
                                                      : netops::cache::RateLimiter::Mode::local);
  auto repo = std::make_shared<AuthRepo>(ctx.db);
  auto cache = std::make_shared<SessionCache>(ctx, *repo, auth_settings.auth_cache_max_age_ms);
  auto svc = std::make_shared<AuthService>(ctx, repo, cache, audit, users);
  auto keys = std::make_shared<KeyService>(ctx, repo, cache, audit);
  auto authenticator = std::make_shared<Authenticator>(ctx, repo, cache);
  users->set_revoker(std::make_shared<Revoker>(svc));
  ctx.pipeline.set_authenticator(http::CredentialAuthenticator(
      [authenticator](Request& req) { return authenticator->authenticate_limited(req); }));
  // Per user / per API key, by tier, shared by every instance through Redis.
  ctx.pipeline.add_middleware([&ctx, settings = load_section(ctx.config, auth_section())](Request& req) -> Task<void> {
    if (!req.actor) co_return;
    auto limit = settings.rate_limit(req.actor->tier);
    if (limit <= 0) co_return;
    std::string subject = req.actor->api_key_id.empty() ? "user:" + req.actor->user_id : "key:" + req.actor->api_key_id;
    auto d = co_await ctx.limiter.check(subject, limit, 60);
    req.response_headers.emplace_back("X-RateLimit-Limit", std::to_string(d.limit));
    req.response_headers.emplace_back("X-RateLimit-Remaining", std::to_string(d.remaining));
    req.response_headers.emplace_back("X-RateLimit-Reset", std::to_string(d.reset_s));
    if (!d.allowed)
      throw AppError(ErrorCode::rate_limited, "rate limit of " + std::to_string(limit) + " requests per minute exceeded",
                     {{"retryAfter", d.retry_after_s}, {"limit", limit}});
  });

  ctx.router
      .post("/api/auth/login", Role::anonymous,
            [svc](Request& req) -> Task<Response> {
              auto in = parse_login(req.json());
              auto by = req.caller();
              co_return Response::json(to_json(co_await svc->login(in, by)));
            })
      .summary("Log in with email or username and password; returns access and refresh tokens")
      .tag("auth")
      .request({{"type", "object"},
                {"required", {"password"}},
                {"properties",
                 {{"email", {{"type", "string"}}}, {"username", {{"type", "string"}}}, {"password", {{"type", "string"}}}}}})
      .response(kTokensSchema);

  ctx.router
      .post("/api/auth/refresh", Role::anonymous,
            [svc](Request& req) -> Task<Response> {
              Validation v;
              http::BodyReader b(req.json(), v);
              auto token = required_string(b, "refreshToken");
              auto by = req.caller();
              co_return Response::json(to_json(co_await svc->refresh(token, by)));
            })
      .summary("Rotate the refresh token; presenting a rotated one again revokes the whole session")
      .tag("auth")
      .request({{"type", "object"}, {"required", {"refreshToken"}}, {"properties", {{"refreshToken", {{"type", "string"}}}}}})
      .response(kTokensSchema);

  ctx.router
      .post("/api/auth/logout", Role::user,
            [svc](Request& req) -> Task<Response> {
              co_await svc->logout(req.actor_or_throw());
              co_return Response::no_content();
            })
      .summary("Revoke the current session at once, on every instance")
      .tag("auth")
      .response(nullptr, 204);

  ctx.router
      .get("/api/auth/me", Role::user,
           [svc](Request& req) -> Task<Response> {
             co_return Response::json(users::to_json(co_await svc->me(req.actor_or_throw())));
           })
      .summary("The signed-in user")
      .tag("auth")
      .response(kUserSchema);

  ctx.router
      .post("/api/auth/change-password", Role::user,
            [svc](Request& req) -> Task<Response> {
              auto in = parse_password_change(req.json());
              co_await svc->change_password(in, req.actor_or_throw());
              co_return Response::no_content();
            })
      .summary("Change the password (at least 10 characters); revokes the user's other sessions")
      .tag("auth")
      .request({{"type", "object"},
                {"required", {"currentPassword", "newPassword"}},
                {"properties", {{"currentPassword", {{"type", "string"}}}, {"newPassword", {{"type", "string"}}}}}})
      .response(nullptr, 204);

  const nlohmann::json key_schema = {
      {"type", "object"},
      {"properties",
       {{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}}, {"prefix", {{"type", "string"}}},
        {"scopes", {{"type", "array"}}}, {"expiresAt", {{"type", "string"}}}, {"lastUsedAt", {{"type", "string"}}},
        {"revokedAt", {{"type", "string"}}}, {"key", {{"type", "string"}, {"description", "only in the create response"}}}}}};
  ctx.router
      .post("/api/keys", Role::user,
            [keys](Request& req) -> Task<Response> {
              const auto& by = req.actor_or_throw();
              auto in = parse_new_key(req.json());
              co_return Response::json(to_json(co_await keys->create(in, by)), 201);
            })
      .summary("Create an API key (nk_…); the key is shown once, only its hash is stored")
      .tag("auth")
      .request({{"type", "object"},
                {"required", {"name"}},
                {"properties",
                 {{"name", {{"type", "string"}}}, {"scopes", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                  {"expiresAt", {{"type", "string"}, {"format", "date-time"}}}}}})
      .response(key_schema, 201);

  ctx.router
      .get("/api/keys", Role::user,
           [keys](Request& req) -> Task<Response> {
             bool all = req.query_bool("all").value_or(false);
             auto list = co_await keys->list(req.actor_or_throw(), all);
             nlohmann::json data = nlohmann::json::array();
             for (const auto& k : list) data.push_back(to_json(k));
             nlohmann::json body = {{"data", std::move(data)}};
             co_return Response::json(body);
           })
      .summary("My API keys (admins: ?all=true for everyone's); never the key itself")
      .tag("auth")
      .query("all", "boolean", "admins only: every user's keys");

  ctx.router
      .del("/api/keys/{id}", Role::user,
           [keys](Request& req) -> Task<Response> {
             const auto& by = req.actor_or_throw();
             co_await keys->revoke(req.path_uuid("id"), by);
             co_return Response::no_content();
           })
      .summary("Revoke an API key (own keys; admins: any)")
      .tag("auth")
      .response(nullptr, 204);
  Background background;
  background.run.push_back([cache]() -> Task<void> {  // the invalidation subscriber, once the server runs
    cache->start();
    co_return;
  });
  return {svc, std::move(background)};
}

}  // namespace netops::auth
