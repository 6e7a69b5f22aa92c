#pragma once
#include "kit/context.hpp"

namespace netops {
// /metrics, /docs and /docs/json.
void register_system_routes(AppContext& ctx);
// The router of the NETOPS_METRICS_LISTEN listener: GET /metrics only (anonymous unless
// NETOPS_METRICS_TOKEN is set, then that token).
void register_metrics_listener_routes(http::Router& router, const Config& config);
// Gauges read at scrape time: DB pool, Redis, process RSS and uptime.
void register_process_collectors(AppContext& ctx);
}  // namespace netops
