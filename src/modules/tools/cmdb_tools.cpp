// CMDB: ci_impact (what breaks when a CI goes down: paths, spared/impacted, services affected), ci_graph
// (nodes and edges around a CI) and service_dependencies (what a business service's members depend on).
// GraphService / CiService / ServiceService, exactly as GET /api/v1/cmdb/cis/{id}/impact, …/graph and
// /api/v1/cmdb/services/{id}/dependencies (Role::user). A CI or service may be named by id or by code/name.
#include <algorithm>

#include "core/error.hpp"
#include "modules/tools/builtin.hpp"
#include "modules/tools/pick.hpp"

namespace netops::tools {

using nlohmann::json;

namespace {

constexpr int kMaxRows = 200;

// Plain functions, not inside the coroutines: GCC 12 mishandles temporaries in coroutine bodies.
std::string pick_ci(const std::vector<cmdb::Ci>& found, const std::string& text) {
  return pick_one(
             found, text, "CI", "ciId", [](const cmdb::Ci& c) { return std::vector<std::string>{c.ci_code, c.name}; },
             [](const cmdb::Ci& c) { return json{{"id", c.id}, {"ciCode", c.ci_code}, {"name", c.name}}; })
      .id;
}
cmdb::Service pick_service(const std::vector<cmdb::Service>& found, const std::string& text) {
  return pick_one(
      found, text, "service", "serviceId",
      [](const cmdb::Service& c) { return std::vector<std::string>{c.code, c.name}; },
      [](const cmdb::Service& c) { return json{{"id", c.id}, {"code", c.code}, {"name", c.name}}; });
}

// The CI named by `ciId` or `ci` (its code or name, see pick.hpp).
Task<std::string> resolve_ci(std::shared_ptr<cmdb::CiService> cis, const json& a) {
  if (a.contains("ciId")) {
    auto id = id_arg(a, "ciId");
    co_await cis->exists(id);  // 404 NOT_FOUND
    co_return id;
  }
  if (!a.contains("ci")) throw ValidationError("arguments.ci", "give ciId or ci (a CI code or name)");
  std::string text = a["ci"].get<std::string>();
  cmdb::CiFilter f;
  f.search = text;
  db::PageRequest p{.page = 1, .page_size = 20};  // named: GCC 12 mishandles temporaries in co_await
  db::Sort s{"c.ci_code", false};
  auto page = co_await cis->list(f, p, s);
  co_return pick_ci(page.items, text);
}

Task<cmdb::Service> resolve_service(std::shared_ptr<cmdb::ServiceService> services, const json& a) {
  if (a.contains("serviceId")) {
    auto id = id_arg(a, "serviceId");
    auto found = co_await services->get(id);  // 404 NOT_FOUND
    co_return found;
  }
  if (!a.contains("service")) throw ValidationError("arguments.service", "give serviceId or service (a code or name)");
  std::string text = a["service"].get<std::string>();
  cmdb::ServiceFilter f;
  f.search = text;
  db::PageRequest p{.page = 1, .page_size = 20};  // named: GCC 12 mishandles temporaries in co_await
  db::Sort s{"s.code", false};
  auto page = co_await services->list(f, p, s);
  co_return pick_service(page.items, text);
}

// Keeps at most `limit` entries of out[key]; says how many were left out.
void cap(json& out, const char* key, int limit) {
  auto it = out.find(key);
  if (it == out.end() || !it->is_array() || it->size() <= static_cast<std::size_t>(limit)) return;
  auto total = it->size();
  it->erase(it->begin() + limit, it->end());
  out["omitted"][key] = total - static_cast<std::size_t>(limit);
}

json ci_ref_properties() {
  return {{"ciId", uuid_schema("the CI's id")},
          {"ci", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200},
                  {"description", "the CI's code (e.g. sw-core-01) or name, when the id is not known"}}}};
}

json limit_schema(const char* what) {
  return {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxRows}, {"description", what}};
}

const json kImpactOutput = {{"type", "object"},
                            {"properties",
                             {{"roots", {{"type", "array"}}},
                              {"cis", {{"type", "array"}}},
                              {"services", {{"type", "array"}}},
                              {"counts", {{"type", "object"}}},
                              {"truncated", {{"type", "boolean"}}}}},
                            {"required", {"roots", "cis", "services", "counts"}}};

}  // namespace

void add_cmdb_tools(Registry& r, const ToolDeps& d) {
  auto cis = d.cis;
  auto graph = d.graph;
  auto services = d.services;

  json impact_props = ci_ref_properties();
  impact_props["depth"] = {{"type", "integer"}, {"minimum", 1}, {"maximum", cmdb::kMaxDepth},
                           {"description", "how many relationship hops to follow (default 10)"}};
  impact_props["direction"] = {{"type", "string"}, {"enum", {"upstream", "downstream", "both"}},
                               {"description", "upstream (default): what depends on the CI, i.e. what breaks; "
                                               "downstream: what the CI depends on; both"}};
  impact_props["limit"] = limit_schema("at most this many CIs in the answer (default 50)");
  r.add(Tool{
      .name = "ci_impact",
      .title = "Impact of a CI going down",
      .description =
          "What breaks if a configuration item (switch, router, server, link, application …) goes down: every CI "
          "that transitively depends on it with its distance, the dependency path (`explanation`, e.g. "
          "\"sw-core-01 -runs_on-> vm-12\"), whether it is `impacted` or `spared` by redundancy (with the "
          "reason), open tickets and repair orders on the way, and the business services affected (with "
          "criticality and the member CI they are reached through). Name the CI by `ciId` or by its code/name "
          "in `ci`.",
      .input_schema = {{"type", "object"}, {"properties", impact_props}, {"additionalProperties", false}},
      .output_schema = kImpactOutput,
      .min_role = Role::user,
      .read_only = true,
      .run = [cis, graph](const json& a, const Caller&) -> Task<json> {
        auto id = co_await resolve_ci(cis, a);
        std::vector<std::string> ids{id};
        int depth = a.value("depth", cmdb::kMaxDepth);
        std::string direction = a.value("direction", std::string("upstream"));
        auto impact = co_await graph->impact(ids, depth, direction);
        json out = cmdb::to_json(impact);
        int limit = a.value("limit", 50);
        cap(out, "cis", limit);
        cap(out, "services", kMaxRows);
        cap(out, "dependencies", limit);
        co_return out;
      },
  });

  json graph_props = ci_ref_properties();
  graph_props["depth"] = {{"type", "integer"}, {"minimum", 1}, {"maximum", 3},
                          {"description", "relationship hops around the CI (default 1)"}};
  graph_props["direction"] = {{"type", "string"}, {"enum", {"upstream", "downstream", "both"}},
                              {"description", "upstream: what depends on it; downstream: what it depends on; both "
                                              "(default)"}};
  graph_props["limit"] = limit_schema("at most this many nodes (default 100; edges at most twice that)");
  r.add(Tool{
      .name = "ci_graph",
      .title = "Relationship graph around a CI",
      .description = "The CIs around one configuration item and the active relationships between them (nodes "
                     "and edges with relationship types), to a small depth. Use ci_impact to ask what breaks.",
      .input_schema = {{"type", "object"}, {"properties", graph_props}, {"additionalProperties", false}},
      .output_schema = {{"type", "object"},
                        {"properties", {{"nodes", {{"type", "array"}}}, {"edges", {{"type", "array"}}},
                                        {"rootId", {{"type", "string"}}}}},
                        {"required", {"nodes", "edges"}}},
      .min_role = Role::user,
      .read_only = true,
      .run = [cis, graph](const json& a, const Caller&) -> Task<json> {
        auto id = co_await resolve_ci(cis, a);
        int depth = a.value("depth", 1);
        std::string direction = a.value("direction", std::string("both"));
        auto out = co_await graph->graph(id, depth, direction);
        int limit = a.value("limit", 100);
        cap(out, "nodes", limit);
        cap(out, "edges", 2 * limit);
        co_return out;
      },
  });

  r.add(Tool{
      .name = "service_dependencies",
      .title = "Dependencies of a business service",
      .description = "Everything a business service depends on: the CIs its members depend on, transitively, "
                     "with distance and the path from the member. Name the service by `serviceId` or by its "
                     "code/name in `service`.",
      .input_schema = {{"type", "object"},
                       {"properties",
                        {{"serviceId", uuid_schema("the service's id")},
                         {"service", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200},
                                      {"description", "the service's code or name"}}},
                         {"depth", {{"type", "integer"}, {"minimum", 1}, {"maximum", cmdb::kMaxDepth},
                                    {"description", "hops to follow (default 10)"}}},
                         {"limit", limit_schema("at most this many CIs (default 50)")}}},
                       {"additionalProperties", false}},
      .output_schema = {{"type", "object"},
                        {"properties", {{"service", {{"type", "object"}}}, {"dependencies", {{"type", "array"}}},
                                        {"counts", {{"type", "object"}}}}},
                        {"required", {"service", "dependencies"}}},
      .min_role = Role::user,
      .read_only = true,
      .run = [services, graph](const json& a, const Caller&) -> Task<json> {
        auto service = co_await resolve_service(services, a);
        int depth = a.value("depth", cmdb::kMaxDepth);
        auto deps = co_await graph->service_dependencies(service.id, depth, true);
        json out = cmdb::to_json(deps);
        if (!out.contains("dependencies")) out["dependencies"] = json::array();
        out["service"] = cmdb::to_json(service);
        int limit = a.value("limit", 50);
        cap(out, "dependencies", limit);
        cap(out, "cis", limit);
        cap(out, "services", kMaxRows);
        co_return out;
      },
  });
}

}  // namespace netops::tools
