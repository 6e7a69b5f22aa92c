#pragma once
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/assets/asset_service.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/inventory/inventory_service.hpp"

namespace netops::inventory {

// /api/v1/inventory: sessions CRUD, /start, /scan, /close, /cancel, /report (JSON or CSV).
Module<InventoryService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                         std::shared_ptr<assets::AssetService> assets);

}  // namespace netops::inventory
