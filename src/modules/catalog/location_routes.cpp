// HTTP shape of locations.
#include "core/error.hpp"
#include "core/etag.hpp"
#include "core/ids.hpp"
#include "http/listing.hpp"
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

Response tagged(const Location& l, int status = 200) {
  auto j = to_json(l);
  auto etag = etag_of(j);
  return Response::json(j, status).header("ETag", etag);
}
}  // namespace

void register_location_routes(AppContext& ctx, std::shared_ptr<LocationService> svc) {
  const std::string base = "/api/v1/locations";
  ctx.router
      .get(base, Role::user,
           [svc](Request& req) -> Task<Response> {
             ListFilter f;
             f.search = req.query("search");
             if (auto parent = req.query("parentId")) {
               if (*parent == "null" || parent->empty()) f.parent_id = std::optional<std::string>();
               else if (is_uuid(*parent)) f.parent_id = std::optional<std::string>(*parent);
               else throw ValidationError("parentId", "must be a UUID or null");
             }
             auto q = http::list_query(req, kList);
             auto page = co_await svc->list(f, q.page, q.sort);
             co_return http::page(page, [](const Location& l) { return to_json(l); });
           })
      .summary("List locations (page, pageSize ≤ 1000, search, sort)")
      .tag("assets")
      .list(kList);

  ctx.router
      .get(base + "/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");  // named: GCC 12 mishandles temporaries in co_await
             co_return tagged(co_await svc->get(id));
           })
      .summary("One location, with an ETag for If-Match")
      .tag("assets")
      .response(kLocation);

  ctx.router
      .post(base, Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto in = parse_location(req.json(), true);
              auto by = req.caller();
              co_return tagged(co_await svc->create(in, by), 201);
            })
      .summary("Create a location")
      .tag("assets")
      .request(kInput)
      .response(kLocation, 201);

  auto update = [svc](Request& req) -> Task<Response> {
    auto id = req.path_uuid("id");
    auto in = parse_location(req.json(), false);
    auto expected = req.if_match();
    auto by = req.caller();
    co_return tagged(co_await svc->update(id, in, expected, by));
  };
  ctx.router.patch(base + "/{id}", Role::admin, update)
      .summary("Update a location (partial; If-Match → 412 when stale)")
      .tag("assets")
      .request(kInput)
      .response(kLocation);
  ctx.router.put(base + "/{id}", Role::admin, update)
      .summary("Same as PATCH")
      .tag("assets")
      .request(kInput)
      .response(kLocation);

  ctx.router
      .del(base + "/{id}", Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto by = req.caller();
             co_await svc->remove(id, by);
             co_return Response::no_content();
           })
      .summary("Delete a location; 409 naming what still refers to it")
      .tag("assets")
      .response(nullptr, 204);

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
