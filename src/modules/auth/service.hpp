#pragma once
// Identity: login with revocable sessions, refresh rotation with reuse detection, API keys, and the
// authenticator every protected route goes through (SPEC §2, §4.1).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "kit/context.hpp"
#include "http/pipeline.hpp"
#include "http/request.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/auth/repo.hpp"
#include "modules/auth/session_cache.hpp"
#include "modules/users/users_service.hpp"

namespace netops::auth {

// Who asks and from where: for audit rows and throttling.
struct Origin {
  std::string request_id, ip, user_agent;
};

class AuthService {
 public:
  AuthService(AppContext& ctx, std::shared_ptr<users::UsersService> users);

  Task<nlohmann::json> login(const std::string& login, const std::string& password, const Origin& o);
  Task<nlohmann::json> refresh(const std::string& refresh_token, const Origin& o);
  Task<void> logout(const http::Actor& a, const Origin& o);
  Task<nlohmann::json> me(const http::Actor& a);
  Task<void> change_password(const http::Actor& a, const std::string& current, const std::string& next,
                             const Origin& o);

  Task<nlohmann::json> create_key(const http::Actor& a, const nlohmann::json& body, const Origin& o);
  Task<nlohmann::json> list_keys(const http::Actor& a, bool all);
  Task<void> revoke_key(const http::Actor& a, const std::string& id, const Origin& o);

  // Resolves "Authorization: Bearer …" (JWT or nk_ API key). nullopt without a credential, 401 for a bad one.
  Task<std::optional<http::Credential>> authenticate(const http::Request& req);
  // authenticate behind the per-IP limit on refused credentials (NETOPS_AUTH_FAILURES_PER_MIN): past it a
  // client IP gets 429 with Retry-After, without a lookup, until the minute is over.
  Task<std::optional<http::Credential>> authenticate_limited(const http::Request& req);
  // After a user's role, status or password changed (or before it is deleted): revokes the sessions inside
  // tx and reads the user's key hashes (before a cascade deletes them) to invalidate once committed.
  using UserRevocation = users::Revocation;
  Task<UserRevocation> revoke_user(db::Tx& tx, const std::string& user_id, const std::string& keep = "");
  // deleted: the keys are refused outright (revoked tombstones) instead of re-read.
  Task<void> after_user_change(const std::string& user_id, const UserRevocation& revoked, bool deleted = false);

 private:
  Task<std::string> hash(const std::string& password);
  Task<bool> verify(const std::string& hash, const std::string& password);
  nlohmann::json tokens(const users::User& u, const std::string& session_id, const std::string& access,
                        const std::string& refresh) const;
  std::string access_token(const std::string& user_id, const std::string& role, const std::string& session_id) const;
  Task<void> throttle_login(const std::string& account_key, const std::string& ip_key);

  AppContext& ctx_;
  AuthRepo repo_;
  std::shared_ptr<users::UsersService> users_;
  SessionCache cache_;
  audit::AuditService audit_;
};

}  // namespace netops::auth
