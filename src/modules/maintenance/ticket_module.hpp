#pragma once
// Maintenance tickets: /api/v1/maintenance/tickets (SPEC §3 "Workflow & maintenance", §4.5). Reads, and
// opening a ticket, need Role::user; edits, status changes and deletes Role::admin.
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/assets/asset_service.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/maintenance/ticket_service.hpp"

namespace netops::maintenance {

Module<TicketService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                      std::shared_ptr<assets::AssetService> assets);

void register_ticket_routes(AppContext& ctx, std::shared_ptr<TicketService> svc);

}  // namespace netops::maintenance
