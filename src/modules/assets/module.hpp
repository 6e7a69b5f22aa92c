#pragma once
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/assets/asset_service.hpp"
#include "modules/audit/audit_service.hpp"

namespace netops::assets {

// /api/v1/assets: CRUD, list/search/status-counts, status, assign/return/move, events, attachments,
// CSV import/export. Its drain awaits the background work (exact list totals) on shutdown.
Module<AssetService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit);

}  // namespace netops::assets
