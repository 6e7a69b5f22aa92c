#pragma once
#include <nlohmann/json.hpp>

#include "kit/context.hpp"

namespace netops::health {

struct Report {
  std::string status;  // healthy | degraded | unhealthy
  nlohmann::json body;
};

class HealthService {
 public:
  explicit HealthService(AppContext& ctx) : ctx_(ctx) {}
  Task<Report> check();     // database and Redis, each with status and latency
  Task<Report> readiness(); // database reachable and migrations applied

 private:
  AppContext& ctx_;
};

}  // namespace netops::health
