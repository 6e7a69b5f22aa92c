#pragma once
// Identity (SPEC §2, §4.1): login with revocable sessions, refresh rotation with reuse detection, logout,
// the signed-in user, password changes, and the revocation of a user's sessions and keys when the users
// module changes their access. API keys: key_service.hpp; the per-request authenticator: authenticate.hpp.
#include <memory>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/auth/auth_repo.hpp"
#include "modules/auth/session_cache.hpp"
#include "modules/auth/types.hpp"
#include "modules/users/users_service.hpp"

#include "modules/auth/auth_settings.hpp"

namespace netops::auth {

class AuthService {
 public:
  AuthService(AppContext& ctx, std::shared_ptr<AuthRepo> repo, std::shared_ptr<SessionCache> cache,
              std::shared_ptr<audit::AuditService> audit, std::shared_ptr<users::UsersService> users)
      : ctx_(ctx), settings_(load_section(ctx.config, auth_section())), repo_(std::move(repo)), cache_(std::move(cache)),
        audit_(std::move(audit)), users_(std::move(users)) {}

  // by: the anonymous caller (request id, client address and user agent for the session and audit rows).
  Task<Tokens> login(const LoginInput& in, const Caller& by);
  Task<Tokens> refresh(const std::string& refresh_token, const Caller& by);
  Task<void> logout(const Caller& by);  // the caller's session; 400 for an API key
  Task<users::User> me(const Caller& by);
  Task<void> change_password(const PasswordChange& in, const Caller& by);

  // After a user's role, status or password changed (or before it is deleted): revokes the sessions inside
  // tx and reads the user's key hashes (before a cascade deletes them) to invalidate once committed.
  Task<users::Revocation> revoke_user(db::Tx& tx, const std::string& user_id, const std::string& keep = "");
  // deleted: the keys are refused outright (revoked tombstones) instead of re-read.
  Task<void> after_user_change(const std::string& user_id, const users::Revocation& revoked, bool deleted = false);

 private:
  Task<std::string> hash(const std::string& password);
  // On the hashing thread; an empty hash (no such account) is checked against a dummy hash of like cost.
  Task<bool> verify(const std::string& hash, const std::string& password);
  std::string access_token(const std::string& user_id, const std::string& role, const std::string& session_id) const;
  Tokens tokens(const users::User& u, const std::string& session_id, const std::string& access,
                const std::string& refresh) const;
  Task<void> throttle_login(const std::string& account_key, const std::string& ip_key);

  AppContext& ctx_;
  const AuthSettings settings_;
  std::shared_ptr<AuthRepo> repo_;
  std::shared_ptr<SessionCache> cache_;
  std::shared_ptr<audit::AuditService> audit_;
  std::shared_ptr<users::UsersService> users_;
};

// Auth's audit rows carry the client address (details.ip) besides the caller's request id.
nlohmann::json with_ip(nlohmann::json details, const Caller& by);

}  // namespace netops::auth
