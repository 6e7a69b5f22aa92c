// HTTP shape of CIs: CRUD (crud.hpp), DELETE with ?force=true, CSV export, history.
#include <re2/re2.h>

#include <set>

#include "http/crud.hpp"
#include "modules/cmdb/cmdb_body.hpp"
#include "modules/cmdb/module.hpp"
#include "modules/ops_events/module.hpp"

namespace netops::cmdb {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const std::string kDisposition = "Content-Disposition";
const std::string kExportFile = "attachment; filename=\"cmdb-cis.csv\"";
const json kCi = {{"type", "object"},
                  {"properties",
                   {{"id", {{"type", "string"}}},
                    {"typeId", {{"type", "string"}}},
                    {"typeCode", {{"type", "string"}}},
                    {"name", {{"type", "string"}}},
                    {"ciCode", {{"type", "string"}}},
                    {"status", {{"type", "string"}, {"enum", {"active", "planned", "maintenance", "retired"}}}},
                    {"environment", {{"type", "string"}, {"enum", {"prod", "uat", "dev"}}}},
                    {"assetId", {{"type", "string"}}},
                    {"locationId", {{"type", "string"}}},
                    {"ownerTeam", {{"type", "string"}}},
                    {"notes", {{"type", "string"}}},
                    {"attributes", {{"type", "object"}}},
                    {"attributesVersionId", {{"type", "string"}}},
                    {"createdAt", {{"type", "string"}}},
                    {"updatedAt", {{"type", "string"}}}}}};
const json kInput = {{"type", "object"},
                     {"required", {"typeId", "name", "ciCode"}},
                     {"properties",
                      {{"typeId", {{"type", "string"}}},
                       {"name", {{"type", "string"}}},
                       {"ciCode", {{"type", "string"}}},
                       {"status", {{"type", "string"}, {"enum", {"active", "planned", "maintenance", "retired"}}}},
                       {"environment", {{"type", "string"}, {"enum", {"prod", "uat", "dev"}}}},
                       {"assetId", {{"type", "string"}}},
                       {"locationId", {{"type", "string"}}},
                       {"ownerTeam", {{"type", "string"}}},
                       {"notes", {{"type", "string"}}},
                       {"attributes",
                        {{"type", "object"},
                         {"description", "validated against the type's active version; on PATCH merged (null removes)"}}}}}};
const http::ListSpec kList{
    .filters = {{"typeId", "string", "CI type"},
                {"type", "string", "CI type: its id or its code"},
                {"status", "string", "active | planned | maintenance | retired"},
                {"environment", "string", "prod | uat | dev"},
                {"ownerTeam", "string", "owner team (exact)"},
                {"locationId", "string", "location and its descendants"},
                {"assetId", "string", "the linked asset"},
                {"search", "string", "in ciCode and name"},
                {"attr.<key>", "string", "attribute value (filterable attributes of an active version)"}},
    .sorts = {{"ciCode", "c.ci_code"}, {"name", "c.name"}, {"status", "c.status"}, {"createdAt", "c.created_at"},
              {"updatedAt", "c.updated_at"}},
    .default_sort = "ciCode",
    .default_descending = false,
    .default_page_size = 50,
};

std::optional<std::string> one_of(const Request& req, const char* name, std::initializer_list<const char*> allowed) {
  auto v = req.query(name);
  if (!v) return v;
  for (auto* a : allowed)
    if (*v == a) return v;
  std::string list;
  for (auto* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  throw ValidationError(name, "must be one of " + list);
}

CiFilter filter_of(const Request& req) {
  CiFilter f;
  f.type_id = req.query_uuid("typeId");
  // ?type= takes the type's id or its code.
  if (auto t = req.query("type")) {
    static const RE2 uuid("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    if (RE2::FullMatch(*t, uuid)) f.type_id = req.query_uuid("type");
    else f.type_code = *t;
  }
  f.status = one_of(req, "status", {"active", "planned", "maintenance", "retired"});
  f.environment = one_of(req, "environment", {"prod", "uat", "dev"});
  f.owner_team = req.query("ownerTeam");
  f.location_id = req.query_uuid("locationId");
  f.asset_id = req.query_uuid("assetId");
  f.search = req.query("search");
  for (auto& [k, v] : req.query_params)
    if (k.rfind("attr.", 0) == 0) {
      if (k.size() == 5 || k.size() > 68) throw ValidationError(k, "attr.<key>: key of 1 to 63 characters");
      if (f.attrs.size() >= 10) throw ValidationError(k, "at most 10 attribute filters");
      f.attrs.emplace_back(k.substr(5), v);
    }
  return f;
}

std::string csv_field(const std::string& s) {
  std::string v = (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) ? "'" + s : s;
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string text_of(const json& j) {
  if (j.is_null()) return "";
  if (j.is_string()) return j.get<std::string>();
  return j.dump();
}
}  // namespace

void register_ci_routes(AppContext& ctx, const CmdbServices& s, std::shared_ptr<ops_events::OpsEventService> ops) {
  auto svc = s.cis;
  // Literal before {id}: the export.
  ctx.router
      .get("/api/v1/cmdb/cis/export", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto f = filter_of(req);
             auto limit = req.query_int("limit", 100000, 1, 100000);
             auto rows = co_await svc->export_rows(f, limit);
             // Columns: the CI's, then one per attribute key found (sorted).
             std::set<std::string> keys;
             for (auto& c : rows)
               for (auto& [k, _] : c.attributes.items()) keys.insert(k);
             std::string out = "id,ciCode,name,typeCode,status,environment,assetId,locationId,ownerTeam";
             for (auto& k : keys) out += "," + csv_field("attr." + k);
             out += "\r\n";
             for (auto& c : rows) {
               out += c.id + "," + csv_field(c.ci_code) + "," + csv_field(c.name) + "," + csv_field(c.type_code) +
                      "," + c.status + "," + c.environment + "," + c.asset_id.value_or("") + "," +
                      c.location_id.value_or("") + "," + csv_field(c.owner_team.value_or(""));
               for (auto& k : keys)
                 out += "," + (c.attributes.contains(k) ? csv_field(text_of(c.attributes[k])) : std::string());
               out += "\r\n";
             }
             auto response = Response::text(std::move(out), "text/csv; charset=utf-8");
             response.headers.emplace_back(kDisposition, kExportFile);
             co_return response;
           })
      .summary("CSV export of CIs with their attributes (same filters as the list; limit ≤ 100000)")
      .tag("cmdb")
      .list(kList);

  http::crud(ctx.router, svc,
             http::CrudSpec<CiInput, CiFilter>{
                 .base = "/api/v1/cmdb/cis",
                 .noun = "CI",
                 .tag = "cmdb",
                 .item_schema = kCi,
                 .input_schema = kInput,
                 .list = kList,
                 .filter = filter_of,
                 .parse = parse_ci,
                 .with_delete = false,
             });

  ctx.router
      .del("/api/v1/cmdb/cis/{id}", Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto force = req.query_bool("force").value_or(false);
             auto expected = req.if_match();
             auto by = req.caller();
             co_await svc->remove(id, force, expected, by);
             co_return Response::no_content();
           })
      .summary("Delete a CI; 409 naming its active relationships and service memberships unless ?force=true "
               "(then they are retired / removed with it)")
      .tag("cmdb")
      .query("force", "boolean", "retire the CI's active relationships and remove its memberships")
      .response(nullptr, 204);

  ops_events::history_route(ctx, ops, "/api/v1/cmdb/cis", "cmdb_ci", "cmdb",
                            [svc](std::string id) -> Task<void> { co_await svc->exists(id); });
}

}  // namespace netops::cmdb
