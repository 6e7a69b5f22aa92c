#include <cstdio>

#include "core/error.hpp"
#include "core/etag.hpp"
#include "http/body.hpp"
#include "http/listing.hpp"
#include "modules/users/module.hpp"

namespace netops::users {

using http::Request;
using http::Response;
using http::Role;

namespace {
const nlohmann::json kUser = {
    {"type", "object"},
    {"properties",
     {{"id", {{"type", "string"}}}, {"email", {{"type", "string"}}}, {"name", {{"type", "string"}}},
      {"username", {{"type", "string"}}}, {"role", {{"type", "string"}, {"enum", {"user", "admin", "super_admin"}}}},
      {"tier", {{"type", "string"}, {"enum", {"free", "pro", "enterprise", "unlimited"}}}},
      {"status", {{"type", "string"}, {"enum", {"active", "inactive", "suspended"}}}},
      {"isActive", {{"type", "boolean"}}}, {"lastLoginAt", {{"type", "string"}}}, {"createdAt", {{"type", "string"}}},
      {"updatedAt", {{"type", "string"}}}}}};

const http::ListSpec kList{
    .filters = {{"role", "string", "user | admin | super_admin"},
                {"tier", "string", "free | pro | enterprise | unlimited"},
                {"status", "string", "active | inactive | suspended"},
                {"isActive", "boolean", ""},
                {"search", "string", "in email, name and username"}},
    .sorts = {{"createdAt", "created_at"}, {"email", "email"}, {"name", "name"}, {"lastLoginAt", "last_login_at"},
              {"role", "role"}, {"tier", "tier"}},
    .default_sort = "createdAt",
    .default_descending = true,
    .default_page_size = 50,
};

void read_role(http::BodyReader& b, std::optional<Role>& out) {
  std::optional<std::string> s;
  b.string("role", s);
  if (!s) return;
  out = parse_role(*s);
  if (!out) b.validation().add("role", "must be user, admin or super_admin");
}

void read_tier(http::BodyReader& b, std::optional<Tier>& out) {
  std::optional<std::string> s;
  b.string("tier", s);
  if (!s) return;
  out = parse_tier(*s);
  if (!out) b.validation().add("tier", "must be " + std::string(tier_names_text()));
}

NewUserInput parse_new_user(const nlohmann::json& body) {
  Validation v;
  http::BodyReader b(body, v, true);
  NewUserInput in;
  b.string("email", in.email);
  b.string("name", in.name);
  b.string("password", in.password);
  b.string("username", in.username);
  read_role(b, in.role);
  read_tier(b, in.tier);
  if (!in.email || in.email->find('@') == std::string::npos || in.email->size() > 255)
    v.add("email", "a valid email is required");
  if (!in.name || in.name->empty()) v.add("name", "is required");
  if (!in.password || in.password->size() < 10) v.add("password", "is required, at least 10 characters");
  if (in.username && in.username->empty()) v.add("username", "must not be empty");
  v.throw_if_any();
  return in;
}

UserPatch parse_patch(const nlohmann::json& body) {
  Validation v;
  http::BodyReader b(body, v);
  UserPatch p;
  b.string("name", p.name);
  b.string("status", p.status);
  read_role(b, p.role);
  read_tier(b, p.tier);
  b.opt_boolean("isActive", p.is_active);
  if (p.name && p.name->empty()) v.add("name", "must not be empty");
  if (p.status && !valid_status(*p.status)) v.add("status", "must be active, inactive or suspended");
  for (auto& [k, _] : body.items())
    if (k != "name" && k != "role" && k != "tier" && k != "status" && k != "isActive")
      v.add(k, "cannot be changed here (email and username are fixed; passwords have their own routes)");
  v.throw_if_any();
  return p;
}

Response tagged(const User& u) {
  auto j = to_json(u);
  auto etag = etag_of(j);
  return Response::json(j).header("ETag", etag);
}
}  // namespace

Module<UsersService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit) {
  auto svc = std::make_shared<UsersService>(ctx, load_section(ctx.config, users_section()), std::move(audit));

  ctx.router
      .get("/api/admin/users", Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto q = http::list_query(req, kList);
             UserFilter f{req.query("role"), req.query("tier"), req.query("status"), req.query("search"),
                          req.query_bool("isActive")};
             auto page = co_await svc->list(f, q.page, q.sort);
             co_return http::page(page, [](const User& u) { return to_json(u); });
           })
      .summary("List users (filters role, tier, status, isActive, search; sort createdAt|email|name|lastLoginAt)")
      .tag("admin")
      .list(kList);

  ctx.router
      .get("/api/admin/users/{id}", Role::admin,
           [svc](Request& req) -> Task<Response> { co_return tagged(co_await svc->get(req.path_uuid("id"))); })
      .summary("One user, with an ETag for If-Match")
      .tag("admin")
      .response(kUser);

  ctx.router
      .post("/api/admin/users", Role::super_admin,
            [svc](Request& req) -> Task<Response> {
              auto u = co_await svc->create(parse_new_user(req.json()), req.caller());
              co_return Response::json(to_json(u), 201);
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
    auto patch = parse_patch(req.json());
    co_return tagged(co_await svc->update(req.path_uuid("id"), patch, req.if_match(), req.caller()));
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
             co_await svc->remove(req.path_uuid("id"), req.caller());
             co_return Response::no_content();
           })
      .summary("Delete a user (never yourself); sessions and API keys go with it")
      .tag("admin")
      .response(nullptr, 204);

  ctx.router
      .post("/api/admin/users/{id}/reset-password", Role::super_admin,
            [svc](Request& req) -> Task<Response> {
              std::optional<std::string> given;
              if (!req.body.empty()) {
                Validation v;
                http::BodyReader(req.json(), v).string("newPassword", given);
                if (given && given->size() < 10) v.add("newPassword", "must be at least 10 characters");
                v.throw_if_any();
              }
              auto r = co_await svc->reset_password(req.path_uuid("id"), given, req.caller());
              nlohmann::json out = {{"userId", r.user_id}, {"revokedSessions", r.revoked_sessions}};
              if (r.generated_password) out["password"] = *r.generated_password;  // generated: shown once
              co_return Response::json(out);
            })
      .summary("Set a new password ({newPassword} or generated and returned once); revokes the user's sessions")
      .tag("admin")
      .request({{"type", "object"}, {"properties", {{"newPassword", {{"type", "string"}}}}}});

  Background background;
  background.start.push_back([svc]() -> Task<void> {
    auto admin = co_await svc->bootstrap_admin();
    if (!admin) co_return;
    std::printf("\nFirst admin created: %s\n", admin->email.c_str());
    if (admin->generated_password)
      std::printf("Generated password (shown only this once): %s\n\n", admin->generated_password->c_str());
    else
      std::printf("Password: the one given in NETOPS_ADMIN_PASSWORD\n\n");
    std::fflush(stdout);
  });
  return {svc, std::move(background)};
}

}  // namespace netops::users
