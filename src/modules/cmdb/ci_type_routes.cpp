// HTTP shape of CI types and of their versions / attribute definitions (the catalog's lifecycle routes on
// the CMDB's paths).
#include "http/crud.hpp"
#include "modules/cmdb/cmdb_body.hpp"
#include "modules/cmdb/module.hpp"

namespace netops::cmdb {

using http::Request;
using nlohmann::json;

namespace {
const json kType = {{"type", "object"},
                    {"properties",
                     {{"id", {{"type", "string"}}},
                      {"code", {{"type", "string"}}},
                      {"name", {{"type", "string"}}},
                      {"description", {{"type", "string"}}},
                      {"activeVersionId", {{"type", "string"}}},
                      {"activeVersion", {{"type", "integer"}}},
                      {"draftVersionId", {{"type", "string"}}},
                      {"createdAt", {{"type", "string"}}}}}};
const json kInput = {{"type", "object"},
                     {"required", {"code", "name"}},
                     {"properties",
                      {{"code", {{"type", "string"}}},
                       {"name", {{"type", "string"}}},
                       {"description", {{"type", "string"}}},
                       {"attributes",
                        {{"type", "array"},
                         {"description", "create only: version 1's attribute definitions (then active)"}}}}}};
const http::ListSpec kList{
    .filters = {{"search", "string", "in code and name"}},
    .sorts = {{"code", "t.code"}, {"name", "t.name"}, {"createdAt", "t.created_at"}},
    .default_sort = "code",
    .default_descending = false,
    .default_page_size = 50,
};
}  // namespace

void register_ci_type_routes(AppContext& ctx, const CmdbServices& s) {
  http::crud(ctx.router, s.types,
             http::CrudSpec<CiTypeInput, TypeFilter>{
                 .base = "/api/v1/cmdb/types",
                 .noun = "CI type",
                 .tag = "cmdb",
                 .item_schema = kType,
                 .input_schema = kInput,
                 .list = kList,
                 .filter = [](const Request& req) {
                   TypeFilter f;
                   f.search = req.query("search");
                   return f;
                 },
                 .parse = parse_ci_type,
                 .delete_summary = "409 while CIs or relationship types use it",
             });
  catalog::register_spec_routes(ctx, s.versions,
                                catalog::SpecRoutes{{"/api/v1/cmdb/types/{id}/versions"},
                                                    "/api/v1/cmdb/type-versions",
                                                    "/api/v1/cmdb/attr-defs",
                                                    "cmdb"});
}

}  // namespace netops::cmdb
