// HTTP shape of business services and their members.
#include <algorithm>

#include "http/crud.hpp"
#include "modules/cmdb/cmdb_body.hpp"
#include "modules/cmdb/module.hpp"

namespace netops::cmdb {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const json kService = {
    {"type", "object"},
    {"properties",
     {{"id", {{"type", "string"}}},
      {"code", {{"type", "string"}}},
      {"name", {{"type", "string"}}},
      {"criticality", {{"type", "string"}, {"enum", {"low", "medium", "high", "critical"}}}},
      {"owner", {{"type", "string"}}},
      {"sla", {{"type", "string"}}},
      {"status", {{"type", "string"}}},
      {"health", {{"type", "string"}, {"enum", {"healthy", "degraded", "down", "planned", "unknown"}}}},
      {"memberCount", {{"type", "integer"}}},
      {"createdAt", {{"type", "string"}}}}}};
const json kMember = {{"type", "object"},
                      {"required", {"ciId"}},
                      {"properties", {{"ciId", {{"type", "string"}}}, {"role", {{"type", "string"}}}}}};
const http::ListSpec kList{
    .filters = {{"criticality", "string", "low | medium | high | critical"},
                {"search", "string", "in code and name"},
                {"ciId", "string", "services this CI is a member of"}},
    .sorts = {{"code", "s.code"}, {"name", "s.name"}, {"createdAt", "s.created_at"}},
    .default_sort = "code",
    .default_descending = false,
    .default_page_size = 50,
};
}  // namespace

void register_service_routes(AppContext& ctx, const CmdbServices& s) {
  auto svc = s.services;
  http::crud(ctx.router, svc,
             http::CrudSpec<ServiceInput, ServiceFilter>{
                 .base = "/api/v1/cmdb/services",
                 .noun = "service",
                 .tag = "cmdb",
                 .item_schema = kService,
                 .input_schema = kService,
                 .list = kList,
                 .filter = [](const Request& req) {
                   ServiceFilter f;
                   f.criticality = req.query("criticality");
                   if (f.criticality && *f.criticality != "low" && *f.criticality != "medium" &&
                       *f.criticality != "high" && *f.criticality != "critical")
                     throw ValidationError("criticality", "must be one of low, medium, high, critical");
                   f.search = req.query("search");
                   f.ci_id = req.query_uuid("ciId");
                   return f;
                 },
                 .parse = parse_service,
                 .delete_summary = "its memberships go with it",
             });

  ctx.router
      .get("/api/v1/cmdb/services/{id}/members", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto rows = co_await svc->members(id);
             json data = json::array();
             for (auto& m : rows) data.push_back(to_json(m));
             auto n = static_cast<long long>(data.size());
             co_return http::page(std::move(data), 1, std::max(n, 1LL), n);
           })
      .summary("Members of a service (all of them: one page)")
      .tag("cmdb");

  ctx.router
      .post("/api/v1/cmdb/services/{id}/members", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto in = parse_member(req.json());
              auto by = req.caller();
              auto m = co_await svc->add_member(id, in.ci_id, in.role, by);
              co_return Response::json(to_json(m), 201);
            })
      .summary("Add a CI to a service with a role (404 unknown CI, 409 already a member)")
      .tag("cmdb")
      .request(kMember)
      .response(kMember, 201);

  ctx.router
      .del("/api/v1/cmdb/services/{id}/members/{memberId}", Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto member = req.path_uuid("memberId");
             auto by = req.caller();
             co_await svc->remove_member(id, member, by);
             co_return Response::no_content();
           })
      .summary("Remove a member from a service")
      .tag("cmdb")
      .response(nullptr, 204);
}

}  // namespace netops::cmdb
