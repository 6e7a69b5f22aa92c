#include "app/system_routes.hpp"

#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "core/error.hpp"
#include "core/busy_poll.hpp"
#include "core/metrics.hpp"
#include "http/openapi.hpp"
#include "modules/auth/session_cache.hpp"

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
// "Authorization: Bearer <NETOPS_METRICS_TOKEN>", compared in constant time.
bool metrics_token_ok(const Request& req, const std::optional<std::string>& token) {
  if (!token) return false;
  auto h = req.header("authorization");
  if (!h || h->size() != token->size() + 7 || !(h->substr(0, 7) == "Bearer " || h->substr(0, 7) == "bearer "))
    return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < token->size(); ++i) diff |= static_cast<unsigned char>((*h)[7 + i] ^ (*token)[i]);
  return diff == 0;
}

Response metrics_text() {
  return Response::text(Metrics::instance().render(), "text/plain; version=0.0.4; charset=utf-8");
}
}  // namespace

void register_metrics_listener_routes(http::Router& router, const Config& config) {
  router
      .get("/metrics", Role::anonymous,
           [&config](Request& req) -> Task<Response> {
             if (config.metrics_token && !metrics_token_ok(req, config.metrics_token))
               throw Unauthorized("/metrics needs \"Authorization: Bearer <NETOPS_METRICS_TOKEN>\"");
             co_return metrics_text();
           })
      .summary("Prometheus metrics")
      .no_database();
}

void register_process_collectors(AppContext& ctx) {
  auto& m = Metrics::instance();
  m.describe("http_requests_total", "counter", "HTTP requests by method, route template and status");
  m.describe("http_request_duration_seconds", "histogram", "HTTP request latency by method, route and status");
  m.describe("http_connections_rejected_total", "counter", "Connections closed at once: NETOPS_MAX_CONNECTIONS reached");
  m.describe("http_accept_errors_total", "counter", "Failed accepts (e.g. out of file descriptors), each followed by a pause");
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
    out += "# HELP blocking_jobs CPU-heavy jobs (password hashes, CSV parsing) queued or running\n# TYPE blocking_jobs gauge\n";
    out += "blocking_jobs " + std::to_string(ctx.blocking.queued()) + "\n";
    out += "# HELP blocking_refused_total Jobs refused because the blocking queue was full (503)\n"
           "# TYPE blocking_refused_total counter\n";
    out += "blocking_refused_total " + std::to_string(ctx.blocking.refused()) + "\n";
    out += "# HELP auth_outstanding_tombstones Revocations not yet written to Redis (cache bypassed meanwhile)\n"
           "# TYPE auth_outstanding_tombstones gauge\n";
    out += "auth_outstanding_tombstones " + std::to_string(auth::SessionCache::outstanding_tombstones()) + "\n";
    render_busy_poll_metrics(out);
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
           [&ctx](Request& req) -> Task<Response> {
             // Cost per provider and model, routes, pool sizes: not for anonymous callers. The route is
             // "anonymous" for the pipeline only so the token (no user behind it) can be checked here.
             if (!metrics_token_ok(req, ctx.config.metrics_token)) {
               auto who = co_await ctx.pipeline.authenticate(req);
               if (!who)
                 throw Unauthorized("/metrics needs an admin session or \"Authorization: Bearer <NETOPS_METRICS_TOKEN>\"");
               if (who->key_scopes || who->actor.role < Role::admin)
                 throw Forbidden("/metrics needs an admin or super_admin session (API keys cannot read it)");
             }
             co_return metrics_text();
           })
      .summary("Prometheus metrics (admin session or NETOPS_METRICS_TOKEN)")
      .documented_role(Role::admin)
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
