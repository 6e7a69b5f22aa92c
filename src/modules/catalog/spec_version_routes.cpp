// HTTP shape of spec versions and their field definitions (SPEC §4.4).
#include "core/error.hpp"
#include "core/etag.hpp"
#include "http/listing.hpp"
#include "modules/catalog/catalog_body.hpp"
#include "modules/catalog/module.hpp"

namespace netops::catalog {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
json version_schema(const std::string& owner_key) {
  return {{"type", "object"},
                       {"properties",
                        {{"id", {{"type", "string"}}},
                         {owner_key, {{"type", "string"}}},
                         {"version", {{"type", "integer"}}},
                         {"status", {{"type", "string"}, {"enum", {"draft", "active", "retired"}}}},
                         {"defCount", {{"type", "integer"}}},
                         {"createdBy", {{"type", "string"}}},
                         {"createdAt", {{"type", "string"}}}}}};
}
const json kDef = {
    {"type", "object"},
    {"required", {"key", "label", "fieldType"}},
    {"properties",
     {{"key", {{"type", "string"}}},
      {"label", {{"type", "string"}}},
      {"fieldType",
       {{"type", "string"},
        {"enum", {"string", "number", "integer", "boolean", "enum", "multi_enum", "date", "datetime", "ip", "cidr",
                  "mac", "hostname", "port", "url", "email", "json"}}}},
      {"unit", {{"type", "string"}}}, {"required", {{"type", "boolean"}}}, {"enumValues", {{"type", "array"}}},
      {"pattern", {{"type", "string"}}}, {"minLen", {{"type", "integer"}}}, {"maxLen", {{"type", "integer"}}},
      {"minValue", {{"type", "number"}}}, {"maxValue", {{"type", "number"}}}, {"stepValue", {{"type", "number"}}},
      {"precision", {{"type", "integer"}}}, {"scale", {{"type", "integer"}}}, {"defaultValue", json::object()},
      {"helpText", {{"type", "string"}}}, {"sortOrder", {{"type", "integer"}}}, {"isActive", {{"type", "boolean"}}},
      {"isReadonly", {{"type", "boolean"}}}, {"isSearchable", {{"type", "boolean"}}},
      {"isFilterable", {{"type", "boolean"}}}}}};
// All of a list in one page (versions of a category, definitions of a version).
template <class T, class ToJson>
Response whole_list(const std::vector<T>& items, ToJson&& to_json) {
  json rows = json::array();
  for (auto& i : items) rows.push_back(to_json(i));
  auto n = static_cast<long long>(rows.size());
  return http::page(std::move(rows), 1, std::max(n, 1LL), n);
}
}  // namespace

void register_spec_routes(AppContext& ctx, std::shared_ptr<SpecVersionService> svc, const SpecRoutes& paths) {
  const auto tag = paths.tag;
  const auto kVersion = version_schema(svc->owner().owner_key);
  const auto noun = svc->owner().noun;
  for (const auto& base : paths.owner_bases) {
    ctx.router
        .get(base, Role::user,
             [svc](Request& req) -> Task<Response> {
               auto id = req.path_uuid("id");  // named: GCC 12 mishandles temporaries in co_await
               auto rows = co_await svc->versions(id);
               co_return whole_list(rows, [&svc](const SpecVersion& v) { return svc->to_json(v); });
             })
        .summary("Spec versions of a " + noun + ", newest first (all of them: one page)")
        .tag(tag);

    ctx.router
        .post(base, Role::admin,
              [svc](Request& req) -> Task<Response> {
                auto id = req.path_uuid("id");
                auto by = req.caller();
                auto draft = co_await svc->create_draft(id, by);
                co_return Response::json(svc->to_json(draft), 201);
              })
        .summary("New draft version copying the active version's definitions; 409 while a draft exists")
        .tag(tag)
        .response(kVersion, 201);
  }
  const std::string version = paths.versions + "/{id}";
  const std::string def = paths.defs + "/{id}";

  ctx.router
      .get(version, Role::user,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto detail = co_await svc->version(id);
             auto v = svc->to_json(detail);
             auto etag = etag_of(v);
             co_return Response::json(v).header("ETag", etag);
           })
      .summary("One spec version with its definitions")
      .tag(tag)
      .response(kVersion);

  ctx.router
      .del(version, Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto by = req.caller();
             co_await svc->delete_draft(id, by);
             co_return Response::no_content();
           })
      .summary("Discard a draft version (409 for active or retired versions)")
      .tag(tag)
      .response(nullptr, 204);

  ctx.router
      .post(version + "/publish", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto by = req.caller();
              auto report = co_await svc->publish(id, by);
              co_return Response::json(svc->to_json(report));
            })
      .summary("Activate a draft, retiring the active version; reports nonConforming" + svc->owner().subjects +
               " with their errors")
      .tag(tag);

  ctx.router
      .get(version + "/defs", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto rows = co_await svc->defs(id);
             co_return whole_list(rows, [](const SpecDef& d) { return to_json(d); });
           })
      .summary("Field definitions of a version (sortOrder, key)")
      .tag(tag);

  ctx.router
      .post(version + "/defs", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto parsed = parse_spec_def(req.json());
              auto by = req.caller();
              auto stored = co_await svc->add_def(id, parsed, by);
              co_return Response::json(to_json(stored), 201);
            })
      .summary("Add a field definition to a draft (409 unless draft; 400 lists every definition error)")
      .tag(tag)
      .request(kDef)
      .response(kDef, 201);

  ctx.router
      .put(def, Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             const auto& body = req.json();
             if (!body.is_object()) throw ValidationError("body", "must be a JSON object");
             SpecDefPatch patch{body};
             auto by = req.caller();
             auto stored = co_await svc->update_def(id, patch, by);
             co_return Response::json(to_json(stored));
           })
      .summary("Change a definition of a draft: the given attributes replace the stored ones (null clears)")
      .tag(tag)
      .request(kDef)
      .response(kDef);

  ctx.router
      .del(def, Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto by = req.caller();
             co_await svc->delete_def(id, by);
             co_return Response::no_content();
           })
      .summary("Remove a definition from a draft (409 unless draft)")
      .tag(tag)
      .response(nullptr, 204);
}

void register_spec_version_routes(AppContext& ctx, std::shared_ptr<SpecVersionService> svc) {
  // The paths, and SPEC §3's `category-specs/{categoryId}/versions` for the same thing.
  register_spec_routes(ctx, svc,
                       SpecRoutes{{"/api/v1/asset-categories/{id}/spec-versions", "/api/v1/category-specs/{id}/versions"},
                                  "/api/v1/spec-versions", "/api/v1/spec-defs", "assets"});
}

}  // namespace netops::catalog
