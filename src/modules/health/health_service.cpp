#include "modules/health/health_service.hpp"

#include <chrono>

#include "db/migrations.hpp"

namespace netops::health {

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
}  // namespace

Task<HealthReport> HealthService::check() {
  HealthReport r;
  auto t0 = Clock::now();
  r.database.up = co_await ctx_.db.ping();
  r.database.latency_ms = ms_since(t0);
  auto t1 = Clock::now();
  try {
    std::vector<std::string> ping{"PING"};  // GCC 12 cannot take a braced list inside co_await
    auto reply = co_await ctx_.redis.command(std::move(ping));
    r.redis.up = reply.str == "PONG";
  } catch (const std::exception&) {
    r.redis.up = false;
  }
  r.redis.latency_ms = ms_since(t1);
  r.status = !r.database.up ? "unhealthy" : (!r.redis.up ? "degraded" : "healthy");
  r.uptime_seconds = std::chrono::duration<double>(Clock::now() - ctx_.started).count();
  co_return r;
}

Task<Readiness> HealthService::readiness() {
  Readiness r;
  r.database = co_await ctx_.db.ping();
  if (r.database) {
    try {
      r.migrations = co_await db::migrations_applied(ctx_.db);
    } catch (const std::exception&) {
      r.migrations = false;
    }
  }
  r.ready = r.database && r.migrations && ctx_.ready.load();
  co_return r;
}

}  // namespace netops::health
