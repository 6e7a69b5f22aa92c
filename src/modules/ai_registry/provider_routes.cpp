// HTTP shape of /api/providers: path/query/body → typed input, ProviderService, typed result → JSON.
#include "core/error.hpp"
#include "core/etag.hpp"
#include "http/listing.hpp"
#include "modules/ai_registry/provider_service.hpp"
#include "modules/ai_registry/schemas.hpp"

namespace netops::ai_registry {

using http::Request;
using http::Response;
using http::Role;

namespace {
const http::ListSpec kList{
    .filters = {{"status", "string", "active | inactive"}, {"search", "string", "in id, name and description"}},
    .sorts = {{"id", "id"}, {"name", "name"}, {"status", "status"}, {"createdAt", "created_at"},
              {"lastUsageAt", "last_usage_at"}},
    .default_sort = "id",
    .default_descending = false,
    .default_page_size = 50,
};

Response tagged(const Provider& p, int status = 200) {
  auto j = to_json(p);
  auto etag = etag_of(j);
  auto r = Response::json(j, status);
  if (status == 200) r.header("ETag", etag);
  return r;
}
}  // namespace

void register_provider_routes(AppContext& ctx, std::shared_ptr<ProviderService> svc) {
  ctx.router
      .get("/api/providers", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto q = http::list_query(req, kList);
             ProviderFilter f{req.query("status"), req.query("search")};
             auto page = co_await svc->list(f, q.page, q.sort);
             co_return http::page(page, [](const Provider& p) { return to_json(p); });
           })
      .summary("List AI providers (filters status, search; sort id|name|status|createdAt|lastUsageAt); never the API key")
      .tag("providers")
      .list(kList)
      .response(schema::page_of(schema::provider()));

  ctx.router
      .get("/api/providers/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             std::string id(req.path_param("id"));  // named: GCC 12 destroys temporaries in co_await too early
             auto p = co_await svc->get(id);
             co_return tagged(p);
           })
      .summary("One provider with an ETag for If-Match: apiKeyHint and hasApiKey, never the key")
      .tag("providers")
      .response(schema::provider());

  ctx.router
      .post("/api/providers", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto in = parse_provider(req.json(), true);  // named: GCC 12 mishandles temporaries in co_await
              auto by = req.caller();
              auto p = co_await svc->create(in, by);
              co_return tagged(p, 201);
            })
      .summary("Create a provider; apiKey is write-only and stored encrypted with NETOPS_MASTER_KEY")
      .tag("providers")
      .request(schema::provider_write(true))
      .response(schema::provider(), 201);

  auto update = [svc](Request& req) -> Task<Response> {
    std::string id(req.path_param("id"));  // named: GCC 12 mishandles temporaries in co_await
    auto in = parse_provider(req.json(), false, id);
    auto expected = req.if_match();
    auto by = req.caller();
    auto p = co_await svc->update(id, in, expected, by);
    co_return tagged(p);
  };
  ctx.router.patch("/api/providers/{id}", Role::admin, update)
      .summary("Update a provider (fields present are changed; apiKey null removes the key; If-Match honoured)")
      .tag("providers")
      .request(schema::provider_write(false))
      .response(schema::provider());
  ctx.router.put("/api/providers/{id}", Role::admin, update)
      .summary("Same as PATCH")
      .tag("providers")
      .request(schema::provider_write(false))
      .response(schema::provider());

  ctx.router
      .del("/api/providers/{id}", Role::admin,
           [svc](Request& req) -> Task<Response> {
             std::string id(req.path_param("id"));  // named: GCC 12 mishandles temporaries in co_await
             auto expected = req.if_match();
             auto by = req.caller();
             co_await svc->remove(id, expected, by);
             co_return Response::no_content();
           })
      .summary("Delete a provider; 409 naming the models that still use it")
      .tag("providers")
      .response(nullptr, 204);

  ctx.router
      .get("/api/providers/{id}/health", Role::admin,
           [svc](Request& req) -> Task<Response> {
             std::string id(req.path_param("id"));
             auto h = co_await svc->health(id);
             co_return Response::json(h);
           })
      .summary("Probe the provider upstream with its stored key (admin: it spends upstream quota); "
               "501 while the upstream client is not wired")
      .tag("providers");

  ctx.router
      .get("/api/providers/{id}/credits", Role::user,
           [svc](Request& req) -> Task<Response> {
             std::string id(req.path_param("id"));
             auto c = co_await svc->credits(id);
             co_return Response::json(to_json(c));
           })
      .summary("Credits remaining, tokens used and last usage as accounted by the gateway (cached 1 min)")
      .tag("providers")
      .response({{"type", "object"},
                 {"properties",
                  {{"providerId", {{"type", "string"}}},
                   {"creditsRemaining", {{"type", "string"}, {"nullable", true}}},
                   {"tokensUsed", {{"type", "integer"}}},
                   {"lastUsageAt", {{"type", "string"}, {"nullable", true}}}}}});
}

}  // namespace netops::ai_registry
