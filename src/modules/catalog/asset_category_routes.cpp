// HTTP shape of asset categories, at /api/v1/asset-categories and (SPEC §3) /api/v1/categories.
#include "core/etag.hpp"
#include "http/listing.hpp"
#include "modules/catalog/catalog_body.hpp"
#include "modules/catalog/module.hpp"

namespace netops::catalog {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const json kCategory = {{"type", "object"},
                        {"properties",
                         {{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}},
                          {"activeSpecVersionId", {{"type", "string"}}}, {"createdAt", {{"type", "string"}}},
                          {"activeSpecVersion", {{"type", "integer"}}}}}};
const json kInput = {{"type", "object"}, {"properties", {{"name", {{"type", "string"}}}}}};
const http::ListSpec kList{
    .filters = {{"search", "string", "in name"}},
    .sorts = {{"name", "c.name"}, {"createdAt", "c.created_at"}},
    .default_sort = "name",
    .default_descending = false,
    .default_page_size = 50,
};

Response tagged(const AssetCategory& c, int status = 200) {
  auto j = to_json(c);
  auto etag = etag_of(j);
  return Response::json(j, status).header("ETag", etag);
}
}  // namespace

void register_asset_category_routes(AppContext& ctx, std::shared_ptr<AssetCategoryService> svc) {
  for (std::string base : {"/api/v1/asset-categories", "/api/v1/categories"}) {
    ctx.router
        .get(base, Role::user,
             [svc](Request& req) -> Task<Response> {
               ListFilter f;
               f.search = req.query("search");
               auto q = http::list_query(req, kList);
               auto page = co_await svc->list(f, q.page, q.sort);
               co_return http::page(page, [](const AssetCategory& c) { return to_json(c); });
             })
        .summary("List asset categories (page, pageSize ≤ 1000, search, sort)")
        .tag("assets")
        .list(kList);

    ctx.router
        .get(base + "/{id}", Role::user,
             [svc](Request& req) -> Task<Response> {
               auto id = req.path_uuid("id");  // named: GCC 12 mishandles temporaries in co_await
               co_return tagged(co_await svc->get(id));
             })
        .summary("One asset category, with an ETag for If-Match")
        .tag("assets")
        .response(kCategory);

    ctx.router
        .post(base, Role::admin,
              [svc](Request& req) -> Task<Response> {
                auto in = parse_category(req.json(), true);
                auto by = req.caller();
                co_return tagged(co_await svc->create(in, by), 201);
              })
        .summary("Create a asset category")
        .tag("assets")
        .request(kInput)
        .response(kCategory, 201);

    auto update = [svc](Request& req) -> Task<Response> {
      auto id = req.path_uuid("id");
      auto in = parse_category(req.json(), false);
      auto expected = req.if_match();
      auto by = req.caller();
      co_return tagged(co_await svc->update(id, in, expected, by));
    };
    ctx.router.patch(base + "/{id}", Role::admin, update)
        .summary("Update a asset category (partial; If-Match → 412 when stale)")
        .tag("assets")
        .request(kInput)
        .response(kCategory);
    ctx.router.put(base + "/{id}", Role::admin, update)
        .summary("Same as PATCH")
        .tag("assets")
        .request(kInput)
        .response(kCategory);

    ctx.router
        .del(base + "/{id}", Role::admin,
             [svc](Request& req) -> Task<Response> {
               auto id = req.path_uuid("id");
               auto by = req.caller();
               co_await svc->remove(id, by);
               co_return Response::no_content();
             })
        .summary("Delete a asset category; 409 naming what still refers to it")
        .tag("assets")
        .response(nullptr, 204);
  }
}

}  // namespace netops::catalog
