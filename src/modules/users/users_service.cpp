#include "modules/users/users_service.hpp"

#include "core/error.hpp"
#include "core/password.hpp"
#include "modules/audit/audited.hpp"

namespace netops::users {

Task<Revocation> UsersService::revoke(db::Tx& tx, const std::string& id) {
  if (!revoker_) co_return Revocation{};
  co_return co_await revoker_->revoke_user(tx, id);
}

Task<void> UsersService::after_change(const std::string& id, const Revocation& r, bool deleted) {
  if (revoker_) co_await revoker_->after_user_change(id, r, deleted);
  std::vector<std::string> keys{"user:" + id};
  co_await ctx_.cache.invalidate(std::move(keys));
}

Task<std::optional<UsersService::FirstAdmin>> UsersService::bootstrap_admin() {
  if (co_await repo_.any()) co_return std::nullopt;
  FirstAdmin admin{settings_.admin_email, std::nullopt};
  std::string password = settings_.admin_password.value_or("");
  if (password.empty()) {
    password = generate_password();
    admin.generated_password = password;
  }
  auto work = [password] { return hash_password(password); };
  auto h = co_await ctx_.blocking.run(std::move(work));
  if (!co_await repo_.insert_first_admin(admin.email, h)) co_return std::nullopt;  // another instance won
  co_return admin;
}

Task<db::Page<User>> UsersService::list(const UserFilter& f, const db::PageRequest& p, const db::Sort& s) {
  co_return co_await repo_.list(f, p, s);
}

Task<User> UsersService::get(const std::string& id) {
  std::string key = "user:" + id;
  if (auto cached = co_await ctx_.cache.get_json(key)) co_return user_from_json(*cached);
  auto u = co_await repo_.find(id);
  if (!u) throw NotFound("user");
  co_await ctx_.cache.set_json(key, to_json(*u), 3600);
  co_return *u;
}

Task<User> UsersService::create(const NewUserInput& in, const Caller& by) {
  NewUser n;  // the route checked the input's shape (parse_new_user)
  n.email = *in.email;
  for (auto& c : n.email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  n.name = *in.name;
  n.username = in.username;
  n.role = in.role.value_or(Role::user);
  n.tier = in.tier.value_or(Tier::free);
  auto work = [p = *in.password] { return hash_password(p); };
  n.password_hash = co_await ctx_.blocking.run(std::move(work));
  User out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    audit::Change change{"user.created", "user", ""};
    audit::Insert<User> insert = [&](db::Tx& t) { return repo_.insert(t, n); };
    std::function<std::string(const User&)> id_of = [](const User& u) { return u.id; };
    out = co_await audit::audited_create(tx, *audit_, by, change, insert, id_of);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<User> UsersService::update(const std::string& id, const UserPatch& p,
                                const std::optional<std::string>& expected_etag, const Caller& by) {
  bool self = id == by.user_id;
  if (self && ((p.role && *p.role != Role::super_admin) || (p.is_active && !*p.is_active) ||
               (p.status && *p.status != "active")))
    throw Conflict("you cannot demote or deactivate yourself");

  User after;
  Revocation revoked;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    audit::Change change{"user.updated", "user", id, expected_etag};
    change.annotate = [&](nlohmann::json& d) { d["revokedSessions"] = revoked.size(); };
    audit::Lock<User> lock = [&](db::Tx& t) { return repo_.lock(t, id); };
    audit::Write<User> write = [&](db::Tx& t, const User& current) -> Task<User> {
      auto updated = co_await repo_.update(t, id, p);
      bool access_changed = updated.role != current.role || updated.is_active != current.is_active ||
                            updated.status != current.status || updated.tier != current.tier;
      if (access_changed) revoked = co_await revoke(t, id);
      co_return updated;
    };
    after = co_await audit::audited_update(tx, *audit_, by, change, lock, write);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await after_change(id, revoked);
  co_return after;
}

Task<void> UsersService::remove(const std::string& id, const Caller& by) {
  if (id == by.user_id) throw Conflict("you cannot delete yourself");
  Revocation revoked;  // read before the delete cascades to sessions and keys
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    audit::Change change{"user.deleted", "user", id};
    audit::Lock<User> lock = [&](db::Tx& t) { return repo_.lock(t, id); };
    audit::Remove<User> remove = [&](db::Tx& t, const User&) -> Task<void> {
      revoked = co_await revoke(t, id);
      co_await repo_.remove(t, id);
    };
    co_await audit::audited_delete(tx, *audit_, by, change, lock, remove);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await after_change(id, revoked, true);
}

Task<UsersService::PasswordReset> UsersService::reset_password(const std::string& id,
                                                               const std::optional<std::string>& given,
                                                               const Caller& by) {
  std::string password = given.value_or(generate_password());
  auto work = [password] { return hash_password(password); };
  auto hash = co_await ctx_.blocking.run(std::move(work));
  Revocation revoked;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto current = co_await repo_.lock(tx, id);
    if (!current) throw NotFound("user");
    co_await repo_.set_password(tx, id, hash);
    revoked = co_await revoke(tx, id);
    std::string action = "user.password_reset", resource = "user:" + id;  // named: GCC 12 (see above)
    nlohmann::json details = {{"revokedSessions", revoked.size()}};
    co_await audit_->record(tx, by, action, resource, details);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await after_change(id, revoked);
  PasswordReset out{id, revoked.size(), std::nullopt};
  if (!given) out.generated_password = password;
  co_return out;
}

}  // namespace netops::users
