#pragma once
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/users/users_service.hpp"

namespace netops::auth {
class AuthService;
// Registers /api/auth/*, /api/keys, the authenticator and the per-user rate limiter, and installs itself
// as the users module's AccessRevoker (role, status and password changes revoke sessions and keys).
Module<AuthService> register_module(AppContext& ctx, std::shared_ptr<users::UsersService> users);
}  // namespace netops::auth
