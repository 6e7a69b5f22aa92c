#pragma once
#include <memory>

#include "app/context.hpp"

namespace netops::auth {
class AuthService;
// Registers /api/auth/*, /api/keys, the authenticator and the per-user rate limiter; returns the service
// so other modules (users) can revoke sessions.
std::shared_ptr<AuthService> register_routes(AppContext& ctx);
}  // namespace netops::auth
