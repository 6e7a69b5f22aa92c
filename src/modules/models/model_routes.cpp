// HTTP shape of /api/models and /api/orchestration.
#include "core/etag.hpp"
#include "core/error.hpp"
#include "modules/models/schemas.hpp"
#include "modules/models/service.hpp"

namespace netops::models {

using http::Request;
using http::Response;
using http::Role;

namespace {
Check if_match(const Request& req) {
  return [&req](const nlohmann::json& current) { check_expected_etag(req.if_match(), current); };
}

// Model ids contain '/' ("openai/gpt-4o", "openrouter/anthropic/claude-3.5-sonnet"). The server decodes
// the path before routing, so "openai%2Fgpt-4o" arrives as two segments like "openai/gpt-4o"; every
// per-model route is therefore registered for one, two and three segments and the id is their join.
const char* const kModelPaths[] = {"/api/models/{id}", "/api/models/{id}/{name}", "/api/models/{id}/{name}/{variant}"};

std::string model_id(const Request& req) {
  std::string id(req.path_param("id"));
  for (const char* part : {"name", "variant"})
    if (auto v = req.path_param(part); !v.empty()) id += "/" + std::string(v);
  return id;
}

std::string variant_note(int i) {
  if (i == 0) return " (ids with '/' — also URL-encoded as %2F — use /api/models/{id}/{name}[/{variant}])";
  return i == 1 ? " — for model ids with one '/': the id is {id}/{name}"
                : " — for model ids with two '/': the id is {id}/{name}/{variant}";
}
}  // namespace

void register_model_routes(AppContext& ctx, std::shared_ptr<ModelsService> svc) {
  const std::vector<std::pair<std::string, std::string>> sortable = {
      {"priority", "priority"}, {"tier", "tier"}, {"id", "id"}, {"costPer1kInput", "cost_per_1k_input"},
      {"createdAt", "created_at"}};

  ctx.router
      .get("/api/models", Role::user,
           [svc, sortable](Request& req) -> Task<Response> {
             ModelFilter f;
             f.provider = req.query("provider");
             f.status = req.query("status");
             f.search = req.query("search");
             f.enabled = req.query_bool("enabled");
             if (req.query("tier")) f.tier = static_cast<int>(req.query_int("tier", 0, 0, 3));
             auto p = http::paging(req);
             auto s = http::sort(req, sortable, "priority");
             auto [rows, total] = co_await svc->list_models(f, p, s);
             co_return http::page(std::move(rows), p.page, p.page_size, total);
           })
      .summary("List model configurations (filters provider, tier, enabled, status, search; "
               "sort priority|tier|id|costPer1kInput|createdAt)")
      .tag("models")
      .query("provider", "string", "provider id")
      .query("tier", "integer", "0–3")
      .query("enabled", "boolean", "")
      .query("status", "string", "active | inactive | deprecated")
      .query("search", "string", "in id, displayName and description")
      .query("sort", "string", "field or -field")
      .query("page", "integer", "")
      .query("pageSize", "integer", "at most 1000")
      .response(schema::page_of(schema::model()));

  ctx.router
      .post("/api/models", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto m = co_await svc->create_model(req.json(), req.actor_or_throw(), req.request_id);
              co_return Response::json(m, 201);
            })
      .summary("Create a model configuration (provider must exist → 422; prices stored as exact decimals)")
      .tag("models")
      .request(schema::model_write(true))
      .response(schema::model(), 201);

  auto get = [svc](Request& req) -> Task<Response> {
    auto id = model_id(req);  // named: GCC 12 destroys temporaries bound to references in co_await too early
    auto m = co_await svc->get_model(id);
    auto etag = etag_of(m);  // of the stored configuration, not of the live breaker state
    if (auto& breaker = svc->hooks().circuit_breaker) m["circuitBreaker"] = breaker(m["id"].get<std::string>());
    co_return Response::json(m).header("ETag", etag);
  };
  auto update = [svc](Request& req) -> Task<Response> {
    auto check = if_match(req);  // named: GCC 12 mishandles temporaries in co_await
    auto id = model_id(req);
    auto m = co_await svc->update_model(id, req.json(), req.actor_or_throw(), req.request_id, check);
    auto etag = etag_of(m);
    co_return Response::json(m).header("ETag", etag);
  };
  auto remove = [svc](Request& req) -> Task<Response> {
    auto check = if_match(req);  // named: GCC 12 mishandles temporaries in co_await
    auto id = model_id(req);
    co_await svc->delete_model(id, req.actor_or_throw(), req.request_id, check);
    co_return Response::no_content();
  };
  auto performance = [svc](Request& req) -> Task<Response> {
    auto days = static_cast<int>(req.query_int("days", 7, 1, 365));
    auto id = model_id(req);
    auto out = co_await svc->model_performance(id, days);
    co_return Response::json(out);
  };
  auto history = [svc](Request& req) -> Task<Response> {
    auto days = static_cast<int>(req.query_int("days", 30, 1, 365));
    auto id = model_id(req);
    auto out = co_await svc->model_history(id, days);
    co_return Response::json(out);
  };
  for (int i = 0; i < 3; ++i) {
    std::string path = kModelPaths[i];
    auto note = variant_note(i);
    ctx.router.get(path, Role::user, get)
        .summary("One model with an ETag (and circuitBreaker when the gateway reports one)" + note)
        .tag("models")
        .response(schema::model());
    ctx.router.patch(path, Role::admin, update)
        .summary("Update a model (fields present are changed; If-Match honoured)" + note)
        .tag("models")
        .request(schema::model_write(false))
        .response(schema::model());
    ctx.router.put(path, Role::admin, update)
        .summary("Same as PATCH" + note)
        .tag("models")
        .request(schema::model_write(false))
        .response(schema::model());
    ctx.router.del(path, Role::admin, remove)
        .summary("Delete a model; 409 naming the orchestration rules that still use it" + note)
        .tag("models")
        .response(nullptr, 204);
    ctx.router.get(path + "/performance", Role::user, performance)
        .summary("Requests, success rate, latency p50/p95, tokens, cost and escalations over ?days (default 7)" + note)
        .tag("models")
        .query("days", "integer", "1–365, default 7")
        .response(schema::performance());
    ctx.router.get(path + "/history", Role::user, history)
        .summary("The same figures per UTC day over ?days (default 30), days without calls included" + note)
        .tag("models")
        .query("days", "integer", "1–365, default 30")
        .response(schema::history());
  }
}

void register_rule_routes(AppContext& ctx, std::shared_ptr<ModelsService> svc) {
  const std::vector<std::pair<std::string, std::string>> sortable = {
      {"priority", "priority"}, {"name", "name"}, {"createdAt", "created_at"}, {"updatedAt", "updated_at"}};

  ctx.router
      .get("/api/orchestration", Role::user,
           [svc, sortable](Request& req) -> Task<Response> {
             RuleFilter f;
             f.strategy = req.query("strategy");
             f.enabled = req.query_bool("enabled");
             auto p = http::paging(req);
             auto s = http::sort(req, sortable, "priority");
             auto [rows, total] = co_await svc->list_rules(f, p, s);
             co_return http::page(std::move(rows), p.page, p.page_size, total);
           })
      .summary("List orchestration rules, by priority (the order `auto` tries them; filters strategy, enabled)")
      .tag("orchestration")
      .query("strategy", "string", "fallback | load_balance | cost_optimize | quality_first | escalation")
      .query("enabled", "boolean", "")
      .query("sort", "string", "priority | name | createdAt | updatedAt, - for descending")
      .query("page", "integer", "")
      .query("pageSize", "integer", "at most 1000")
      .response(schema::page_of(schema::rule()));

  ctx.router
      .get("/api/orchestration/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");  // named: see get_model above
             auto r = co_await svc->get_rule(id);
             auto etag = etag_of(r);
             co_return Response::json(r).header("ETag", etag);
           })
      .summary("One orchestration rule with an ETag for If-Match")
      .tag("orchestration")
      .response(schema::rule());

  ctx.router
      .post("/api/orchestration", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto r = co_await svc->create_rule(req.json(), req.actor_or_throw(), req.request_id);
              co_return Response::json(r, 201);
            })
      .summary("Create a rule (unknown models in modelSequence → 422; bad pattern or unknown condition → 400)")
      .tag("orchestration")
      .request(schema::rule_write(true))
      .response(schema::rule(), 201);

  auto update = [svc](Request& req) -> Task<Response> {
    auto check = if_match(req);  // named: GCC 12 mishandles temporaries in co_await
    auto id = req.path_uuid("id");
    auto r = co_await svc->update_rule(id, req.json(), req.actor_or_throw(), req.request_id, check);
    auto etag = etag_of(r);
    co_return Response::json(r).header("ETag", etag);
  };
  ctx.router.patch("/api/orchestration/{id}", Role::admin, update)
      .summary("Update a rule (fields present are changed, then the whole rule is validated; If-Match honoured)")
      .tag("orchestration")
      .request(schema::rule_write(false))
      .response(schema::rule());
  ctx.router.put("/api/orchestration/{id}", Role::admin, update)
      .summary("Same as PATCH")
      .tag("orchestration")
      .request(schema::rule_write(false))
      .response(schema::rule());

  ctx.router
      .del("/api/orchestration/{id}", Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto check = if_match(req);  // named: GCC 12 mishandles temporaries in co_await
             auto id = req.path_uuid("id");
             co_await svc->delete_rule(id, req.actor_or_throw(), req.request_id, check);
             co_return Response::no_content();
           })
      .summary("Delete a rule")
      .tag("orchestration")
      .response(nullptr, 204);
}

}  // namespace netops::models
