// HTTP shape of asset models.
#include "core/etag.hpp"
#include "modules/catalog/module.hpp"
#include "modules/catalog/service.hpp"

namespace netops::catalog {

using http::Request;
using http::Response;
using http::Role;
using nlohmann::json;

namespace {
json strings(std::initializer_list<const char*> names) {
  json props = json::object();
  for (auto n : names) props[n] = {{"type", "string"}};
  return props;
}
}  // namespace

void register_model_routes(AppContext& ctx, std::shared_ptr<ModelService> svc) {
  json model = {{"type", "object"},
                {"properties", strings({"id", "categoryId", "categoryName", "specVersionId", "vendorId", "vendorName",
                                        "brand", "model", "createdAt"})}};
  model["properties"]["specVersion"] = {{"type", "integer"}};
  model["properties"]["spec"] = {{"type", "object"}};
  json input = {{"type", "object"},
                {"required", {"model"}},
                {"properties", strings({"categoryId", "vendorId", "specVersionId", "brand", "model"})}};
  input["properties"]["spec"] = {{"type", "object"}};
  const std::vector<std::pair<std::string, std::string>> sortable = {
      {"model", "m.model"}, {"brand", "m.brand"}, {"createdAt", "m.created_at"}};

  ctx.router
      .get("/api/v1/asset-models", Role::user,
           [svc, sortable](Request& req) -> Task<Response> {
             auto p = http::paging(req);
             auto s = http::sort(req, sortable, "model", false);
             auto [rows, total] = co_await svc->list(req, p, s);
             co_return http::page(std::move(rows), p.page, p.page_size, total);
           })
      .summary("List asset models (categoryId, vendorId, brand, search, spec.<key>=value on filterable fields)")
      .tag("assets")
      .query("categoryId", "string", "")
      .query("vendorId", "string", "")
      .query("brand", "string", "exact brand")
      .query("search", "string", "in model and brand")
      .query("spec.<key>", "string", "value of a filterable spec field (multi_enum: contains the value)")
      .query("sort", "string", "model | brand | createdAt (prefix - for descending)")
      .query("page", "integer", "")
      .query("pageSize", "integer", "at most 1000");

  ctx.router
      .get("/api/v1/asset-models/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto m = co_await svc->get(req.path_uuid("id"));
             auto etag = etag_of(m);
             co_return Response::json(m).header("ETag", etag);
           })
      .summary("One asset model, with an ETag for If-Match")
      .tag("assets")
      .response(model);

  ctx.router
      .post("/api/v1/asset-models", Role::admin,
            [svc](Request& req) -> Task<Response> {
              Caller who{req.actor_or_throw(), req.request_id};
              auto m = co_await svc->create(req.json(), who);
              auto etag = etag_of(m);
              co_return Response::json(m, 201).header("ETag", etag);
            })
      .summary("Create an asset model; spec validated against the category's active version (or specVersionId)")
      .tag("assets")
      .request(input)
      .response(model, 201);

  auto update = [svc](Request& req) -> Task<Response> {
    auto check = [&req](const json& current) { check_expected_etag(req.if_match(), current); };
    Caller who{req.actor_or_throw(), req.request_id};
    auto m = co_await svc->update(req.path_uuid("id"), req.json(), who, check);
    auto etag = etag_of(m);
    co_return Response::json(m).header("ETag", etag);
  };
  ctx.router.patch("/api/v1/asset-models/{id}", Role::admin, update)
      .summary("Update an asset model (partial; spec replaced and re-validated when given; If-Match honoured)")
      .tag("assets")
      .request(input)
      .response(model);
  ctx.router.put("/api/v1/asset-models/{id}", Role::admin, update)
      .summary("Same as PATCH")
      .tag("assets")
      .request(input)
      .response(model);

  ctx.router
      .del("/api/v1/asset-models/{id}", Role::admin,
           [svc](Request& req) -> Task<Response> {
             Caller who{req.actor_or_throw(), req.request_id};
             co_await svc->remove(req.path_uuid("id"), who);
             co_return Response::no_content();
           })
      .summary("Delete an asset model; 409 while assets use it")
      .tag("assets")
      .response(nullptr, 204);
}

}  // namespace netops::catalog
