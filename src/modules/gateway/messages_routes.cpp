// HTTP shape of the Anthropic Messages API: the request is translated to the OpenAI chat request the
// service runs (every tier, rule, strategy, failover, budget and accounting path is the completions one),
// and the answer — JSON or a stream — translated back to Anthropic's shape (llm/anthropic_in.hpp).
#include "modules/gateway/messages_routes.hpp"

#include "core/json.hpp"
#include "core/metrics.hpp"
#include "llm/anthropic_in.hpp"
#include "llm/pricing.hpp"
#include "modules/gateway/served_headers.hpp"

namespace netops::gateway {

using http::Request;
using http::Response;
using http::Role;
using nlohmann::json;

namespace {

constexpr std::size_t kBodyLimit = 8u << 20;  // images travel inline as base64

json request_schema(bool count) {
  json required = count ? json::array({"model", "messages"}) : json::array({"model", "messages", "max_tokens"});
  return {{"type", "object"},
          {"required", required},
          {"properties",
           {{"model", {{"type", "string"}, {"description", "a model id, tier:0 … tier:3, auto, or a rule alias"}}},
            {"system", {{"description", "a string or an array of text blocks"}}},
            {"messages", {{"type", "array"}, {"minItems", 1}}},
            {"max_tokens", {{"type", "integer"}, {"minimum", 1}}},
            {"tools", {{"type", "array"}}},
            {"tool_choice", {{"type", "object"}}},
            {"stop_sequences", {{"type", "array"}}},
            {"temperature", {{"type", "number"}}},
            {"top_p", {{"type", "number"}}},
            {"metadata", {{"type", "object"}}},
            {"stream", {{"type", "boolean"}}}}}};
}

// An error of this route in Anthropic's shape: {"type":"error","error":{"type","message"}}.
Response anthropic_error(const AppError& e, int status, const Request& req) {
  std::string message = e.what();
  if (e.code() == ErrorCode::validation && e.details().contains("errors") && e.details()["errors"].size() > 1) {
    message.clear();
    for (const auto& x : e.details()["errors"]) {
      if (!message.empty()) message += "; ";
      message += x.value("field", "") + ": " + x.value("issue", "");
    }
  }
  Response r = Response::json(anthropic_error_body(status, message), status);
  if (e.details().contains("retryAfter") && e.details()["retryAfter"].is_number_integer())
    r.header("Retry-After", std::to_string(e.details()["retryAfter"].get<long long>()));
  r.header("request-id", req.request_id);
  return r;
}

// The stream job's OpenAI chunks, re-encoded as Anthropic events on their way to the client.
class MessagesWriter : public http::StreamWriter {
 public:
  MessagesWriter(http::StreamWriter& out, std::string model, std::int64_t input_estimate)
      : out_(out), enc_(std::move(model), input_estimate) {}
  Task<bool> write(std::string_view chunk) override {
    std::string bytes;
    try {
      bytes = enc_.feed(chunk);
    } catch (const std::length_error&) {
      co_return false;
    }
    if (bytes.empty()) co_return !out_.client_gone();
    co_return co_await out_.write(bytes);
  }
  bool client_gone() const override { return out_.client_gone(); }

 private:
  http::StreamWriter& out_;
  MessagesStreamEncoder enc_;
};

Task<void> pump_messages(std::shared_ptr<StreamJob> job, http::StreamWriter& out, std::string model,
                         std::int64_t input_estimate, std::shared_ptr<ResponseCache> cache,
                         std::optional<CacheTicket> ticket) {
  MessagesWriter w(out, std::move(model), input_estimate);
  if (!ticket) {
    co_await StreamJob::pump(job, w);
    co_return;
  }
  // Stored as the OpenAI answer the relay saw (before its Anthropic encoding), like a chat stream.
  StreamAssembler a;
  CapturingWriter capture(w, a);
  co_await StreamJob::pump(job, capture);
  if (a.complete()) {
    json c = a.completion(job->served().model);
    Served served = job->served();
    co_await cache->store(*ticket, c, served);
  }
}

// A cache hit in Anthropic's shape: the stored OpenAI answer translated, or replayed as events.
Response messages_hit(const CacheTicket& t, bool stream, std::int64_t estimate) {
  const json& c = t.hit->completion;
  Response r = Response::json(json::object());
  if (stream) {
    MessagesStreamEncoder enc(t.hit->served.model, estimate);
    std::string bytes = completion_as_stream(c, true);
    r = Response::text(enc.feed(bytes), "text/event-stream; charset=utf-8");
    r.header("Cache-Control", "no-cache");
  } else {
    Usage u = c.contains("usage") ? openai_usage(c["usage"]) : Usage{};
    r = Response::text(anthropic_message(c, u, t.hit->served.model).dump(), "application/json");
  }
  add_served_headers(r, t.hit->served);
  add_cache_header(r, t);
  return r;
}

Task<Response> messages(Service& svc, std::shared_ptr<ResponseCache> cache, Request& req) {
  std::optional<Response> out;
  try {
    Caller caller = req.actor_or_throw();
    caller.request_id = req.request_id;
    json in = parse_json_object(req.body, "an Anthropic Messages request");
    auto body = std::make_shared<const json>(openai_from_anthropic(in));
    bool stream = body->contains("stream");
    std::int64_t estimate = estimate_prompt_tokens((*body)["messages"]);
    std::shared_ptr<const std::string> no_raw;
    CallInfo call;
    auto ticket = co_await cache->begin(req, *body, caller);
    if (ticket && ticket->hit) {
      cache->record_hit(*ticket, caller, call.started);
      co_return messages_hit(*ticket, stream, estimate);
    }
    if (stream) {
      auto job = co_await svc.open_stream(body, std::move(caller), std::move(call), no_raw);
      std::string model = job->served().model;
      Response r = Response::streamed("text/event-stream; charset=utf-8",
                                      [job, model, estimate, cache, ticket](http::StreamWriter& w) {
                                        return pump_messages(job, w, model, estimate, cache, ticket);
                                      });
      add_served_headers(r, job->served());
      add_cache_header(r, ticket);
      r.header("Cache-Control", "no-cache");
      out = std::move(r);
    } else {
      auto started = call.started;
      auto c = co_await svc.complete(body, std::move(caller), std::move(call), no_raw);
      Usage u = c.parsed.usage;
      if (!u.reported) {  // counted by the gateway, as its usage_logs row says (estimated)
        u.prompt_tokens = estimate;
        u.completion_tokens = c.spent.answer_tokens;
      }
      Response r = Response::text(anthropic_message(c.parsed.object(), u, c.served.model).dump(), "application/json");
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
    out = anthropic_error(e, e.upstream_status, req);
  } catch (const AppError& e) {
    out = anthropic_error(e, e.status(), req);
  }
  co_return std::move(*out);
}

// An estimate with the gateway's own rule (llm/pricing.hpp): ceil(code points / 4) of every text, tool
// call and tool result + 3 per message (the system prompt counts as one) + 85 per image, plus the tool
// definitions' JSON at the same rate. No upstream is called and nothing is accounted.
Task<Response> count_tokens(Request& req) {
  try {
    (void)req.actor_or_throw();
    json in = parse_json_object(req.body, "an Anthropic count_tokens request");
    json o = openai_from_anthropic(in, true);
    std::int64_t n = estimate_prompt_tokens(o["messages"]);
    if (o.contains("tools")) n += estimate_tokens(o["tools"].dump());
    co_return Response::json({{"input_tokens", n}});
  } catch (const AppError& e) {
    co_return anthropic_error(e, e.status(), req);
  }
}

}  // namespace

void register_messages_routes(AppContext& ctx, std::shared_ptr<Service> svc, std::shared_ptr<ResponseCache> cache) {
  // The Anthropic SDK authenticates with x-api-key: the same nk_ keys, read as "Authorization: Bearer".
  ctx.pipeline.add_precheck([](Request& req) -> Task<void> {
    if (req.path.rfind("/v1/", 0) != 0 || req.header("authorization")) co_return;
    if (auto key = req.header("x-api-key"); key && !key->empty())
      req.headers.emplace_back("authorization", "Bearer " + std::string(*key));
    co_return;
  });
  ctx.router
      .post("/v1/messages", Role::user, [svc, cache](Request& req) -> Task<Response> { return messages(*svc, cache, req); })
      .summary("Anthropic Messages API (stream:true → Anthropic SSE events) through the same orchestrator: any "
               "provider, OpenAI-compatible ones translated. Auth: x-api-key or Bearer; errors in Anthropic's shape")
      .tag("anthropic")
      .body_limit(kBodyLimit)
      .errors(anthropic_error)  // refusals before the handler too (401, 403, 413, 429, 503)
      .request(request_schema(false));
  ctx.router.post("/v1/messages/count_tokens", Role::user, [](Request& req) -> Task<Response> { return count_tokens(req); })
      .summary("Anthropic count_tokens: the gateway's estimate of the request's input tokens (no upstream call)")
      .tag("anthropic")
      .body_limit(kBodyLimit)
      .errors(anthropic_error)
      .request(request_schema(true));
}

}  // namespace netops::gateway
