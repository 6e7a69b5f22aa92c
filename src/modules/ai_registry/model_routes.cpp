// HTTP shape of /api/models and GET /v1/models: path/query/body → typed input, ModelService, typed
// result → JSON.
#include "core/error.hpp"
#include "core/etag.hpp"
#include "http/listing.hpp"
#include "modules/ai_registry/model_service.hpp"
#include "modules/ai_registry/schemas.hpp"

namespace netops::ai_registry {

using http::Request;
using http::Response;
using http::Role;

namespace {
const http::ListSpec kList{
    .filters = {{"provider", "string", "provider id"},
                {"tier", "integer", "0–3"},
                {"enabled", "boolean", ""},
                {"status", "string", "active | inactive | deprecated"},
                {"search", "string", "in id, displayName and description"}},
    .sorts = {{"priority", "priority"}, {"tier", "tier"}, {"id", "id"}, {"costPer1kInput", "cost_per_1k_input"},
              {"createdAt", "created_at"}},
    .default_sort = "priority",
    .default_descending = false,
    .default_page_size = 50,
};

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

std::string variant_note(int i, std::string_view base = "/api/models") {
  if (i == 0) return " (ids with '/' — also URL-encoded as %2F — use " + std::string(base) + "/{id}/{name}[/{variant}])";
  return i == 1 ? " — for model ids with one '/': the id is {id}/{name}"
                : " — for model ids with two '/': the id is {id}/{name}/{variant}";
}
}  // namespace

void register_model_routes(AppContext& ctx, std::shared_ptr<ModelService> svc) {
  ctx.router
      .get("/api/models", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto q = http::list_query(req, kList);
             ModelFilter f;
             f.provider = req.query("provider");
             f.status = req.query("status");
             f.search = req.query("search");
             f.enabled = req.query_bool("enabled");
             if (req.query("tier")) f.tier = static_cast<int>(req.query_int("tier", 0, 0, 3));
             auto page = co_await svc->list(f, q.page, q.sort);
             co_return http::page(page, [](const ModelConfig& m) { return to_json(m); });
           })
      .summary("List model configurations (filters provider, tier, enabled, status, search; "
               "sort priority|tier|id|costPer1kInput|createdAt)")
      .tag("models")
      .list(kList)
      .response(schema::page_of(schema::model()));

  ctx.router
      .post("/api/models", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto in = parse_model(req.json(), true);  // named: GCC 12 mishandles temporaries in co_await
              auto by = req.caller();
              auto m = co_await svc->create(in, by);
              co_return Response::json(to_json(m), 201);
            })
      .summary("Create a model configuration (provider must exist → 422; prices stored as exact decimals)")
      .tag("models")
      .request(schema::model_write(true))
      .response(schema::model(), 201);

  auto get = [svc](Request& req) -> Task<Response> {
    auto id = model_id(req);  // named: GCC 12 destroys temporaries bound to references in co_await too early
    auto m = co_await svc->get(id);
    auto j = to_json(m);
    auto etag = etag_of(j);  // of the stored configuration, not of the live breaker state
    if (auto breaker = svc->circuit_breaker(m.id)) j["circuitBreaker"] = std::move(*breaker);
    co_return Response::json(j).header("ETag", etag);
  };
  auto update = [svc](Request& req) -> Task<Response> {
    auto id = model_id(req);  // named: GCC 12 mishandles temporaries in co_await
    auto in = parse_model(req.json(), false, id);
    auto expected = req.if_match();
    auto by = req.caller();
    auto m = co_await svc->update(id, in, expected, by);
    auto j = to_json(m);
    auto etag = etag_of(j);
    co_return Response::json(j).header("ETag", etag);
  };
  auto remove = [svc](Request& req) -> Task<Response> {
    auto id = model_id(req);  // named: GCC 12 mishandles temporaries in co_await
    auto expected = req.if_match();
    auto by = req.caller();
    co_await svc->remove(id, expected, by);
    co_return Response::no_content();
  };
  auto performance = [svc](Request& req) -> Task<Response> {
    auto days = static_cast<int>(req.query_int("days", 7, 1, 365));
    auto id = model_id(req);
    auto out = co_await svc->performance(id, days);
    co_return Response::json(to_json(out));
  };
  auto history = [svc](Request& req) -> Task<Response> {
    auto days = static_cast<int>(req.query_int("days", 30, 1, 365));
    auto id = model_id(req);
    auto out = co_await svc->history(id, days);
    co_return Response::json(to_json(out));
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

  ctx.router
      .get("/v1/models", Role::user,
           [svc](Request&) -> Task<Response> {
             auto models = co_await svc->usable();
             nlohmann::json data = nlohmann::json::array();
             for (auto& m : models) data.push_back(to_model_api_json(m));
             nlohmann::json first = data.empty() ? nlohmann::json(nullptr) : data.front()["id"];
             nlohmann::json last = data.empty() ? nlohmann::json(nullptr) : data.back()["id"];
             nlohmann::json out = {{"object", "list"}, {"data", std::move(data)}, {"has_more", false},
                                   {"first_id", std::move(first)}, {"last_id", std::move(last)}};
             co_return Response::json(out);
           })
      .summary("Model list in the OpenAI and the Anthropic format at once: enabled models (status not inactive) "
               "whose provider is active")
      .tag("openai")
      .response(schema::openai_models());
  // models.retrieve of both SDKs; they send the id URL-encoded ("openai%2Fgpt-4o"), which arrives as segments.
  auto retrieve = [svc](Request& req) -> Task<Response> {
    auto id = model_id(req);
    auto m = co_await svc->usable(id);
    if (!m) throw NotFound("model " + id);
    co_return Response::json(to_model_api_json(*m));
  };
  for (int i = 0; i < 3; ++i) {
    std::string path = std::string("/v1") + (kModelPaths[i] + 4);  // /api/models/… → /v1/models/…
    ctx.router.get(path, Role::user, retrieve)
        .summary("One model of GET /v1/models (404 when it is not usable)" + variant_note(i, "/v1/models"))
        .tag("openai")
        .response(schema::openai_model());
  }
}

}  // namespace netops::ai_registry
