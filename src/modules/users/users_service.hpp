#pragma once
// Users (SPEC §3 "Auth & admin"): the owner of the users table. Admin management (list, get, create,
// update, delete, reset password) and what identity needs (look-ups for login, the last login time,
// password changes, the first admin). Role, tier, status and password changes revoke the user's sessions
// and API keys at once through the AccessRevoker that auth installs.
#include <memory>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "db/page.hpp"
#include "kit/context.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/users/users_repo.hpp"
#include "modules/users/users_settings.hpp"

namespace netops::users {

class UsersService {
 public:
  UsersService(AppContext& ctx, UsersSettings settings, std::shared_ptr<audit::AuditService> audit)
      : ctx_(ctx), settings_(std::move(settings)), repo_(ctx.db), audit_(std::move(audit)) {}
  void set_revoker(std::shared_ptr<AccessRevoker> r) { revoker_ = std::move(r); }

  Task<db::Page<User>> list(const UserFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<User> get(const std::string& id);  // cached
  Task<User> create(const NewUserInput& in, const Caller& by);
  Task<User> update(const std::string& id, const UserPatch& p, const std::optional<std::string>& expected_etag,
                    const Caller& by);
  Task<void> remove(const std::string& id, const Caller& by);
  struct PasswordReset {
    std::string user_id;
    std::size_t revoked_sessions = 0;
    std::optional<std::string> generated_password;  // shown once
  };
  Task<PasswordReset> reset_password(const std::string& id, const std::optional<std::string>& new_password,
                                     const Caller& by);

  // For identity (auth).
  Task<std::optional<User>> find(const std::string& id) { co_return co_await repo_.find(id); }
  Task<std::optional<User>> find_by_login(const std::string& login) { co_return co_await repo_.find_by_login(login); }
  Task<void> touch_login(const std::string& id) { co_await repo_.touch_login(id); }
  Task<void> set_password(db::Tx& tx, const std::string& id, const std::string& hash) {
    co_await repo_.set_password(tx, id, hash);
  }
  struct FirstAdmin {
    std::string email;
    std::optional<std::string> generated_password;  // set only when we generated it
  };
  // Creates the first super_admin (NETOPS_ADMIN_EMAIL / NETOPS_ADMIN_PASSWORD or a generated password) when
  // the users table is empty; nullopt when users already exist.
  Task<std::optional<FirstAdmin>> bootstrap_admin();

 private:
  Task<Revocation> revoke(db::Tx& tx, const std::string& id);
  Task<void> after_change(const std::string& id, const Revocation& r, bool deleted = false);

  AppContext& ctx_;
  UsersSettings settings_;
  UserRepo repo_;
  std::shared_ptr<audit::AuditService> audit_;
  std::shared_ptr<AccessRevoker> revoker_;
};

}  // namespace netops::users
