#pragma once
#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/health/health_service.hpp"

namespace netops::health {
// GET /health, /health/live, /health/ready: served while the server is still starting (no database
// precheck).
Module<HealthService> register_module(AppContext& ctx);
}  // namespace netops::health
