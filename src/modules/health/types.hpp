#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace netops::health {

struct ServiceCheck {
  bool up = false;
  double latency_ms = 0;
};

// GET /health
struct HealthReport {
  std::string status;  // healthy | degraded (Redis down) | unhealthy (PostgreSQL down)
  double uptime_seconds = 0;
  ServiceCheck database, redis;
  bool unhealthy() const { return status == "unhealthy"; }
};
nlohmann::json to_json(const HealthReport& r);  // with the server's version

// GET /health/ready
struct Readiness {
  bool database = false;    // reachable
  bool migrations = false;  // every embedded migration applied
  bool ready = false;       // both, and start-up (first admin, seeds) done
};
nlohmann::json to_json(const Readiness& r);

}  // namespace netops::health
