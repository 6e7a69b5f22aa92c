// HTTP shape of POST /v1/embeddings: OpenAI's format in and out, the upstream's answer passed through with
// our model id; x-netops-* headers as for completions.
#include "core/json.hpp"
#include "modules/gateway/embeddings_service.hpp"
#include "modules/gateway/served_headers.hpp"

namespace netops::gateway {

using http::Request;
using http::Response;
using http::Role;
using nlohmann::json;

namespace {
Task<Response> embeddings(EmbeddingsService& emb, Request& req) {
  Caller caller = req.actor_or_throw();
  caller.request_id = req.request_id;
  auto body = std::make_shared<const json>(parse_json_object(req.body, "an OpenAI embeddings request"));
  std::optional<Response> out;
  try {
    auto e = co_await emb.embed(body, std::move(caller));
    Response r = Response::text(std::move(e.body), "application/json");
    add_served_headers(r, e.served);
    out = std::move(r);
  } catch (const UpstreamRejected& e) {
    out = Response::json(error_envelope(e, req.request_id), e.upstream_status);
  }
  co_return std::move(*out);
}
}  // namespace

void register_embeddings_routes(AppContext& ctx, std::shared_ptr<Service> svc,
                                std::shared_ptr<ai_registry::RegistryService> registry) {
  auto s = load_section(ctx.config, gateway_section());
  llm::Timeouts timeouts{s.upstream_connect_timeout_ms, s.upstream_first_byte_timeout_ms, s.upstream_idle_timeout_ms,
                         s.upstream_total_timeout_ms};
  auto emb = std::make_shared<EmbeddingsService>(svc, registry, timeouts);
  ctx.router
      .post("/v1/embeddings", Role::user,
            [emb](Request& req) -> Task<Response> { return embeddings(*emb, req); })
      .summary("OpenAI-compatible embeddings, to models whose capabilities.embeddings is true; accounted like "
               "completions (input tokens, cost, budget)")
      .tag("openai")
      .body_limit(8u << 20)
      .request({{"type", "object"},
                {"required", {"model", "input"}},
                {"properties",
                 {{"model", {{"type", "string"}}},
                  {"input", {{"description", "string | string[] | int[] | int[][]"}}},
                  {"encoding_format", {{"type", "string"}, {"enum", {"float", "base64"}}}},
                  {"dimensions", {{"type", "integer"}, {"minimum", 1}}},
                  {"user", {{"type", "string"}}}}}});
}

}  // namespace netops::gateway
