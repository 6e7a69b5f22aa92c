#include "core/error.hpp"
#include "core/text.hpp"
#include "modules/users/module.hpp"
#include "modules/users/service.hpp"

namespace netops::users {

using http::Request;
using http::Response;
using http::Role;

namespace {
auth::Origin origin(const Request& req) {
  // The user agent is client text stored in sessions and audit rows: keep a bounded prefix.
  return {req.request_id, req.remote_ip, clean_text(req.header("user-agent").value_or(""), 512)};
}
const nlohmann::json kUser = {
    {"type", "object"},
    {"properties",
     {{"id", {{"type", "string"}}}, {"email", {{"type", "string"}}}, {"name", {{"type", "string"}}},
      {"username", {{"type", "string"}}}, {"role", {{"type", "string"}, {"enum", {"user", "admin", "super_admin"}}}},
      {"tier", {{"type", "string"}, {"enum", {"free", "pro", "enterprise", "unlimited"}}}},
      {"status", {{"type", "string"}, {"enum", {"active", "inactive", "suspended"}}}},
      {"isActive", {{"type", "boolean"}}}, {"lastLoginAt", {{"type", "string"}}}, {"createdAt", {{"type", "string"}}},
      {"updatedAt", {{"type", "string"}}}}}};
}  // namespace

void register_routes(AppContext& ctx, std::shared_ptr<auth::AuthService> auth) {
  auto svc = std::make_shared<UsersService>(ctx, std::move(auth));
  const std::vector<std::pair<std::string, std::string>> sortable = {
      {"createdAt", "created_at"}, {"email", "email"}, {"name", "name"}, {"lastLoginAt", "last_login_at"},
      {"role", "role"}, {"tier", "tier"}};

  ctx.router
      .get("/api/admin/users", Role::admin,
           [svc, sortable](Request& req) -> Task<Response> {
             UserFilter f;
             f.role = req.query("role");
             f.tier = req.query("tier");
             f.status = req.query("status");
             f.search = req.query("search");
             f.is_active = req.query_bool("isActive");
             auto p = http::paging(req);
             auto s = http::sort(req, sortable, "createdAt", true);
             auto [rows, total] = co_await svc->list(f, p, s);
             co_return http::page(std::move(rows), p.page, p.page_size, total);
           })
      .summary("List users (filters role, tier, status, isActive, search; sort createdAt|email|name|lastLoginAt)")
      .tag("admin")
      .query("role", "string", "user | admin | super_admin")
      .query("tier", "string", "free | pro | enterprise | unlimited")
      .query("status", "string", "active | inactive | suspended")
      .query("isActive", "boolean", "")
      .query("search", "string", "in email, name and username")
      .query("sort", "string", "field or -field")
      .query("page", "integer", "")
      .query("pageSize", "integer", "at most 1000");

  ctx.router
      .get("/api/admin/users/{id}", Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto u = co_await svc->get(req.path_uuid("id"));
             auto etag = http::etag_of(u);
             co_return Response::json(u).header("ETag", etag);
           })
      .summary("One user, with an ETag for If-Match")
      .tag("admin")
      .response(kUser);

  ctx.router
      .post("/api/admin/users", Role::super_admin,
            [svc](Request& req) -> Task<Response> {
              co_return Response::json(co_await svc->create(req.json(), req.actor_or_throw(), origin(req)), 201);
            })
      .summary("Create a user (email, name, password ≥ 10, username?, role?, tier?)")
      .tag("admin")
      .request({{"type", "object"},
                {"required", {"email", "name", "password"}},
                {"properties",
                 {{"email", {{"type", "string"}}}, {"name", {{"type", "string"}}}, {"password", {{"type", "string"}}},
                  {"username", {{"type", "string"}}}, {"role", {{"type", "string"}}}, {"tier", {{"type", "string"}}}}}})
      .response(kUser, 201);

  auto update = [svc](Request& req) -> Task<Response> {
    auto check = [&req](const nlohmann::json& current) { http::check_if_match(req, current); };
    auto u = co_await svc->update(req.path_uuid("id"), req.json(), req.actor_or_throw(), origin(req), check);
    auto etag = http::etag_of(u);
    co_return Response::json(u).header("ETag", etag);
  };
  const nlohmann::json patch_schema = {
      {"type", "object"},
      {"properties",
       {{"name", {{"type", "string"}}}, {"role", {{"type", "string"}}}, {"tier", {{"type", "string"}}},
        {"status", {{"type", "string"}}}, {"isActive", {{"type", "boolean"}}}}}};
  ctx.router.patch("/api/admin/users/{id}", Role::super_admin, update)
      .summary("Update name, role, tier, status, isActive (If-Match honoured); access changes revoke sessions")
      .tag("admin")
      .request(patch_schema)
      .response(kUser);
  ctx.router.put("/api/admin/users/{id}", Role::super_admin, update)
      .summary("Same as PATCH")
      .tag("admin")
      .request(patch_schema)
      .response(kUser);

  ctx.router
      .del("/api/admin/users/{id}", Role::super_admin,
           [svc](Request& req) -> Task<Response> {
             co_await svc->remove(req.path_uuid("id"), req.actor_or_throw(), origin(req));
             co_return Response::no_content();
           })
      .summary("Delete a user (never yourself); sessions and API keys go with it")
      .tag("admin")
      .response(nullptr, 204);

  ctx.router
      .post("/api/admin/users/{id}/reset-password", Role::super_admin,
            [svc](Request& req) -> Task<Response> {
              nlohmann::json body = req.body.empty() ? nlohmann::json::object() : req.json();
              co_return Response::json(co_await svc->reset_password(req.path_uuid("id"), body, req.actor_or_throw(),
                                                                    origin(req)));
            })
      .summary("Set a new password ({newPassword} or generated and returned once); revokes the user's sessions")
      .tag("admin")
      .request({{"type", "object"}, {"properties", {{"newPassword", {{"type", "string"}}}}}});
}

}  // namespace netops::users
