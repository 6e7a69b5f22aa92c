// HTTP shape of relationships: DELETE retires.
#include "http/crud.hpp"
#include "modules/cmdb/cmdb_body.hpp"
#include "modules/cmdb/module.hpp"

namespace netops::cmdb {

using http::Request;
using nlohmann::json;

namespace {
const json kRel = {{"type", "object"},
                   {"properties",
                    {{"id", {{"type", "string"}}},
                     {"relTypeId", {{"type", "string"}}},
                     {"relTypeCode", {{"type", "string"}}},
                     {"fromCiId", {{"type", "string"}, {"description", "the CI that depends on / runs on toCiId"}}},
                     {"fromCiCode", {{"type", "string"}}},
                     {"toCiId", {{"type", "string"}}},
                     {"toCiCode", {{"type", "string"}}},
                     {"status", {{"type", "string"}, {"enum", {"active", "retired"}}}},
                     {"sinceDate", {{"type", "string"}}},
                     {"note", {{"type", "string"}}},
                     {"createdAt", {{"type", "string"}}}}}};
const json kInput = {{"type", "object"},
                     {"required", {"relTypeId", "fromCiId", "toCiId"}},
                     {"properties",
                      {{"relTypeId", {{"type", "string"}}},
                       {"fromCiId", {{"type", "string"}}},
                       {"toCiId", {{"type", "string"}}},
                       {"sinceDate", {{"type", "string"}}},
                       {"note", {{"type", "string"}}}}}};
const http::ListSpec kList{
    .filters = {{"ciId", "string", "either end"},
                {"fromCiId", "string", "the dependent CI"},
                {"toCiId", "string", "the CI depended on"},
                {"relTypeId", "string", "relationship type"},
                {"status", "string", "active | retired"}},
    .sorts = {{"createdAt", "r.created_at"}, {"fromCiCode", "f.ci_code"}, {"toCiCode", "t.ci_code"}},
    .default_sort = "createdAt",
    .default_descending = false,
    .default_page_size = 50,
};
}  // namespace

void register_relationship_routes(AppContext& ctx, const CmdbServices& s) {
  http::crud(ctx.router, s.relationships,
             http::CrudSpec<RelationshipInput, RelationshipFilter>{
                 .base = "/api/v1/cmdb/relationships",
                 .noun = "relationship",
                 .tag = "cmdb",
                 .item_schema = kRel,
                 .input_schema = kInput,
                 .list = kList,
                 .filter = [](const Request& req) {
                   RelationshipFilter f;
                   f.ci_id = req.query_uuid("ciId");
                   f.from_ci_id = req.query_uuid("fromCiId");
                   f.to_ci_id = req.query_uuid("toCiId");
                   f.rel_type_id = req.query_uuid("relTypeId");
                   f.status = req.query("status");
                   if (f.status && *f.status != "active" && *f.status != "retired")
                     throw ValidationError("status", "must be one of active, retired");
                   return f;
                 },
                 .parse = parse_relationship,
                 .delete_summary = "retires it (status retired, kept for history); 409 when already retired",
             });
}

}  // namespace netops::cmdb
