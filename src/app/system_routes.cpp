#include "app/system_routes.hpp"

#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "core/metrics.hpp"
#include "http/openapi.hpp"

namespace netops {

using http::Request;
using http::Response;
using http::Role;

namespace {
long rss_bytes() {
  std::ifstream f("/proc/self/statm");
  long pages = 0, resident = 0;
  f >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}
}  // namespace

void register_process_collectors(AppContext& ctx) {
  auto& m = Metrics::instance();
  m.describe("http_requests_total", "counter", "HTTP requests by method, route template and status");
  m.describe("http_request_duration_seconds", "histogram", "HTTP request latency by method, route and status");
  m.add_collector([&ctx](std::string& out) {
    auto s = ctx.db.stats();
    out += "# HELP db_pool_connections PostgreSQL pool connections by state\n# TYPE db_pool_connections gauge\n";
    out += "db_pool_connections{state=\"in_use\"} " + std::to_string(s.in_use) + "\n";
    out += "db_pool_connections{state=\"idle\"} " + std::to_string(s.idle) + "\n";
    out += "# HELP db_pool_waiting Coroutines waiting for a PostgreSQL connection\n# TYPE db_pool_waiting gauge\n";
    out += "db_pool_waiting " + std::to_string(s.waiting) + "\n";
    out += "# HELP redis_up Whether this worker's Redis connection is up\n# TYPE redis_up gauge\n";
    out += std::string("redis_up ") + (ctx.redis.connected() ? "1" : "0") + "\n";
    out += "# HELP redis_reconnects_total Redis reconnections\n# TYPE redis_reconnects_total counter\n";
    out += "redis_reconnects_total " + std::to_string(ctx.redis.reconnects()) + "\n";
    out += "# HELP process_resident_memory_bytes Resident set size\n# TYPE process_resident_memory_bytes gauge\n";
    out += "process_resident_memory_bytes " + std::to_string(rss_bytes()) + "\n";
    out += "# HELP process_uptime_seconds Seconds since start\n# TYPE process_uptime_seconds gauge\n";
    out += "process_uptime_seconds " +
           std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started).count()) + "\n";
  });
}

void register_system_routes(AppContext& ctx) {
  ctx.router
      .get("/metrics", Role::anonymous,
           [](Request&) -> Task<Response> {
             co_return Response::text(Metrics::instance().render(), "text/plain; version=0.0.4; charset=utf-8");
           })
      .summary("Prometheus metrics")
      .tag("system")
      .no_database();

  ctx.router
      .get("/docs", Role::anonymous,
           [](Request&) -> Task<Response> {
             co_return Response::text(http::docs_page_html(), "text/html; charset=utf-8");
           })
      .summary("Browsable API documentation")
      .tag("system")
      .no_database();

  // Built once, after every route is registered (this route included), so it covers them all.
  auto doc = std::make_shared<std::string>();
  ctx.router
      .get("/docs/json", Role::anonymous,
           [doc](Request&) -> Task<Response> { co_return Response::text(*doc, "application/json"); })
      .summary("OpenAPI 3 document of every route")
      .tag("system")
      .no_database();
  *doc = http::openapi_document(ctx.router, kVersion).dump();
}

}  // namespace netops
