#pragma once
#include "app/context.hpp"

namespace netops {
// /metrics, /docs and /docs/json.
void register_system_routes(AppContext& ctx);
// Gauges read at scrape time: DB pool, Redis, process RSS and uptime.
void register_process_collectors(AppContext& ctx);
}  // namespace netops
