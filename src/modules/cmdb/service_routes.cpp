// HTTP shape of business services and their members.
#include <algorithm>

#include "http/children.hpp"
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

  const std::string members = "/api/v1/cmdb/services/{id}/members";
  http::list_children(ctx.router, members, Role::user, [svc](const std::string& id) { return svc->members(id); })
      .summary("Members of a service (all of them: one page)")
      .tag("cmdb");
  http::add_child(
      ctx.router, members, Role::admin, [](const Request& r) { return parse_member(r.json()); },
      [svc](const std::string& id, const MemberInput& in, const Caller& by) {
        return svc->add_member(id, in.ci_id, in.role, by);
      })
      .summary("Add a CI to a service with a role (404 unknown CI, 409 already a member)")
      .tag("cmdb")
      .request(kMember)
      .response(kMember, 201);
  http::remove_child(ctx.router, members + "/{memberId}", "memberId", Role::admin,
                     [svc](const std::string& id, const std::string& member, const Caller& by) {
                       return svc->remove_member(id, member, by);
                     })
      .summary("Remove a member from a service")
      .tag("cmdb")
      .response(nullptr, 204);
}

}  // namespace netops::cmdb
