// HTTP shape of vendors.
#include "core/etag.hpp"
#include "http/listing.hpp"
#include "modules/catalog/catalog_body.hpp"
#include "modules/catalog/module.hpp"

namespace netops::catalog {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const json kVendor = {{"type", "object"},
                      {"properties",
                       {{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}}, {"taxCode", {{"type", "string"}}},
                        {"phone", {{"type", "string"}}}, {"email", {{"type", "string"}}},
                        {"address", {{"type", "string"}}}, {"createdAt", {{"type", "string"}}}}}};
const json kInput = {{"type", "object"},
                     {"properties",
                      {{"name", {{"type", "string"}}}, {"taxCode", {{"type", "string"}}}, {"phone", {{"type", "string"}}},
                       {"email", {{"type", "string"}}}, {"address", {{"type", "string"}}}}}};
const http::ListSpec kList{
    .filters = {{"search", "string", "in name, taxCode and email"}},
    .sorts = {{"name", "name"}, {"createdAt", "created_at"}},
    .default_sort = "name",
    .default_descending = false,
    .default_page_size = 50,
};

Response tagged(const Vendor& v, int status = 200) {
  auto j = to_json(v);
  auto etag = etag_of(j);
  return Response::json(j, status).header("ETag", etag);
}
}  // namespace

void register_vendor_routes(AppContext& ctx, std::shared_ptr<VendorService> svc) {
  const std::string base = "/api/v1/vendors";
  ctx.router
      .get(base, Role::user,
           [svc](Request& req) -> Task<Response> {
             ListFilter f;
             f.search = req.query("search");
             auto q = http::list_query(req, kList);
             auto page = co_await svc->list(f, q.page, q.sort);
             co_return http::page(page, [](const Vendor& v) { return to_json(v); });
           })
      .summary("List vendors (page, pageSize ≤ 1000, search, sort)")
      .tag("assets")
      .list(kList);

  ctx.router
      .get(base + "/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");  // named: GCC 12 mishandles temporaries in co_await
             co_return tagged(co_await svc->get(id));
           })
      .summary("One vendor, with an ETag for If-Match")
      .tag("assets")
      .response(kVendor);

  ctx.router
      .post(base, Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto in = parse_vendor(req.json(), true);
              auto by = req.caller();
              co_return tagged(co_await svc->create(in, by), 201);
            })
      .summary("Create a vendor")
      .tag("assets")
      .request(kInput)
      .response(kVendor, 201);

  auto update = [svc](Request& req) -> Task<Response> {
    auto id = req.path_uuid("id");
    auto in = parse_vendor(req.json(), false);
    auto expected = req.if_match();
    auto by = req.caller();
    co_return tagged(co_await svc->update(id, in, expected, by));
  };
  ctx.router.patch(base + "/{id}", Role::admin, update)
      .summary("Update a vendor (partial; If-Match → 412 when stale)")
      .tag("assets")
      .request(kInput)
      .response(kVendor);
  ctx.router.put(base + "/{id}", Role::admin, update)
      .summary("Same as PATCH")
      .tag("assets")
      .request(kInput)
      .response(kVendor);

  ctx.router
      .del(base + "/{id}", Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto by = req.caller();
             co_await svc->remove(id, by);
             co_return Response::no_content();
           })
      .summary("Delete a vendor; 409 naming what still refers to it")
      .tag("assets")
      .response(nullptr, 204);
}

}  // namespace netops::catalog
