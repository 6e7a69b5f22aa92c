// HTTP shape of /api/providers, /api/usage/logs and /v1/models, and the module's registration
// (models and rules: model_routes.cpp).
#include "core/etag.hpp"
#include "core/error.hpp"
#include "modules/models/module.hpp"
#include "modules/models/schemas.hpp"

namespace netops::models {

using http::Request;
using http::Response;
using http::Role;

namespace {
Check if_match(const Request& req) {
  return [&req](const nlohmann::json& current) { check_expected_etag(req.if_match(), current); };
}
}  // namespace

void register_provider_routes(AppContext& ctx, std::shared_ptr<ModelsService> svc) {
  const std::vector<std::pair<std::string, std::string>> sortable = {
      {"id", "id"}, {"name", "name"}, {"status", "status"}, {"createdAt", "created_at"}, {"lastUsageAt", "last_usage_at"}};

  ctx.router
      .get("/api/providers", Role::user,
           [svc, sortable](Request& req) -> Task<Response> {
             ProviderFilter f;
             f.status = req.query("status");
             f.search = req.query("search");
             auto p = http::paging(req);
             auto s = http::sort(req, sortable, "id");
             auto [rows, total] = co_await svc->list_providers(f, p, s);
             co_return http::page(std::move(rows), p.page, p.page_size, total);
           })
      .summary("List AI providers (filters status, search; sort id|name|status|createdAt|lastUsageAt); never the API key")
      .tag("providers")
      .query("status", "string", "active | inactive")
      .query("search", "string", "in id, name and description")
      .query("sort", "string", "field or -field")
      .query("page", "integer", "")
      .query("pageSize", "integer", "at most 1000")
      .response(schema::page_of(schema::provider()));

  ctx.router
      .get("/api/providers/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             std::string id(req.path_param("id"));  // named: GCC 12 destroys temporaries in co_await too early
             auto p = co_await svc->get_provider(id);
             auto etag = etag_of(p);
             co_return Response::json(p).header("ETag", etag);
           })
      .summary("One provider with an ETag for If-Match: apiKeyHint and hasApiKey, never the key")
      .tag("providers")
      .response(schema::provider());

  ctx.router
      .post("/api/providers", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto p = co_await svc->create_provider(req.json(), req.actor_or_throw(), req.request_id);
              co_return Response::json(p, 201);
            })
      .summary("Create a provider; apiKey is write-only and stored encrypted with NETOPS_MASTER_KEY")
      .tag("providers")
      .request(schema::provider_write(true))
      .response(schema::provider(), 201);

  auto update = [svc](Request& req) -> Task<Response> {
    auto check = if_match(req);  // named: GCC 12 mishandles temporaries in co_await
    std::string id(req.path_param("id"));
    auto p = co_await svc->update_provider(id, req.json(), req.actor_or_throw(), req.request_id, check);
    auto etag = etag_of(p);
    co_return Response::json(p).header("ETag", etag);
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
             auto check = if_match(req);  // named: GCC 12 mishandles temporaries in co_await
             std::string id(req.path_param("id"));
             co_await svc->delete_provider(id, req.actor_or_throw(), req.request_id, check);
             co_return Response::no_content();
           })
      .summary("Delete a provider; 409 naming the models that still use it")
      .tag("providers")
      .response(nullptr, 204);

  ctx.router
      .get("/api/providers/{id}/health", Role::admin,
           [svc](Request& req) -> Task<Response> {
             std::string id(req.path_param("id"));
             auto h = co_await svc->provider_health(id);
             co_return Response::json(h);
           })
      .summary("Probe the provider upstream with its stored key (admin: it spends upstream quota); "
               "501 while the upstream client is not wired")
      .tag("providers");

  ctx.router
      .get("/api/providers/{id}/credits", Role::user,
           [svc](Request& req) -> Task<Response> {
             std::string id(req.path_param("id"));
             auto c = co_await svc->provider_credits(id);
             co_return Response::json(c);
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

Module register_routes(AppContext& ctx, Options opts) {
  auto registry = std::make_shared<Registry>(ctx.db, ctx.redis, ctx.config.master_key);
  auto hooks = std::make_shared<Hooks>(Hooks{std::move(opts.probe), std::move(opts.circuit_breaker)});
  auto svc = std::make_shared<ModelsService>(ctx, registry, hooks);
  register_provider_routes(ctx, svc);
  register_model_routes(ctx, svc);
  register_rule_routes(ctx, svc);

  ctx.router
      .get("/api/usage/logs", Role::admin,
           [svc](Request& req) -> Task<Response> {
             UsageFilter f;
             f.user_id = req.query("userId");
             f.model_id = req.query("modelId");
             f.provider = req.query("provider");
             f.status = req.query("status");
             f.from = req.query("from");
             f.to = req.query("to");
             if (f.status && *f.status != "success" && *f.status != "error")
               throw ValidationError("status", "must be success or error");
             auto p = http::paging(req);
             auto [rows, total] = co_await svc->usage_logs(f, p);
             co_return http::page(std::move(rows), p.page, p.page_size, total);
           })
      .summary("Usage log of completion calls, newest first (filters userId, modelId, provider, status, from, to)")
      .tag("usage")
      .query("userId", "string", "")
      .query("modelId", "string", "")
      .query("provider", "string", "")
      .query("status", "string", "success | error")
      .query("from", "string", "ISO 8601 date/time, inclusive")
      .query("to", "string", "ISO 8601 date/time, exclusive")
      .query("page", "integer", "")
      .query("pageSize", "integer", "at most 1000")
      .response(schema::page_of(schema::usage_log()));

  ctx.router
      .get("/v1/models", Role::user,
           [svc](Request&) -> Task<Response> {
             auto list = co_await svc->openai_models();
             co_return Response::json(list);
           })
      .summary("OpenAI-format model list: enabled models (status not inactive) whose provider is active")
      .tag("openai")
      .response(schema::openai_models());

  Module m;
  m.registry = registry;
  m.set_probe = [hooks](ProbeHook h) { hooks->probe = std::move(h); };
  m.set_circuit_breaker = [hooks](BreakerHook h) { hooks->circuit_breaker = std::move(h); };
  return m;
}

}  // namespace netops::models
