// HTTP shape of the plain catalogs: vendors, asset categories, locations.
#include "core/etag.hpp"
#include "core/ids.hpp"
#include "modules/catalog/module.hpp"
#include "modules/catalog/service.hpp"

namespace netops::catalog {

using http::Request;
using http::Response;
using http::Role;
using nlohmann::json;

namespace {

json object_schema(std::initializer_list<const char*> strings) {
  json props = json::object();
  for (auto s : strings) props[s] = {{"type", "string"}};
  return {{"type", "object"}, {"properties", props}};
}

using Sortable = std::vector<std::pair<std::string, std::string>>;

// What differs between the catalogs; the route shapes are the same.
struct Crud {
  std::string base, singular, plural;
  json schema, input;
  Sortable sortable;
  std::string search_doc;
  bool has_parent = false;  // locations: ?parentId=
  std::function<Task<Page>(const Request&, const ListFilter&, const http::Paging&, const http::Sort&)> list;
  std::function<Task<json>(const std::string&)> get;
  std::function<Task<json>(const json&, Caller)> create;
  std::function<Task<json>(const std::string&, const json&, Caller, IfMatch)> update;
  std::function<Task<void>(const std::string&, Caller)> remove;
};

void register_crud(AppContext& ctx, Crud crud) {
  auto c = std::make_shared<Crud>(std::move(crud));
  auto& list = ctx.router
                   .get(c->base, Role::user,
                        [c](Request& req) -> Task<Response> {
                          ListFilter f;
                          f.search = req.query("search");
                          if (auto parent = req.query("parentId"); parent && c->has_parent) {
                            if (*parent == "null" || parent->empty()) f.parent_id = std::optional<std::string>();
                            else if (is_uuid(*parent)) f.parent_id = std::optional<std::string>(*parent);
                            else throw ValidationError("parentId", "must be a UUID or null");
                          }
                          auto p = http::paging(req);
                          auto s = http::sort(req, c->sortable, "name", false);
                          auto [rows, total] = co_await c->list(req, f, p, s);
                          co_return http::page(std::move(rows), p.page, p.page_size, total);
                        })
                   .summary("List " + c->plural + " (page, pageSize ≤ 1000, search, sort)")
                   .tag("assets")
                   .query("search", "string", c->search_doc)
                   .query("page", "integer", "")
                   .query("pageSize", "integer", "at most 1000");
  std::string sorts;
  for (auto& [api, _] : c->sortable) sorts += (sorts.empty() ? "" : " | ") + api;
  list.query("sort", "string", sorts + " (prefix - for descending)");
  if (c->has_parent) list.query("parentId", "string", "children of this location; 'null' for roots");

  ctx.router
      .get(c->base + "/{id}", Role::user,
           [c](Request& req) -> Task<Response> {
             auto v = co_await c->get(req.path_uuid("id"));
             auto etag = etag_of(v);
             co_return Response::json(v).header("ETag", etag);
           })
      .summary("One " + c->singular + ", with an ETag for If-Match")
      .tag("assets")
      .response(c->schema);

  ctx.router
      .post(c->base, Role::admin,
            [c](Request& req) -> Task<Response> {
              Caller who{req.actor_or_throw(), req.request_id};
              auto v = co_await c->create(req.json(), who);
              auto etag = etag_of(v);
              co_return Response::json(v, 201).header("ETag", etag);
            })
      .summary("Create a " + c->singular)
      .tag("assets")
      .request(c->input)
      .response(c->schema, 201);

  auto update = [c](Request& req) -> Task<Response> {
    auto check = [&req](const json& current) { check_expected_etag(req.if_match(), current); };
    Caller who{req.actor_or_throw(), req.request_id};
    auto v = co_await c->update(req.path_uuid("id"), req.json(), who, check);
    auto etag = etag_of(v);
    co_return Response::json(v).header("ETag", etag);
  };
  ctx.router.patch(c->base + "/{id}", Role::admin, update)
      .summary("Update a " + c->singular + " (partial; If-Match → 412 when stale)")
      .tag("assets")
      .request(c->input)
      .response(c->schema);
  ctx.router.put(c->base + "/{id}", Role::admin, update)
      .summary("Same as PATCH")
      .tag("assets")
      .request(c->input)
      .response(c->schema);

  ctx.router
      .del(c->base + "/{id}", Role::admin,
           [c](Request& req) -> Task<Response> {
             Caller who{req.actor_or_throw(), req.request_id};
             co_await c->remove(req.path_uuid("id"), who);
             co_return Response::no_content();
           })
      .summary("Delete a " + c->singular + "; 409 naming what still refers to it")
      .tag("assets")
      .response(nullptr, 204);
}

}  // namespace

void register_catalog_routes(AppContext& ctx, std::shared_ptr<CatalogService> svc) {
  Crud vendors;
  vendors.base = "/api/v1/vendors";
  vendors.singular = "vendor";
  vendors.plural = "vendors";
  vendors.schema = object_schema({"id", "name", "taxCode", "phone", "email", "address", "createdAt"});
  vendors.input = object_schema({"name", "taxCode", "phone", "email", "address"});
  vendors.sortable = {{"name", "name"}, {"createdAt", "created_at"}};
  vendors.search_doc = "in name, taxCode and email";
  vendors.list = [svc](const Request&, const ListFilter& f, const http::Paging& p, const http::Sort& s) {
    return svc->list_vendors(f, p, s);
  };
  vendors.get = [svc](const std::string& id) { return svc->get_vendor(id); };
  vendors.create = [svc](const json& b, Caller c) { return svc->create_vendor(b, c); };
  vendors.update = [svc](const std::string& id, const json& b, Caller c, IfMatch m) {
    return svc->update_vendor(id, b, c, std::move(m));
  };
  vendors.remove = [svc](const std::string& id, Caller c) { return svc->delete_vendor(id, c); };
  register_crud(ctx, std::move(vendors));

  Crud categories;
  categories.base = "/api/v1/asset-categories";
  categories.singular = "asset category";
  categories.plural = "asset categories";
  categories.schema = object_schema({"id", "name", "activeSpecVersionId", "createdAt"});
  categories.schema["properties"]["activeSpecVersion"] = {{"type", "integer"}};
  categories.input = object_schema({"name"});
  categories.sortable = {{"name", "c.name"}, {"createdAt", "c.created_at"}};
  categories.search_doc = "in name";
  categories.list = [svc](const Request&, const ListFilter& f, const http::Paging& p, const http::Sort& s) {
    return svc->list_categories(f, p, s);
  };
  categories.get = [svc](const std::string& id) { return svc->get_category(id); };
  categories.create = [svc](const json& b, Caller c) { return svc->create_category(b, c); };
  categories.update = [svc](const std::string& id, const json& b, Caller c, IfMatch m) {
    return svc->update_category(id, b, c, std::move(m));
  };
  categories.remove = [svc](const std::string& id, Caller c) { return svc->delete_category(id, c); };
  auto categories_alias = categories;  // SPEC §3 calls them `categories`
  categories_alias.base = "/api/v1/categories";
  register_crud(ctx, std::move(categories));
  register_crud(ctx, std::move(categories_alias));

  Crud locations;
  locations.base = "/api/v1/locations";
  locations.singular = "location";
  locations.plural = "locations";
  locations.schema = object_schema({"id", "name", "parentId", "path", "createdAt"});
  locations.schema["properties"]["depth"] = {{"type", "integer"}};
  locations.input = object_schema({"name", "parentId"});
  locations.sortable = {{"name", "name"}, {"path", "path"}, {"createdAt", "created_at"}};
  locations.search_doc = "in name";
  locations.has_parent = true;
  locations.list = [svc](const Request&, const ListFilter& f, const http::Paging& p, const http::Sort& s) {
    return svc->list_locations(f, p, s);
  };
  locations.get = [svc](const std::string& id) { return svc->get_location(id); };
  locations.create = [svc](const json& b, Caller c) { return svc->create_location(b, c); };
  locations.update = [svc](const std::string& id, const json& b, Caller c, IfMatch m) {
    return svc->update_location(id, b, c, std::move(m));
  };
  locations.remove = [svc](const std::string& id, Caller c) { return svc->delete_location(id, c); };
  register_crud(ctx, std::move(locations));

  ctx.router
      .get("/api/v1/locations/{id}/tree", Role::user,
           [svc](Request& req) -> Task<Response> {
             co_return Response::json(co_await svc->tree(req.path_uuid("id")));
           })
      .summary("The location and its whole subtree as nested children (sorted by name)")
      .tag("assets");
}

void register_routes(AppContext& ctx) {
  register_catalog_routes(ctx, std::make_shared<CatalogService>(ctx));
  register_spec_routes(ctx, std::make_shared<SpecService>(ctx));
  register_model_routes(ctx, std::make_shared<ModelService>(ctx));
}

}  // namespace netops::catalog
