#pragma once
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/auth/auth_service.hpp"
#include "modules/users/users_service.hpp"

namespace netops::auth {
// Registers /api/auth/*, /api/keys, the authenticator and the per-user rate limiter, and installs itself
// as the users module's AccessRevoker (role, status and password changes revoke sessions and keys).
Module<AuthService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                    std::shared_ptr<users::UsersService> users);
}  // namespace netops::auth
