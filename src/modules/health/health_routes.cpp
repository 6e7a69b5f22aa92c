#include <memory>

#include "modules/health/module.hpp"

namespace netops::health {

using http::Request;
using http::Response;
using http::Role;

Module<HealthService> register_module(AppContext& ctx) {
  auto svc = std::make_shared<HealthService>(ctx);
  const nlohmann::json service_schema = {
      {"type", "object"},
      {"properties", {{"status", {{"type", "string"}, {"enum", {"up", "down"}}}}, {"latencyMs", {{"type", "number"}}}}}};

  ctx.router
      .get("/health", Role::anonymous,
           [svc](Request&) -> Task<Response> {
             auto r = co_await svc->check();
             co_return Response::json(to_json(r), r.unhealthy() ? 503 : 200);
           })
      .summary("Overall health: healthy, degraded (Redis down) or unhealthy (PostgreSQL down, 503)")
      .tag("health")
      .no_database()
      .response({{"type", "object"},
                 {"properties",
                  {{"status", {{"type", "string"}, {"enum", {"healthy", "degraded", "unhealthy"}}}},
                   {"services", {{"type", "object"},
                                 {"properties", {{"database", service_schema}, {"redis", service_schema}}}}}}}});

  ctx.router
      .get("/health/live", Role::anonymous,
           [](Request&) -> Task<Response> { co_return Response::json({{"status", "alive"}}); })
      .summary("Liveness: the process is up")
      .tag("health")
      .no_database();

  ctx.router
      .get("/health/ready", Role::anonymous,
           [svc](Request&) -> Task<Response> {
             auto r = co_await svc->readiness();
             co_return Response::json(to_json(r), r.ready ? 200 : 503);
           })
      .summary("Readiness: database reachable and every migration applied (503 otherwise)")
      .tag("health")
      .no_database();
  return {svc, {}};
}

}  // namespace netops::health
