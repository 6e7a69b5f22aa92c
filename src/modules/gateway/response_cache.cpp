#include "modules/gateway/response_cache.hpp"
#include "core/json.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "core/ids.hpp"
#include "llm/openai.hpp"
#include "modules/gateway/served_headers.hpp"

namespace netops::gateway {

using nlohmann::json;

std::optional<CachePolicy> cache_policy_of_header(std::optional<std::string_view> header) {
  if (!header) return std::nullopt;
  std::string_view h = *header;
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  while (!h.empty() && h.back() == ' ') h.remove_suffix(1);
  if (h.rfind("ttl=", 0) != 0)
    throw ValidationError("x-netops-cache", "must be ttl=<seconds> (1 … " + std::to_string(kMaxCacheTtlSeconds) + ")");
  h.remove_prefix(4);
  long long ttl = 0;
  auto [p, ec] = std::from_chars(h.data(), h.data() + h.size(), ttl);
  if (ec != std::errc() || p != h.data() + h.size() || ttl < 1 || ttl > kMaxCacheTtlSeconds)
    throw ValidationError("x-netops-cache", "ttl must be an integer number of seconds, 1 … " +
                                                std::to_string(kMaxCacheTtlSeconds));
  return CachePolicy{static_cast<int>(ttl), false};
}

std::optional<CachePolicy> cache_policy_of_rule(const ai_registry::Rule& rule) {
  auto c = rule.metadata.find("cache");
  if (c == rule.metadata.end() || !c->is_object()) return std::nullopt;
  auto ttl = c->find("ttl");
  if (ttl == c->end() || !ttl->is_number_integer()) return std::nullopt;
  long long t = ttl->get<long long>();
  if (t < 1) return std::nullopt;
  CachePolicy p;
  p.ttl_s = static_cast<int>(std::min<long long>(t, kMaxCacheTtlSeconds));
  p.shared = c->value("shared", false);
  return p;
}

std::string cache_key(const json& body, const std::string& scope) {
  json n = body;  // nlohmann::json keeps object keys sorted: the dump is canonical
  if (n.is_object()) {
    n.erase("stream");
    n.erase("stream_options");
  }
  return "gwcache:v1:" + scope + ":" + sha256_hex(n.dump());
}

namespace {
std::string chunk(const json& base, json delta, const json& finish) {
  json c = base;
  c["choices"] = json::array({{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", finish}}});
  return "data: " + c.dump() + "\n\n";
}
}  // namespace

std::string completion_as_stream(const json& completion, bool include_usage) {
  json base = {{"id", string_member(completion, "id", "chatcmpl-cache")},
               {"object", "chat.completion.chunk"},
               {"created", integer_member(completion, "created")},
               {"model", string_member(completion, "model")}};
  std::string out;
  json message = json::object();
  json finish = "stop";
  if (auto ch = completion.find("choices"); ch != completion.end() && ch->is_array() && !ch->empty()) {
    const json& c0 = (*ch)[0];
    if (c0.contains("message") && c0["message"].is_object()) message = c0["message"];
    if (c0.contains("finish_reason") && c0["finish_reason"].is_string()) finish = c0["finish_reason"];
  }
  out += chunk(base, {{"role", "assistant"}, {"content", ""}}, nullptr);
  if (auto t = message.find("content"); t != message.end() && t->is_string() && !t->get_ref<const std::string&>().empty())
    out += chunk(base, {{"content", *t}}, nullptr);
  if (auto calls = message.find("tool_calls"); calls != message.end() && calls->is_array())
    for (std::size_t i = 0; i < calls->size(); ++i) {
      const json& c = (*calls)[i];
      static const json kNoFunction = json::object();
      const json& fn = c.is_object() && c.contains("function") ? c["function"] : kNoFunction;
      out += chunk(base,
                   {{"tool_calls", json::array({{{"index", i},
                                                 {"id", string_member(c, "id")},
                                                 {"type", "function"},
                                                 {"function", {{"name", string_member(fn, "name")},
                                                               {"arguments", string_member(fn, "arguments")}}}}})}},
                   nullptr);
    }
  out += chunk(base, json::object(), finish);
  if (include_usage && completion.contains("usage") && completion["usage"].is_object()) {
    json u = base;
    u["choices"] = json::array();
    u["usage"] = completion["usage"];
    out += "data: " + u.dump() + "\n\n";
  }
  out += "data: [DONE]\n\n";
  return out;
}

void StreamAssembler::feed(std::string_view bytes) {
  if (done_ || failed_) return;
  events_.clear();
  try {
    parser_.feed(bytes, events_);
  } catch (const std::length_error&) {
    failed_ = true;
    return;
  }
  for (const auto& e : events_) {
    if (e.data == "[DONE]") {
      done_ = true;
      return;
    }
    json c = parse_json(e.data);
    if (!c.is_object()) continue;
    if (c.contains("error")) {
      failed_ = true;
      return;
    }
    if (id_.empty() && c.contains("id") && c["id"].is_string()) id_ = c["id"].get<std::string>();
    if (c.contains("usage") && c["usage"].is_object()) usage_ = c["usage"];
    auto ch = c.find("choices");
    if (ch == c.end() || !ch->is_array() || ch->empty()) continue;
    const json& c0 = (*ch)[0];
    if (!c0.is_object() || integer_member(c0, "index") != 0) continue;
    if (c0.contains("finish_reason") && c0["finish_reason"].is_string()) finish_ = c0["finish_reason"].get<std::string>();
    auto d = c0.find("delta");
    if (d == c0.end() || !d->is_object()) continue;
    if (d->contains("content") && (*d)["content"].is_string()) text_ += (*d)["content"].get<std::string>();
    if (auto calls = d->find("tool_calls"); calls != d->end() && calls->is_array())
      for (const auto& tc : *calls) {
        std::int64_t i = integer_member(tc, "index");
        if (i < 0 || i > 1024) continue;
        while (calls_.size() <= static_cast<std::size_t>(i))
          calls_.push_back({{"id", ""}, {"type", "function"}, {"function", {{"name", ""}, {"arguments", ""}}}});
        json& dst = calls_[static_cast<std::size_t>(i)];
        if (tc.contains("id") && tc["id"].is_string()) dst["id"] = tc["id"];
        if (auto fn = tc.find("function"); fn != tc.end() && fn->is_object()) {
          if (fn->contains("name") && (*fn)["name"].is_string())
            dst["function"]["name"] = dst["function"]["name"].get<std::string>() + (*fn)["name"].get<std::string>();
          if (fn->contains("arguments") && (*fn)["arguments"].is_string())
            dst["function"]["arguments"] =
                dst["function"]["arguments"].get<std::string>() + (*fn)["arguments"].get<std::string>();
        }
      }
    if (text_.size() > kMaxCacheEntryBytes) {  // would not be stored anyway
      failed_ = true;
      return;
    }
  }
}

json StreamAssembler::completion(const std::string& model) const {
  json message = {{"role", "assistant"}, {"content", text_.empty() && !calls_.empty() ? json(nullptr) : json(text_)}};
  if (!calls_.empty()) message["tool_calls"] = calls_;
  json c = {{"id", id_.empty() ? std::string("chatcmpl-cache") : id_},
            {"object", "chat.completion"},
            {"created", static_cast<long long>(std::time(nullptr))},
            {"model", model},
            {"choices", json::array({{{"index", 0}, {"message", std::move(message)}, {"finish_reason", finish_.empty() ? "stop" : finish_}}})}};
  if (!usage_.is_null()) c["usage"] = usage_;
  return c;
}

Task<bool> CapturingWriter::write(std::string_view chunk) {
  a_.feed(chunk);
  co_return co_await out_.write(chunk);
}

Task<std::optional<CacheTicket>> ResponseCache::begin(const http::Request& req, const json& body, const Caller& caller) {
  std::optional<CachePolicy> policy = cache_policy_of_header(req.header("x-netops-cache"));
  // A rule's policy: the rule this request resolves to (resolution errors are left to the call itself).
  std::optional<CachePolicy> rule_policy;
  try {
    // The request's arrival time lets the registry reuse the bus check prepare() makes for the same request.
    auto snap = co_await registry_->registry()->snapshot(caller.received);
    bool any = std::any_of(snap->rules.begin(), snap->rules.end(),
                           [](const ai_registry::Rule& r) { return r.metadata.contains("cache"); });
    if (any) {
      auto m = body.find("model");
      std::string requested = m != body.end() && m->is_string() ? m->get<std::string>() : std::string("auto");
      RequestFacts facts(body, requested, caller.role, caller.tier);
      Plan plan = resolve(*snap, facts);
      if (plan.rule) rule_policy = cache_policy_of_rule(*plan.rule);
    }
  } catch (const AppError&) {
  }
  if (!policy && !rule_policy) co_return std::nullopt;
  CacheTicket t;
  t.policy = policy ? *policy : *rule_policy;
  t.policy.shared = rule_policy && rule_policy->shared;
  t.key = cache_key(body, t.policy.shared ? std::string("shared") : "u:" + caller.user_id);
  try {
    std::vector<std::string> get{"GET", t.key};
    auto r = co_await ctx_.redis.command(std::move(get));
    if (r.type == cache::Reply::Type::string) {
      json v = json::parse(r.str, nullptr, false);
      if (v.is_object() && v.contains("completion") && v["completion"].is_object()) {
        CachedAnswer a;
        a.completion = std::move(v["completion"]);
        a.served.model = string_member(v, "model");
        a.served.provider = string_member(v, "provider");
        a.served.tier = static_cast<int>(integer_member(v, "tier"));
        a.served.attempts = 0;
        t.hit = std::move(a);
      }
    }
  } catch (const std::exception& e) {  // Redis unavailable or refusing: a miss
    spdlog::debug("response cache lookup failed: {}", e.what());
  }
  co_return t;
}

void ResponseCache::record_hit(const CacheTicket& t, const Caller& caller, std::chrono::steady_clock::time_point started) {
  if (!t.hit) return;
  UsageRecord rec;
  rec.user_id = caller.user_id;
  rec.model_id = t.hit->served.model;
  rec.provider = t.hit->served.provider;
  rec.request_id = caller.request_id;
  rec.tier = std::clamp(t.hit->served.tier, 0, 3);
  rec.success = true;
  rec.cache_hit = true;
  rec.attempts = 0;
  rec.latency_ms = static_cast<int>(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() * 1000.0);
  svc_.accounting().push(std::move(rec));
}

Task<void> ResponseCache::store(const CacheTicket& t, const json& completion, const Served& served) {
  json v = {{"completion", completion}, {"model", served.model}, {"provider", served.provider}, {"tier", served.tier}};
  std::string text = v.dump();
  if (text.size() > kMaxCacheEntryBytes) co_return;
  try {
    std::vector<std::string> set{"SET", t.key, std::move(text), "EX", std::to_string(t.policy.ttl_s)};
    co_await ctx_.redis.command(std::move(set));
  } catch (const std::exception& e) {
    spdlog::debug("response cache store failed: {}", e.what());
  }
}

http::Response ResponseCache::chat_hit(const CacheTicket& t, bool stream, bool include_usage) {
  json c = t.hit->completion;
  c["model"] = t.hit->served.model;
  http::Response r = stream ? http::Response::text(completion_as_stream(c, include_usage), "text/event-stream; charset=utf-8")
                            : http::Response::text(c.dump(), "application/json");
  add_served_headers(r, t.hit->served);
  add_cache_header(r, t);
  if (stream) r.header("Cache-Control", "no-cache");
  return r;
}

Task<void> ResponseCache::pump_and_store(std::shared_ptr<StreamJob> job, http::StreamWriter& out,
                                         std::shared_ptr<ResponseCache> cache, CacheTicket ticket) {
  StreamAssembler a;
  CapturingWriter w(out, a);
  co_await StreamJob::pump(job, w);
  if (a.complete()) {
    json c = a.completion(job->served().model);
    Served served = job->served();
    co_await cache->store(ticket, c, served);
  }
}

void add_cache_header(http::Response& r, const std::optional<CacheTicket>& t) {
  if (t) r.header("x-netops-cache", t->hit ? "hit" : "miss");
}

}  // namespace netops::gateway
