#include "core/error.hpp"
#include "core/text.hpp"
#include "modules/auth/module.hpp"
#include "modules/auth/service.hpp"

namespace netops::auth {

using http::Request;
using http::Response;
using http::Role;

namespace {
Origin origin(const Request& req) {
  // The user agent is client text stored in sessions and audit rows: keep a bounded prefix.
  return {req.request_id, req.remote_ip, clean_text(req.header("user-agent").value_or(""), 512)};
}
std::string required_string(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_string() || it->get<std::string>().empty())
    throw ValidationError(field, "is required");
  return it->get<std::string>();
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

long long limit_for(const Config& c, Tier tier) {
  switch (tier) {
    case Tier::free: return c.rate_limit_free;
    case Tier::pro: return c.rate_limit_pro;
    case Tier::enterprise: return c.rate_limit_enterprise;
    case Tier::unlimited: return 0;
  }
  return 0;
}
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

Module<AuthService> register_module(AppContext& ctx, std::shared_ptr<users::UsersService> users) {
  auto svc = std::make_shared<AuthService>(ctx, users);
  users->set_revoker(std::make_shared<Revoker>(svc));
  ctx.pipeline.set_authenticator(
      http::CredentialAuthenticator([svc](Request& req) { return svc->authenticate_limited(req); }));
  // Per user / per API key, by tier, shared by every instance through Redis.
  ctx.pipeline.add_middleware([&ctx](Request& req) -> Task<void> {
    if (!req.actor) co_return;
    auto limit = limit_for(ctx.config, req.actor->tier);
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
              auto& body = req.json();
              std::string login;
              if (body.contains("email") && body["email"].is_string()) login = body["email"].get<std::string>();
              else if (body.contains("username") && body["username"].is_string()) login = body["username"].get<std::string>();
              if (login.empty()) throw ValidationError("email", "email or username is required");
              auto password = required_string(body, "password");
              co_return Response::json(co_await svc->login(login, password, origin(req)));
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
              auto token = required_string(req.json(), "refreshToken");
              co_return Response::json(co_await svc->refresh(token, origin(req)));
            })
      .summary("Rotate the refresh token; presenting a rotated one again revokes the whole session")
      .tag("auth")
      .request({{"type", "object"}, {"required", {"refreshToken"}}, {"properties", {{"refreshToken", {{"type", "string"}}}}}})
      .response(kTokensSchema);

  ctx.router
      .post("/api/auth/logout", Role::user,
            [svc](Request& req) -> Task<Response> {
              co_await svc->logout(req.actor_or_throw(), origin(req));
              co_return Response::no_content();
            })
      .summary("Revoke the current session at once, on every instance")
      .tag("auth")
      .response(nullptr, 204);

  ctx.router
      .get("/api/auth/me", Role::user,
           [svc](Request& req) -> Task<Response> { co_return Response::json(co_await svc->me(req.actor_or_throw())); })
      .summary("The signed-in user")
      .tag("auth")
      .response(kUserSchema);

  ctx.router
      .post("/api/auth/change-password", Role::user,
            [svc](Request& req) -> Task<Response> {
              auto& body = req.json();
              auto current = required_string(body, "currentPassword");
              auto next = required_string(body, "newPassword");
              co_await svc->change_password(req.actor_or_throw(), current, next, origin(req));
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
            [svc](Request& req) -> Task<Response> {
              co_return Response::json(co_await svc->create_key(req.actor_or_throw(), req.json(), origin(req)), 201);
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
           [svc](Request& req) -> Task<Response> {
             bool all = req.query_bool("all").value_or(false);
             auto keys = co_await svc->list_keys(req.actor_or_throw(), all);
             nlohmann::json body = {{"data", std::move(keys)}};
             co_return Response::json(body);
           })
      .summary("My API keys (admins: ?all=true for everyone's); never the key itself")
      .tag("auth")
      .query("all", "boolean", "admins only: every user's keys");

  ctx.router
      .del("/api/keys/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             co_await svc->revoke_key(req.actor_or_throw(), req.path_uuid("id"), origin(req));
             co_return Response::no_content();
           })
      .summary("Revoke an API key (own keys; admins: any)")
      .tag("auth")
      .response(nullptr, 204);
  return {svc, {}};
}

}  // namespace netops::auth
