// HTTP shape of /api/providers: path/query/body → typed input, ProviderService, typed result → JSON.
#include "core/error.hpp"
#include "http/crud.hpp"
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

}  // namespace

void register_provider_routes(AppContext& ctx, std::shared_ptr<ProviderService> svc) {
  http::crud(ctx.router, svc,
             http::CrudSpec<ProviderInput, ProviderFilter>{
                 .base = "/api/providers",
                 .noun = "provider",
                 .tag = "providers",
                 .item_schema = schema::provider(),
                 .input_schema = schema::provider_write(true),
                 .list = kList,
                 .filter = [](const Request& req) { return ProviderFilter{req.query("status"), req.query("search")}; },
                 .parse = [](const nlohmann::json& body, bool creating) { return parse_provider(body, creating); },
                 .delete_summary = "409 naming the models that still use it",
                 .summaries = {.list = "List AI providers (filters status, search; sort "
                                       "id|name|status|createdAt|lastUsageAt); never the API key",
                               .get = "One provider with an ETag for If-Match: apiKeyHint and hasApiKey, never the key",
                               .create = "Create a provider; apiKey is write-only and stored encrypted with "
                                         "NETOPS_MASTER_KEY",
                               .update = "Update a provider (fields present are changed; apiKey null removes the "
                                         "key; If-Match honoured)"},
                 .list_schema = schema::page_of(schema::provider()),
                 .update_schema = schema::provider_write(false),
                 .uuid_ids = false,
                 .parse_update = [](const nlohmann::json& body,
                                    const std::string& id) { return parse_provider(body, false, id); },
             });

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
