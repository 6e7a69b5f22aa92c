#include "modules/users/service.hpp"

#include "core/error.hpp"
#include "core/password.hpp"

namespace netops::users {

namespace {
std::optional<std::string> opt_string(const nlohmann::json& body, const char* field, Validation& v) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    v.add(field, "must be a string");
    return std::nullopt;
  }
  return it->get<std::string>();
}
audit::Entry entry(const http::Actor& by, std::string action, const std::string& id, nlohmann::json details,
                   const auth::Origin& o) {
  return audit::Entry{by.user_id, std::move(action), "user:" + id, std::move(details), o.request_id};
}
}  // namespace

Task<std::pair<nlohmann::json, long long>> UsersService::list(const UserFilter& f, const http::Paging& p,
                                                              const http::Sort& s) {
  auto [rows, total] = co_await repo_.list(f, p, s);
  nlohmann::json out = nlohmann::json::array();
  for (auto& u : rows) out.push_back(to_json(u));
  co_return std::make_pair(std::move(out), total);
}

Task<nlohmann::json> UsersService::get(const std::string& id) {
  std::string key = "user:" + id;
  if (auto cached = co_await ctx_.cache.get_json(key)) co_return *cached;
  auto u = co_await repo_.find(id);
  if (!u) throw NotFound("user");
  auto j = to_json(*u);
  co_await ctx_.cache.set_json(key, j, 3600);
  co_return j;
}

Task<nlohmann::json> UsersService::create(const nlohmann::json& body, const http::Actor& by, const auth::Origin& o) {
  Validation v;
  NewUser n;
  auto email = opt_string(body, "email", v);
  auto name = opt_string(body, "name", v);
  auto password = opt_string(body, "password", v);
  n.username = opt_string(body, "username", v);
  auto role = opt_string(body, "role", v);
  auto tier = opt_string(body, "tier", v);
  if (!email || email->find('@') == std::string::npos || email->size() > 255) v.add("email", "a valid email is required");
  if (!name || name->empty()) v.add("name", "is required");
  if (!password || password->size() < 10) v.add("password", "is required, at least 10 characters");
  if (role && !valid_role(*role)) v.add("role", "must be user, admin or super_admin");
  if (tier && !valid_tier(*tier)) v.add("tier", "must be free, pro, enterprise or unlimited");
  if (n.username && n.username->empty()) v.add("username", "must not be empty");
  v.throw_if_any();
  n.email = *email;
  for (auto& c : n.email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  n.name = *name;
  n.role = role.value_or("user");
  n.tier = tier.value_or("free");
  auto work = [p = *password] { return hash_password(p); };
  n.password_hash = co_await ctx_.blocking.run(std::move(work));
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto u = co_await repo_.insert(tx, n);
    out = to_json(u);
    auto e = entry(by, "user.created", u.id, {{"after", out}}, o);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<nlohmann::json> UsersService::update(const std::string& id, const nlohmann::json& body, const http::Actor& by,
                                          const auth::Origin& o,
                                          std::function<void(const nlohmann::json&)> check) {
  Validation v;
  UserPatch p;
  p.name = opt_string(body, "name", v);
  p.role = opt_string(body, "role", v);
  p.tier = opt_string(body, "tier", v);
  p.status = opt_string(body, "status", v);
  if (body.contains("isActive") && !body["isActive"].is_null()) {
    if (!body["isActive"].is_boolean()) v.add("isActive", "must be true or false");
    else p.is_active = body["isActive"].get<bool>();
  }
  if (p.name && p.name->empty()) v.add("name", "must not be empty");
  if (p.role && !valid_role(*p.role)) v.add("role", "must be user, admin or super_admin");
  if (p.tier && !valid_tier(*p.tier)) v.add("tier", "must be free, pro, enterprise or unlimited");
  if (p.status && !valid_status(*p.status)) v.add("status", "must be active, inactive or suspended");
  for (auto& [k, _] : body.items())
    if (k != "name" && k != "role" && k != "tier" && k != "status" && k != "isActive")
      v.add(k, "cannot be changed here (email and username are fixed; passwords have their own routes)");
  v.throw_if_any();
  bool self = id == by.user_id;
  if (self && ((p.role && *p.role != "super_admin") || (p.is_active && !*p.is_active) || (p.status && *p.status != "active")))
    throw Conflict("you cannot demote or deactivate yourself");

  nlohmann::json after;
  auth::AuthService::UserRevocation revoked;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto current = co_await repo_.lock(tx, id);
    if (!current) throw NotFound("user");
    auto before = to_json(*current);
    check(before);
    auto updated = co_await repo_.update(tx, id, p);
    after = to_json(updated);
    bool access_changed = updated.role != current->role || updated.is_active != current->is_active ||
                          updated.status != current->status || updated.tier != current->tier;
    if (access_changed) revoked = co_await auth_->revoke_user(tx, id, "");
    auto e = entry(by, "user.updated", id, {{"changes", audit::changes(before, after)}, {"revokedSessions", revoked.size()}}, o);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await auth_->after_user_change(id, revoked);
  co_return after;
}

Task<void> UsersService::remove(const std::string& id, const http::Actor& by, const auth::Origin& o) {
  if (id == by.user_id) throw Conflict("you cannot delete yourself");
  auth::AuthService::UserRevocation revoked;  // read before the delete cascades to sessions and keys
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto current = co_await repo_.lock(tx, id);
    if (!current) throw NotFound("user");
    revoked = co_await auth_->revoke_user(tx, id, "");
    auto e = entry(by, "user.deleted", id, {{"before", to_json(*current)}}, o);
    co_await audit_.record(tx, e);
    co_await repo_.remove(tx, id);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await auth_->after_user_change(id, revoked, true);
}

Task<nlohmann::json> UsersService::reset_password(const std::string& id, const nlohmann::json& body,
                                                  const http::Actor& by, const auth::Origin& o) {
  Validation v;
  auto given = opt_string(body, "newPassword", v);
  if (given && given->size() < 10) v.add("newPassword", "must be at least 10 characters");
  v.throw_if_any();
  std::string password = given.value_or(generate_password());
  auto work = [password] { return hash_password(password); };
  auto hash = co_await ctx_.blocking.run(std::move(work));
  auth::AuthService::UserRevocation revoked;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto current = co_await repo_.lock(tx, id);
    if (!current) throw NotFound("user");
    co_await repo_.set_password(tx, id, hash);
    revoked = co_await auth_->revoke_user(tx, id, "");
    auto e = entry(by, "user.password_reset", id, {{"revokedSessions", revoked.size()}}, o);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await auth_->after_user_change(id, revoked);
  nlohmann::json out = {{"userId", id}, {"revokedSessions", revoked.size()}};
  if (!given) out["password"] = password;  // generated: shown once
  co_return out;
}

}  // namespace netops::users
