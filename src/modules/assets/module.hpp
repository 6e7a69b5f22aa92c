#pragma once
#include "app/context.hpp"

namespace netops::assets {
// /api/v1/assets: CRUD, list/search/status-counts, status, assign/return/move, events, attachments,
// CSV import/export.
void register_routes(AppContext& ctx);
}  // namespace netops::assets
