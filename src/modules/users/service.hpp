#pragma once
// Admin management of users (SPEC §3 "Auth & admin"): list, get, create, update, delete, reset password.
// Role, status and password changes revoke the user's sessions at once (through AuthService).
#include <memory>
#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "http/listing.hpp"
#include "modules/audit/service.hpp"
#include "modules/auth/service.hpp"
#include "modules/users/repo.hpp"

namespace netops::users {

class UsersService {
 public:
  UsersService(AppContext& ctx, std::shared_ptr<auth::AuthService> auth)
      : ctx_(ctx), repo_(ctx.db), audit_(ctx.db), auth_(std::move(auth)) {}
  Task<std::pair<nlohmann::json, long long>> list(const UserFilter& f, const http::Paging& p, const http::Sort& s);
  Task<nlohmann::json> get(const std::string& id);
  Task<nlohmann::json> create(const nlohmann::json& body, const http::Actor& by, const auth::Origin& o);
  // check runs inside the transaction with the locked current representation (If-Match).
  Task<nlohmann::json> update(const std::string& id, const nlohmann::json& body, const http::Actor& by,
                              const auth::Origin& o, std::function<void(const nlohmann::json&)> check);
  Task<void> remove(const std::string& id, const http::Actor& by, const auth::Origin& o);
  Task<nlohmann::json> reset_password(const std::string& id, const nlohmann::json& body, const http::Actor& by,
                                      const auth::Origin& o);

 private:
  AppContext& ctx_;
  UserRepo repo_;
  audit::AuditService audit_;
  std::shared_ptr<auth::AuthService> auth_;
};

}  // namespace netops::users
