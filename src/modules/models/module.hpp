#pragma once
#include <functional>
#include <memory>

#include "kit/context.hpp"
#include "modules/models/registry.hpp"
#include "modules/models/service.hpp"

namespace netops::models {

struct Options {
  ProbeHook probe;              // GET /api/providers/{id}/health; unset → 501
  BreakerHook circuit_breaker;  // circuitBreaker in GET /api/models/{id}; unset → omitted
};

// What the gateway module needs from this one. The setters exist because the gateway registers after
// this module; call them during registration (before the server runs), never while serving.
struct Module {
  std::shared_ptr<Registry> registry;
  std::function<void(ProbeHook)> set_probe;
  std::function<void(BreakerHook)> set_circuit_breaker;
};

// Registers /api/providers, /api/models, /api/orchestration, /api/usage/logs and /v1/models.
Module register_routes(AppContext& ctx, Options opts = {});

}  // namespace netops::models
