// HTTP shape of asset models.
#include "core/error.hpp"
#include "core/etag.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "http/listing.hpp"
#include "modules/catalog/catalog_body.hpp"
#include "modules/catalog/module.hpp"

namespace netops::catalog {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
json strings(std::initializer_list<const char*> names) {
  json props = json::object();
  for (auto n : names) props[n] = {{"type", "string"}};
  return props;
}

const http::ListSpec kList{
    .filters = {{"categoryId", "string", ""},
                {"vendorId", "string", ""},
                {"brand", "string", "exact brand"},
                {"search", "string", "in model and brand"},
                {"spec.<key>", "string", "value of a filterable spec field (multi_enum: contains the value)"}},
    .sorts = {{"model", "m.model"}, {"brand", "m.brand"}, {"createdAt", "m.created_at"}},
    .default_sort = "model",
    .default_descending = false,
    .default_page_size = 50,
};

// categoryId, vendorId, brand, search and every spec.<key>=value, in query order.
AssetModelFilter read_filter(const Request& req) {
  AssetModelFilter f;
  Validation v;
  f.category_id = req.query("categoryId");
  f.vendor_id = req.query("vendorId");
  f.brand = req.query("brand");
  f.search = req.query("search");
  if (f.category_id && !is_uuid(*f.category_id)) v.add("categoryId", "must be a UUID");
  if (f.vendor_id && !is_uuid(*f.vendor_id)) v.add("vendorId", "must be a UUID");
  v.throw_if_any();
  for (const auto& qp : req.query_params) {
    const auto& name = qp.first;
    if (name.rfind("spec.", 0) != 0) continue;
    if (invalid_text_at(name)) {
      f.spec_values.push_back({"", std::nullopt});  // reported by the service with the other spec problems
      continue;
    }
    f.spec_values.push_back({name.substr(5), *req.query(name)});  // 400 unless UTF-8 text
  }
  return f;
}

Response tagged(const AssetModel& m, int status = 200) {
  auto j = to_json(m);
  auto etag = etag_of(j);
  return Response::json(j, status).header("ETag", etag);
}
}  // namespace

void register_asset_model_routes(AppContext& ctx, std::shared_ptr<AssetModelService> svc) {
  json model = {{"type", "object"},
                {"properties", strings({"id", "categoryId", "categoryName", "specVersionId", "vendorId", "vendorName",
                                        "brand", "model", "createdAt"})}};
  model["properties"]["specVersion"] = {{"type", "integer"}};
  model["properties"]["spec"] = {{"type", "object"}};
  json input = {{"type", "object"},
                {"required", {"model"}},
                {"properties", strings({"categoryId", "vendorId", "specVersionId", "brand", "model"})}};
  input["properties"]["spec"] = {{"type", "object"}};
  const std::string base = "/api/v1/asset-models";

  ctx.router
      .get(base, Role::user,
           [svc](Request& req) -> Task<Response> {
             auto q = http::list_query(req, kList);
             auto f = read_filter(req);
             auto page = co_await svc->list(std::move(f), q.page, q.sort);
             co_return http::page(page, [](const AssetModel& m) { return to_json(m); });
           })
      .summary("List asset models (categoryId, vendorId, brand, search, spec.<key>=value on filterable fields)")
      .tag("assets")
      .list(kList);

  ctx.router
      .get(base + "/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");  // named: GCC 12 mishandles temporaries in co_await
             co_return tagged(co_await svc->get(id));
           })
      .summary("One asset model, with an ETag for If-Match")
      .tag("assets")
      .response(model);

  ctx.router
      .post(base, Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto in = parse_asset_model(req.json(), true);
              auto by = req.caller();
              co_return tagged(co_await svc->create(in, by), 201);
            })
      .summary("Create an asset model; spec validated against the category's active version (or specVersionId)")
      .tag("assets")
      .request(input)
      .response(model, 201);

  auto update = [svc](Request& req) -> Task<Response> {
    auto id = req.path_uuid("id");
    auto in = parse_asset_model(req.json(), false);
    auto expected = req.if_match();
    auto by = req.caller();
    co_return tagged(co_await svc->update(id, in, expected, by));
  };
  ctx.router.patch(base + "/{id}", Role::admin, update)
      .summary("Update an asset model (partial; spec replaced and re-validated when given; If-Match honoured)")
      .tag("assets")
      .request(input)
      .response(model);
  ctx.router.put(base + "/{id}", Role::admin, update)
      .summary("Same as PATCH")
      .tag("assets")
      .request(input)
      .response(model);

  ctx.router
      .del(base + "/{id}", Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto by = req.caller();
             co_await svc->remove(id, by);
             co_return Response::no_content();
           })
      .summary("Delete an asset model; 409 while assets use it")
      .tag("assets")
      .response(nullptr, 204);
}

}  // namespace netops::catalog
