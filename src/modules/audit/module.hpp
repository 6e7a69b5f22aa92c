#pragma once
#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/audit/audit_service.hpp"

namespace netops::audit {
// GET /api/admin/audit-logs; the service is how every other module writes audit rows.
Module<AuditService> register_module(AppContext& ctx);
}  // namespace netops::audit
