#include "modules/health/types.hpp"

#include "kit/context.hpp"

namespace netops::health {

namespace {
nlohmann::json to_json(const ServiceCheck& s) { return {{"status", s.up ? "up" : "down"}, {"latencyMs", s.latency_ms}}; }
}  // namespace

nlohmann::json to_json(const HealthReport& r) {
  return {{"status", r.status},
          {"version", kVersion},
          {"uptimeSeconds", r.uptime_seconds},
          {"services", {{"database", to_json(r.database)}, {"redis", to_json(r.redis)}}}};
}

nlohmann::json to_json(const Readiness& r) {
  return {{"status", r.ready ? "ready" : "not_ready"},
          {"checks", {{"database", r.database}, {"migrations", r.migrations}}}};
}

}  // namespace netops::health
