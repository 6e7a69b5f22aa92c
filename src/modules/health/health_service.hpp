#pragma once
// Health of the server and what it depends on: PostgreSQL and Redis (with latency), readiness
// (database reachable, migrations applied, start-up done). No tables of its own.
#include "kit/context.hpp"
#include "modules/health/types.hpp"

namespace netops::health {

class HealthService {
 public:
  explicit HealthService(AppContext& ctx) : ctx_(ctx) {}
  Task<HealthReport> check();    // database and Redis, each with status and latency
  Task<Readiness> readiness();   // database reachable and migrations applied

 private:
  AppContext& ctx_;
};

}  // namespace netops::health
