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
  // The limited lists: one shape, one table.
  struct Limited {
    const char* path;
    long long default_limit;
    Task<nlohmann::json> (ReportRepo::*run)(long long);
    const char* summary;
  };
  for (const auto& r : std::initializer_list<Limited>{
           {"orphans", 100, &ReportRepo::orphans,
            "CIs with no active relationship and no service membership (total, first `limit` by code)"},
           {"most-connected", 20, &ReportRepo::most_connected,
            "CIs with the most active relationships (dependsOn + dependents)"},
           {"retired-references", 100, &ReportRepo::retired_targets,
            "Active relationships that point at (or come from) retired CIs"}}) {
    ctx.router
        .get(std::string("/api/v1/cmdb/reports/") + r.path, Role::user,
             [reports, r](Request& req) -> Task<Response> {
               auto limit = req.query_int("limit", r.default_limit, 1, 1000);
               auto out = co_await ((*reports).*r.run)(limit);
               co_return Response::json(out);
             })
        .summary(r.summary)
        .tag("cmdb")
        .query("limit", "integer", "1..1000 (default " + std::to_string(r.default_limit) + ")");
  }
}

}  // namespace netops::cmdb
