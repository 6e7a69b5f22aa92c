// HTTP shape of locations.
#include "core/error.hpp"
#include "core/ids.hpp"
#include "http/crud.hpp"
#include "modules/catalog/catalog_body.hpp"
#include "modules/catalog/module.hpp"

namespace netops::catalog {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const json kLocation = {{"type", "object"},
                        {"properties",
                         {{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}}, {"parentId", {{"type", "string"}}},
                          {"path", {{"type", "string"}}}, {"createdAt", {{"type", "string"}}},
                          {"depth", {{"type", "integer"}}}}}};
const json kInput = {{"type", "object"},
                     {"properties", {{"name", {{"type", "string"}}}, {"parentId", {{"type", "string"}}}}}};
const http::ListSpec kList{
    .filters = {{"search", "string", "in name"}, {"parentId", "string", "children of this location; 'null' for roots"}},
    .sorts = {{"name", "name"}, {"path", "path"}, {"createdAt", "created_at"}},
    .default_sort = "name",
    .default_descending = false,
    .default_page_size = 50,
};

}  // namespace

void register_location_routes(AppContext& ctx, std::shared_ptr<LocationService> svc) {
  const std::string base = "/api/v1/locations";
  http::crud(ctx.router, svc,
             http::CrudSpec<LocationInput, ListFilter>{
                 .base = base,
                 .noun = "location",
                 .tag = "assets",
                 .item_schema = kLocation,
                 .input_schema = kInput,
                 .list = kList,
                 .filter = [](const Request& req) {
                   ListFilter f;
                   f.search = req.query("search");
                   if (auto parent = req.query("parentId")) {
                     if (*parent == "null" || parent->empty()) f.parent_id = std::optional<std::string>();
                     else if (is_uuid(*parent)) f.parent_id = std::optional<std::string>(*parent);
                     else throw ValidationError("parentId", "must be a UUID or null");
                   }
                   return f;
                 },
                 .parse = parse_location,
                 .delete_summary = "409 naming what still refers to it",
             });

  ctx.router
      .get(base + "/{id}/tree", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto tree = co_await svc->tree(id);
             co_return Response::json(to_json(tree));
           })
      .summary("The location and its whole subtree as nested children (sorted by name)")
      .tag("assets");
}

}  // namespace netops::catalog
