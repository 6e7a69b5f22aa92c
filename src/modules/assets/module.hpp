#pragma once
#include <functional>

#include "kit/context.hpp"
#include "core/task.hpp"

namespace netops::assets {

struct Module {
  std::function<Task<void>()> drain;  // awaits the background work (exact list totals) on shutdown
};

// /api/v1/assets: CRUD, list/search/status-counts, status, assign/return/move, events, attachments,
// CSV import/export.
Module register_routes(AppContext& ctx);

}  // namespace netops::assets
