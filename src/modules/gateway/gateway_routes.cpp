// HTTP shape of the OpenAI-compatible completions endpoint.
#include "core/detached.hpp"
#include "core/json.hpp"
#include "core/metrics.hpp"
#include "llm/egress.hpp"
#include "modules/gateway/gateway_settings.hpp"
#include "modules/gateway/messages_routes.hpp"
#include "modules/gateway/response_cache.hpp"
#include "modules/gateway/embeddings_service.hpp"
#include "modules/gateway/module.hpp"
#include "modules/gateway/served_headers.hpp"

namespace netops::gateway {

using http::Request;
using http::Response;
using http::Role;
using nlohmann::json;

namespace {

constexpr std::size_t kBodyLimit = 8u << 20;  // images travel inline as data: URLs

json request_schema() {
  return {{"type", "object"},
          {"required", {"messages"}},
          {"properties",
           {{"model", {{"type", "string"}, {"description", "a model id (openai/gpt-4o), tier:0 … tier:3, or auto (default)"}}},
            {"messages",
             {{"type", "array"},
              {"minItems", 1},
              {"items",
               {{"type", "object"},
                {"required", {"role"}},
                {"properties", {{"role", {{"type", "string"}}}, {"content", json::object()}}}}}}},
            {"stream", {{"type", "boolean"}}},
            {"tools", {{"type", "array"}}},
            {"max_tokens", {{"type", "integer"}}},
            {"temperature", {{"type", "number"}}}}}};
}

Task<Response> completions(Service& svc, std::shared_ptr<ResponseCache> cache, Request& req) {
  Caller caller = req.actor_or_throw();
  caller.request_id = req.request_id;
  CallInfo call;
  // Parsed here, not with req.json(): the body is shared with a stream that may outlive this handler.
  auto body = std::make_shared<const json>(parse_json_object(req.body, "an OpenAI chat completion request"));
  // The handler owns the request: its bytes move to the upstream call instead of being re-serialised.
  auto raw = std::make_shared<const std::string>(std::move(req.body));
  auto s = body->find("stream");
  bool stream = s != body->end() && s->is_boolean() && s->get<bool>();
  std::optional<Response> out;
  // Response cache (opt-in: x-netops-cache: ttl=<s> or the rule's metadata.cache): a hit answers here.
  auto ticket = co_await cache->begin(req, *body, caller);
  if (ticket && ticket->hit) {
    cache->record_hit(*ticket, caller, call.started);
    co_return cache->chat_hit(*ticket, stream, client_wants_usage(*body));
  }
  try {
    if (stream && ticket) {
      auto job = co_await svc.open_stream(body, std::move(caller), std::move(call), raw);
      CacheTicket t = *ticket;
      Response r = Response::streamed("text/event-stream; charset=utf-8", [job, cache, t](http::StreamWriter& w) {
        return ResponseCache::pump_and_store(job, w, cache, t);
      });
      add_served_headers(r, job->served());
      add_cache_header(r, ticket);
      r.header("Cache-Control", "no-cache");
      out = std::move(r);
    } else if (stream) {
      auto job = co_await svc.open_stream(body, std::move(caller), std::move(call), raw);
      Response r = Response::streamed("text/event-stream; charset=utf-8",
                                      [job](http::StreamWriter& w) { return StreamJob::pump(job, w); });
      add_served_headers(r, job->served());
      r.header("Cache-Control", "no-cache");
      out = std::move(r);
    } else {
      auto started = call.started;
      auto c = co_await svc.complete(body, std::move(caller), std::move(call), raw);
      if (ticket) c.parsed.object();  // the cache stores the object: parse it before the bytes go
      Response r = c.parsed.bytes.empty() ? Response::json(c.parsed.response)
                                          : Response::text(std::move(c.parsed.bytes), "application/json");
      add_served_headers(r, c.served);
      if (ticket) {
        add_cache_header(r, ticket);
        co_await cache->store(*ticket, c.parsed.response, c.served);
      }
      double total = std::chrono::duration<double>(Clock::now() - started).count();
      Metrics::instance().observe("gateway_overhead_seconds", {}, std::max(0.0, total - c.waited_seconds));
      out = std::move(r);
    }
  } catch (const UpstreamRejected& e) {
    // The provider refused the request itself (4xx): its status, our envelope, its (redacted) message.
    out = Response::json(error_envelope(e, req.request_id), e.upstream_status);
  }
  co_return std::move(*out);
}

}  // namespace

netops::Module<Service> register_module(AppContext& ctx, std::shared_ptr<ai_registry::RegistryService> registry,
                                        llm::HttpClient& client) {
  // Where provider calls may go: checked when a provider is saved (ai_registry) and at connect time (llm).
  llm::set_egress_policy(llm::EgressPolicy::make(ctx.config.egress_deny_private, ctx.config.egress_allow));
  auto svc = std::make_shared<Service>(ctx, registry, client);
  // At the end of the shutdown grace period, calls and streams still running are cut and accounted.
  ShutdownHooks::at_deadline([weak = std::weak_ptr<Service>(svc)]() -> Task<void> {
    if (auto s = weak.lock()) co_await s->cut_in_flight();
  });
  ShutdownHooks::count_busy([weak = std::weak_ptr<Service>(svc)]() -> std::size_t {
    auto s = weak.lock();
    return s ? s->in_flight() : 0;
  });

  auto rcache = std::make_shared<ResponseCache>(ctx, registry, *svc);
  auto handler = [svc, rcache](Request& req) -> Task<Response> { return completions(*svc, rcache, req); };
  ctx.router.post("/v1/chat/completions", Role::user, handler)
      .summary("OpenAI-compatible chat completion (stream:true → SSE). model: id, tier:N or auto; headers "
               "x-netops-model/-provider/-tier/-attempts/-escalated say who answered")
      .tag("openai")
      .body_limit(kBodyLimit)
      .request(request_schema());
  ctx.router.post("/api/completions", Role::user, handler)
      .summary("Alias of POST /v1/chat/completions")
      .tag("openai")
      .body_limit(kBodyLimit)
      .request(request_schema());
  // OpenAI APIs the gateway does not offer answer 501 naming the ones it does, rather than "no route": an SDK
  // or agent framework pointed at the gateway (the Responses API is the OpenAI Agents SDK's default) says why.
  for (const char* path : {"/v1/responses", "/v1/completions"}) {
    ctx.router
        .post(path, Role::user,
              [path](Request&) -> Task<Response> {
                throw AppError(ErrorCode::not_implemented,
                               std::string("POST ") + path +
                                   " is not offered by this gateway; use POST /v1/chat/completions (OpenAI format) "
                                   "or POST /v1/messages (Anthropic format)");
                co_return Response{};
              })
        .summary("Not offered: 501 NOT_IMPLEMENTED naming /v1/chat/completions and /v1/messages")
        .tag("openai");
  }
  register_messages_routes(ctx, svc, rcache);  // POST /v1/messages, /v1/messages/count_tokens (Anthropic format)
  register_embeddings_routes(ctx, svc, registry);  // POST /v1/embeddings

  std::weak_ptr<Service> weak = svc;
  registry->set_circuit_breaker([weak](const std::string& model_id) -> json {
    auto s = weak.lock();
    if (!s) return nullptr;
    return s->breaker().describe(model_id, Clock::now());
  });
  llm::Timeouts probe_timeouts{load_section(ctx.config, gateway_section()).upstream_connect_timeout_ms, 10000, 10000, 15000};
  registry->set_probe([svc, probe_timeouts](const ai_registry::Provider& p, const std::string& key) -> Task<json> {
    return probe_provider(svc->client(), p, key, probe_timeouts);
  });
  netops::Module<Service> m;
  m.service = svc;
  // The accounting flusher, and on shutdown everything still queued (the app drains chat's background work,
  // which makes usage records, before this).
  m.background.run.push_back([svc]() -> Task<void> { co_await svc->accounting().run(); });
  m.background.drain.push_back([svc]() -> Task<void> { co_await svc->accounting().flush(); });
  return m;
}

}  // namespace netops::gateway
