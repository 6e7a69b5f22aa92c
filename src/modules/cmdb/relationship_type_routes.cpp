// HTTP shape of relationship types.
#include "http/crud.hpp"
#include "modules/cmdb/cmdb_body.hpp"
#include "modules/cmdb/module.hpp"

namespace netops::cmdb {

using http::Request;
using nlohmann::json;

namespace {
const json kRelType = {
    {"type", "object"},
    {"properties",
     {{"id", {{"type", "string"}}},
      {"code", {{"type", "string"}}},
      {"name", {{"type", "string"}}},
      {"reverseName", {{"type", "string"}}},
      {"allowedFromTypeId", {{"type", "string"}, {"description", "null: any CI type"}}},
      {"allowedToTypeId", {{"type", "string"}, {"description", "null: any CI type"}}},
      {"minUp", {{"description", "redundancy: a count (2) or a percentage (\"50%\") of dependencies that must stay up"}}},
      {"createdAt", {{"type", "string"}}}}}};
const http::ListSpec kList{
    .filters = {{"search", "string", "in code and name"}},
    .sorts = {{"code", "code"}, {"name", "name"}, {"createdAt", "created_at"}},
    .default_sort = "code",
    .default_descending = false,
    .default_page_size = 50,
};
}  // namespace

void register_relationship_type_routes(AppContext& ctx, const CmdbServices& s) {
  http::crud(ctx.router, s.rel_types,
             http::CrudSpec<RelTypeInput, RelTypeFilter>{
                 .base = "/api/v1/cmdb/relationship-types",
                 .noun = "relationship type",
                 .tag = "cmdb",
                 .item_schema = kRelType,
                 .input_schema = kRelType,
                 .list = kList,
                 .filter = [](const Request& req) {
                   RelTypeFilter f;
                   f.search = req.query("search");
                   return f;
                 },
                 .parse = parse_rel_type,
                 .delete_summary = "409 while relationships of the type exist",
             });
}

}  // namespace netops::cmdb
