#include "modules/health/service.hpp"

#include <chrono>

#include "db/migrations.hpp"

namespace netops::health {

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
}  // namespace

Task<Report> HealthService::check() {
  auto t0 = Clock::now();
  bool db_up = co_await ctx_.db.ping();
  double db_ms = ms_since(t0);
  auto t1 = Clock::now();
  bool redis_up = false;
  try {
    std::vector<std::string> ping{"PING"};  // GCC 12 cannot take a braced list inside co_await
    auto r = co_await ctx_.redis.command(std::move(ping));
    redis_up = r.str == "PONG";
  } catch (const std::exception&) {
    redis_up = false;
  }
  double redis_ms = ms_since(t1);
  std::string status = !db_up ? "unhealthy" : (!redis_up ? "degraded" : "healthy");
  nlohmann::json body = {
      {"status", status},
      {"version", kVersion},
      {"uptimeSeconds", std::chrono::duration<double>(Clock::now() - ctx_.started).count()},
      {"services",
       {{"database", {{"status", db_up ? "up" : "down"}, {"latencyMs", db_ms}}},
        {"redis", {{"status", redis_up ? "up" : "down"}, {"latencyMs", redis_ms}}}}}};
  co_return Report{status, body};
}

Task<Report> HealthService::readiness() {
  bool db_up = co_await ctx_.db.ping();
  bool migrated = false;
  if (db_up) {
    try {
      migrated = co_await db::migrations_applied(ctx_.db);
    } catch (const std::exception&) {
      migrated = false;
    }
  }
  bool ready = db_up && migrated && ctx_.ready.load();
  nlohmann::json body = {{"status", ready ? "ready" : "not_ready"},
                         {"checks", {{"database", db_up}, {"migrations", migrated}}}};
  co_return Report{ready ? "ready" : "not_ready", body};
}

}  // namespace netops::health
