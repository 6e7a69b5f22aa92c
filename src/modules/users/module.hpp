#pragma once
#include <memory>

#include "app/context.hpp"

namespace netops::auth {
class AuthService;
}

namespace netops::users {
void register_routes(AppContext& ctx, std::shared_ptr<auth::AuthService> auth);
}
