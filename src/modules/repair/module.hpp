#pragma once
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/assets/asset_service.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/ops_events/ops_event_service.hpp"
#include "modules/repair/repair_service.hpp"
#include "modules/warehouse/document_service.hpp"

namespace netops::repair {

// /api/v1/maintenance/repair-orders: CRUD, /status, /parts (issued and returned through the warehouse),
// /reservations, /history, /attachments.
Module<RepairService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                      std::shared_ptr<ops_events::OpsEventService> ops,
                                      std::shared_ptr<assets::AssetService> assets,
                                      std::shared_ptr<warehouse::DocumentService> docs);

}  // namespace netops::repair
