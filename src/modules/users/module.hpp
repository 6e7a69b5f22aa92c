#pragma once
#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/users/users_service.hpp"

namespace netops::users {
// /api/admin/users…; the service owns the users table (identity reads and updates it through it).
Module<UsersService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit);
}  // namespace netops::users
