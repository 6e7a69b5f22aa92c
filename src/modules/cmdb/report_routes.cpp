// HTTP shape of the CMDB's reports.
#include "http/request.hpp"
#include "http/response.hpp"
#include "modules/cmdb/module.hpp"

namespace netops::cmdb {

using http::Request;
using http::Response;

void register_report_routes(AppContext& ctx, const CmdbServices& s) {
  auto reports = s.reports;
  ctx.router
      .get("/api/v1/cmdb/reports/summary", Role::user,
           [reports](Request&) -> Task<Response> {
             auto r = co_await reports->summary();
             co_return Response::json(r);
           })
      .summary("CI counts by type, status and environment; relationship and service totals")
      .tag("cmdb");
  ctx.router
      .get("/api/v1/cmdb/reports/orphans", Role::user,
           [reports](Request& req) -> Task<Response> {
             auto limit = req.query_int("limit", 100, 1, 1000);
             auto r = co_await reports->orphans(limit);
             co_return Response::json(r);
           })
      .summary("CIs with no active relationship and no service membership (total, first `limit` by code)")
      .tag("cmdb")
      .query("limit", "integer", "1..1000 (default 100)");
  ctx.router
      .get("/api/v1/cmdb/reports/most-connected", Role::user,
           [reports](Request& req) -> Task<Response> {
             auto limit = req.query_int("limit", 20, 1, 1000);
             auto r = co_await reports->most_connected(limit);
             co_return Response::json(r);
           })
      .summary("CIs with the most active relationships (dependsOn + dependents)")
      .tag("cmdb")
      .query("limit", "integer", "1..1000 (default 20)");
  ctx.router
      .get("/api/v1/cmdb/reports/retired-references", Role::user,
           [reports](Request& req) -> Task<Response> {
             auto limit = req.query_int("limit", 100, 1, 1000);
             auto r = co_await reports->retired_targets(limit);
             co_return Response::json(r);
           })
      .summary("Active relationships that point at (or come from) retired CIs")
      .tag("cmdb")
      .query("limit", "integer", "1..1000 (default 100)");
}

}  // namespace netops::cmdb
