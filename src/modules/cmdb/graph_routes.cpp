// HTTP shape of graph, impact and service dependencies.
#include "core/error.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "modules/cmdb/cmdb_body.hpp"
#include "modules/cmdb/module.hpp"

namespace netops::cmdb {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const std::string kDisposition = "Content-Disposition";
const std::string kImpactFile = "attachment; filename=\"cmdb-impact.csv\"";

std::string direction_of(const Request& req, const char* fallback, bool allow_both = true) {
  auto d = req.query("direction").value_or(fallback);
  if (d == "upstream" || d == "downstream" || (allow_both && d == "both")) return d;
  throw ValidationError("direction", "must be one of upstream, downstream, both");
}

Response impact_response(const Request& req, const Impact& impact) {
  auto format = req.query("format").value_or("json");
  if (format == "csv") {
    auto r = Response::text(to_csv(impact), "text/csv; charset=utf-8");
    r.headers.emplace_back(kDisposition, kImpactFile);
    return r;
  }
  return Response::json(to_json(impact));
}

void check_format(const Request& req) {
  auto format = req.query("format").value_or("json");
  if (format != "json" && format != "csv") throw ValidationError("format", "must be json or csv");
}
}  // namespace

void register_graph_routes(AppContext& ctx, const CmdbServices& s) {
  auto graph = s.graph;
  auto services = s.services;

  ctx.router
      .get("/api/v1/cmdb/cis/{id}/graph", Role::user,
           [graph](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             int depth = static_cast<int>(req.query_int("depth", 1, 1, kMaxDepth));
             auto direction = direction_of(req, "both");
             auto g = co_await graph->graph(id, depth, direction);
             co_return Response::json(g);
           })
      .summary("Nodes and edges around a CI (one recursive query, active relationships, cycle-safe)")
      .tag("cmdb")
      .query("depth", "integer", "1..10 (default 1)")
      .query("direction", "string", "upstream (what depends on it) | downstream (what it depends on) | both");

  ctx.router
      .get("/api/v1/cmdb/cis/{id}/impact", Role::user,
           [graph](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             int depth = static_cast<int>(req.query_int("depth", kMaxDepth, 1, kMaxDepth));
             auto direction = direction_of(req, "upstream");
             check_format(req);
             std::vector<std::string> ids{id};
             auto impact = co_await graph->impact(ids, depth, direction);
             co_return impact_response(req, impact);
           })
      .summary("Every CI that transitively depends on this one (distance, shortest path, spared by redundancy "
               "or impacted) and the services affected; direction=both adds what it depends on; format=csv")
      .tag("cmdb")
      .query("depth", "integer", "1..10 (default 10)")
      .query("direction", "string", "upstream (default) | downstream | both")
      .query("format", "string", "json (default) | csv");

  ctx.router
      .post("/api/v1/cmdb/impact", Role::user,
            [graph](Request& req) -> Task<Response> {
              auto ids = parse_ci_ids(req.json(), kMaxImpactCis);
              int depth = static_cast<int>(req.query_int("depth", kMaxDepth, 1, kMaxDepth));
              auto direction = direction_of(req, "upstream");
              check_format(req);
              auto impact = co_await graph->impact(ids, depth, direction);
              co_return impact_response(req, impact);
            })
      .summary("Impact of taking several CIs down at once ({\"ciIds\": [...]}, at most 1000)")
      .tag("cmdb")
      .query("depth", "integer", "1..10 (default 10)")
      .query("direction", "string", "upstream (default) | downstream | both")
      .query("format", "string", "json (default) | csv")
      .request({{"type", "object"},
                {"required", {"ciIds"}},
                {"properties", {{"ciIds", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}});

  ctx.router
      .get("/api/v1/cmdb/services/{id}/dependencies", Role::user,
           [graph, services](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             int depth = static_cast<int>(req.query_int("depth", kMaxDepth, 1, kMaxDepth));
             check_format(req);
             auto service = co_await services->get(id);  // 404
             auto impact = co_await graph->service_dependencies(service.id, depth, true);
             co_return impact_response(req, impact);
           })
      .summary("Everything a service's members depend on, transitively (distance and path from the member)")
      .tag("cmdb")
      .query("depth", "integer", "1..10 (default 10)")
      .query("format", "string", "json (default) | csv");
}

}  // namespace netops::cmdb
