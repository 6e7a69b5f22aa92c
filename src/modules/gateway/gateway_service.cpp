#include "modules/gateway/gateway_service.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <limits>
#include <random>
#include <spdlog/spdlog.h>

#include "core/metrics.hpp"
#include "llm/pricing.hpp"
#include "modules/gateway/quality.hpp"

namespace netops::gateway {

namespace net = boost::asio;
using nlohmann::json;

namespace {

double jitter() {
  thread_local std::mt19937 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

Task<void> sleep_ms(int ms) {
  net::steady_timer t(co_await net::this_coro::executor, std::chrono::milliseconds(ms));
  co_await t.async_wait(net::as_tuple(net::use_awaitable));
}

void describe_metrics() {
  auto& m = Metrics::instance();
  m.describe("upstream_requests_total", "counter", "LLM upstream calls by provider, model and HTTP status (or error kind)");
  m.describe("upstream_errors_total", "counter", "failed LLM upstream calls by provider, model and kind");
  m.describe("upstream_latency_seconds", "histogram", "LLM upstream exchange time (streams: until the stream was committed)");
  m.describe("tokens_total", "counter", "tokens by provider, model and kind (prompt | completion)");
  m.describe("cost_total", "counter", "cost in USD by provider and model (exact amounts are in usage_logs)");
  m.describe("gateway_overhead_seconds", "histogram",
             "time the gateway adds to a completion: total − upstream exchanges − backoff (streams: until the first byte)");
}

}  // namespace

Spent spent_of(const std::vector<UsageRecord>& records) {
  Spent s;
  for (const auto& r : records) {
    s.prompt_tokens += r.prompt_tokens;
    s.completion_tokens += r.completion_tokens;
    // As usage_logs stores it, so sums agree to the digit; a sum beyond Decimal's range saturates.
    try {
      s.cost += Decimal::parse(r.cost.to_string(6));
    } catch (const std::exception&) {
      s.cost = Decimal::from_raw(std::numeric_limits<std::int64_t>::max());
    }
    s.estimated = s.estimated || r.estimated;
  }
  return s;
}

Exec::~Exec() {
  if (owner) owner->forget(this);
  if (!sink) return;
  for (auto& r : records) sink->push(std::move(r));
}

Service::Service(AppContext& ctx, std::shared_ptr<ai_registry::RegistryService> registry, llm::HttpClient& client)
    : ctx_(ctx),
      settings_(load_section(ctx.config, gateway_section())),
      registry_(std::move(registry)),
      client_(client),
      timeouts_{settings_.upstream_connect_timeout_ms, settings_.upstream_first_byte_timeout_ms,
                settings_.upstream_idle_timeout_ms, settings_.upstream_total_timeout_ms},
      breaker_(BreakerOptions{settings_.breaker_failures, std::chrono::milliseconds(settings_.breaker_cooldown_ms)}),
      accounting_(ctx.db, registry_, settings_.accounting_flush_ms,
                  {settings_.accounting_spill_dir.empty() ? ctx.config.storage_dir + "/accounting-spill"
                                                           : settings_.accounting_spill_dir,
                   static_cast<std::size_t>(settings_.accounting_spill_after),
                   static_cast<std::uint64_t>(settings_.accounting_spill_max_mb) << 20},
                  ctx.blocking),
      budgets_(ctx.db, settings_),
      thresholds_{settings_.escalation_thresholds[0], settings_.escalation_thresholds[1],
                  settings_.escalation_thresholds[2], settings_.escalation_thresholds[3]} {
  accounting_.on_written = [this](const std::vector<UsageRecord>& batch) {
    for (const auto& r : batch) {  // counted locally; the next read (≤ kUsageTtl) reconciles
      try {
        budgets_.add(r.user_id, r.at, Decimal::parse(r.cost.to_string(6)), r.total_tokens());
      } catch (const std::exception&) {
        budgets_.forget(r.user_id);
      }
    }
  };
  describe_metrics();
  Metrics::instance().add_collector([this](std::string& out) { breaker_.render(out, Clock::now()); });
}

void validate_request(const json& body) {
  if (!body.is_object()) throw ValidationError("body", "must be a JSON object (an OpenAI chat completion request)");
  Validation v;
  if (auto m = body.find("model"); m != body.end() && !(m->is_string() && !m->get_ref<const std::string&>().empty()))
    v.add("model", "must be a model id, tier:0 … tier:3 or auto");
  if (auto s = body.find("stream"); s != body.end() && !s->is_boolean() && !s->is_null())
    v.add("stream", "must be true or false");
  auto msgs = body.find("messages");
  if (msgs == body.end() || !msgs->is_array() || msgs->empty()) {
    v.add("messages", "is required: a non-empty array of {role, content} objects");
    v.throw_if_any();
  }
  static const char* kRoles[] = {"system", "developer", "user", "assistant", "tool", "function"};
  for (std::size_t i = 0; i < msgs->size(); ++i) {
    const json& m = (*msgs)[i];
    std::string f = "messages[" + std::to_string(i) + "]";
    if (!m.is_object()) {
      v.add(f, "must be an object with role and content");
      continue;
    }
    auto role = m.find("role");
    bool known = role != m.end() && role->is_string() &&
                 std::any_of(std::begin(kRoles), std::end(kRoles),
                             [&](const char* r) { return role->get_ref<const std::string&>() == r; });
    if (!known) v.add(f + ".role", "must be one of system, developer, user, assistant, tool");
    auto content = m.find("content");
    bool is_assistant = known && role->get_ref<const std::string&>() == "assistant";
    bool calls = m.contains("tool_calls") || m.contains("function_call");
    if (content == m.end() || content->is_null()) {
      if (!(is_assistant && calls)) v.add(f + ".content", "is required");
    } else if (!content->is_string() && !content->is_array()) {
      v.add(f + ".content", "must be a string or an array of content parts");
    }
  }
  v.throw_if_any();
}

Task<std::shared_ptr<Exec>> Service::prepare(std::shared_ptr<const json> body, Caller caller, CallInfo call,
                                             bool stream, std::shared_ptr<const std::string> raw, bool dry_run) {
  validate_request(*body);
  auto x = std::make_shared<Exec>();
  x->sink = &accounting_;
  x->executor = co_await net::this_coro::executor;
  x->owner = this;
  {
    std::lock_guard lock(live_mu_);
    live_[x.get()] = Live{x, x->executor};
  }
  x->body = std::move(body);
  x->raw = std::move(raw);
  x->caller = std::move(caller);
  x->call = std::move(call);
  x->stream = stream;
  auto model = x->body->find("model");
  std::string requested = model != x->body->end() ? model->get<std::string>() : std::string("auto");
  x->snap = co_await registry_->registry()->snapshot(x->caller.received);  // directly: no extra frame on the hot path
  x->facts = std::make_unique<RequestFacts>(*x->body, std::move(requested), x->caller.role, x->caller.tier);
  x->plan = resolve(*x->snap, *x->facts);
  auto now = Clock::now();
  std::function<bool(const Target&)> healthy = [this, now](const Target& t) {
    return breaker_.available(t.model->id, now);
  };
  if (!dry_run) apply_strategy(x->plan, *x->facts, stream, balancer_, healthy);
  x->retries = settings_.upstream_retries;
  if (x->plan.rule)
    if (auto r = x->plan.rule->metadata.find("maxRetries"); r != x->plan.rule->metadata.end() && r->is_number_integer())
      x->retries = std::clamp(r->get<int>(), 0, 10);
  if (budgets_.limits(x->caller.tier).any()) co_await budgets_.check(x->caller.user_id, x->caller.tier);
  co_return x;
}

void Service::observe_call(const Target& t, const CallResult& r) const {
  auto& m = Metrics::instance();
  const std::string& p = t.provider->id;
  const std::string& id = t.model->id;
  std::string status = r.status ? std::to_string(r.status) : r.error_code;
  m.inc("upstream_requests_total", {{"provider", p}, {"model", id}, {"status", status}});
  m.observe("upstream_latency_seconds", {{"provider", p}, {"model", id}}, r.upstream_seconds);
  if (r.outcome != Outcome::ok) m.inc("upstream_errors_total", {{"provider", p}, {"model", id}, {"kind", r.error_code}});
}

UsageRecord Service::base_record(const Exec& x, const Target& t, const CallResult& r) const {
  UsageRecord rec;
  rec.user_id = x.caller.user_id;
  rec.model_id = t.model->id;
  rec.provider = t.provider->id;
  rec.request_id = x.caller.request_id;
  rec.conversation_id = x.call.conversation_id;
  rec.tier = std::clamp(t.model->tier, 0, 3);
  rec.success = r.outcome == Outcome::ok;
  rec.error_code = rec.success ? std::string() : r.error_code;
  rec.latency_ms = static_cast<int>(x.elapsed() * 1000.0);
  rec.upstream_latency_ms = static_cast<int>(r.upstream_seconds * 1000.0);
  rec.attempts = x.attempts;
  return rec;
}

void Service::charge(Exec& x, const Target& t, UsageRecord& rec, Usage usage, const std::string& text,
                     std::int64_t estimated_completion) const {
  (void)text;
  // Counts come from the upstream: a buggy or hostile one must not break accounting (columns are INT,
  // costs must not overflow). A billion tokens is far beyond any real call.
  constexpr std::int64_t kMaxCount = 1'000'000'000;
  for (auto* n : {&usage.prompt_tokens, &usage.completion_tokens, &usage.cache_read_tokens, &usage.cache_write_tokens})
    *n = std::clamp<std::int64_t>(*n, 0, kMaxCount);
  estimated_completion = std::clamp<std::int64_t>(estimated_completion, 0, kMaxCount);
  if (!usage.reported) {
    rec.estimated = true;
    if (usage.prompt_total() == 0) usage.prompt_tokens = x.facts->prompt_tokens();
    if (usage.completion_tokens == 0) usage.completion_tokens = estimated_completion;
  }
  rec.prompt_tokens = usage.prompt_total();
  rec.completion_tokens = usage.completion_tokens;
  rec.cache_read_tokens = usage.cache_read_tokens;
  rec.cache_write_tokens = usage.cache_write_tokens;
  try {
    rec.cost = cost(usage, prices_of(*t.model));
  } catch (const std::exception& e) {  // overflow: prices × counts beyond Decimal's range
    // Charged at the most a record can carry (never 0: that would make an overflow free).
    rec.cost = Decimal::parse("9223372.036854");
    spdlog::warn("request {}: cost of {} beyond the accounting range ({}); clamped to {}", x.caller.request_id,
                 t.model->id, e.what(), rec.cost.to_string(6));
  }
  auto& m = Metrics::instance();
  const std::string& p = t.provider->id;
  const std::string& id = t.model->id;
  m.inc("tokens_total", {{"provider", p}, {"model", id}, {"kind", "prompt"}}, static_cast<double>(rec.prompt_tokens));
  m.inc("tokens_total", {{"provider", p}, {"model", id}, {"kind", "completion"}},
        static_cast<double>(rec.completion_tokens));
  m.inc("cost_total", {{"provider", p}, {"model", id}}, static_cast<double>(rec.cost.raw()) / Decimal::kOne);
}

void Service::after_failure(Exec& x, const Target& t, const CallResult& r) {
  x.records.push_back(base_record(x, t, r));
  json a = {{"model", t.model->id}, {"provider", t.provider->id}};
  if (r.status) a["status"] = r.status;
  else a["error"] = r.error_code;
  a["message"] = r.message;
  x.attempt_log.push_back(std::move(a));
  x.last_timeout = r.timeout;
  x.last_message = t.model->id + ": " + r.message;
  // A caller's 4xx, or our own configuration (a key that no longer decrypts, an unusable URL: no call was
  // made), says nothing about the upstream.
  if (r.outcome == Outcome::caller_error || r.error_code == "config") breaker_.release(t.model->id);
  else breaker_.failure(t.model->id, Clock::now());
  spdlog::warn("request {}: upstream {} ({}) failed: {} {}", x.caller.request_id, t.model->id, t.provider->id,
               r.status ? "HTTP " + std::to_string(r.status) : r.error_code, r.message);
  if (r.outcome == Outcome::caller_error) {
    json details = {{"model", t.model->id}, {"provider", t.provider->id}, {"status", r.status}};
    throw UpstreamRejected(r.status, r.message, std::move(details));
  }
}

void Service::throw_exhausted(const Exec& x) const {
  if (x.attempts == 0 && x.untranslatable) std::rethrow_exception(x.untranslatable);
  json details = {{"attempts", x.attempt_log}};
  if (x.attempts == 0)
    throw AppError(ErrorCode::no_provider,
                   "every target model's circuit breaker is open (its upstream keeps failing) and a probe call is "
                   "already under way; try again in a few seconds",
                   std::move(details));
  throw AppError(x.last_timeout ? ErrorCode::upstream_timeout : ErrorCode::upstream_error,
                 "every upstream attempt failed (" + std::to_string(x.attempts) + " call(s)); last: " + x.last_message,
                 std::move(details));
}

Task<bool> Service::retry_wait(Exec& x, const Target& t, const CallResult& r, int retry) {
  // A configuration error (ours, or a provider refusing our key/credits/model) does not heal by retrying.
  if (retry >= x.retries || r.error_code == "config" || r.provider_config) co_return false;
  if (!breaker_.available(t.model->id, Clock::now())) co_return false;  // the circuit just opened: move on
  auto wait = backoff_ms(retry, settings_.upstream_retry_base_ms, settings_.upstream_retry_after_max_ms,
                         r.retry_after_ms, jitter());
  if (!wait) co_return false;
  auto before = Clock::now();
  if (*wait > 0) co_await sleep_ms(*wait);
  x.backoff_seconds += std::chrono::duration<double>(Clock::now() - before).count();
  co_return true;
}

bool Service::not_called(Exec& x, const Target& t) {
  breaker_.release(t.model->id);
  --x.attempts;
  try {
    throw;
  } catch (const AppError& e) {
    if (e.code() != ErrorCode::validation) return false;
    // The request cannot be expressed for this provider's format: another target may take it; the client
    // hears of it only if none can.
    if (!x.untranslatable) x.untranslatable = std::current_exception();
    return true;
  } catch (...) {
    return false;
  }
}

namespace {
// A request cut by the shutdown makes no further call; one whose call was cut in flight (and accounted
// then) ends here.
void throw_if_cut(const Exec& x) {
  if (x.cut) throw AppError(ErrorCode::service_unavailable, "the gateway is shutting down");
}
}  // namespace

Task<std::optional<CallResult>> Service::try_target(Exec& x, const Target& t, bool forced) {
  int retries = forced ? 0 : x.retries;
  for (int i = 0; i <= retries; ++i) {
    throw_if_cut(x);
    if (!breaker_.acquire(t.model->id, Clock::now(), forced)) co_return std::nullopt;
    ++x.attempts;
    CallResult r;
    bool untranslatable = false;
    x.calling = &t;
    try {
      r = co_await call_upstream(client_, t, x.body, x.raw, timeouts_, t.model->id);
    } catch (...) {  // no call was made
      x.calling = nullptr;
      if (!not_called(x, t)) throw;
      untranslatable = true;
    }
    x.calling = nullptr;
    throw_if_cut(x);
    if (untranslatable) co_return std::nullopt;
    x.upstream_seconds += r.upstream_seconds;
    observe_call(t, r);
    if (r.outcome == Outcome::ok) {
      breaker_.success(t.model->id);
      co_return r;
    }
    after_failure(x, t, r);
    if (!co_await retry_wait(x, t, r, i)) break;
  }
  co_return std::nullopt;
}

Task<std::optional<StreamOpen>> Service::try_stream_target(Exec& x, const Target& t, bool forced) {
  int retries = forced ? 0 : x.retries;
  for (int i = 0; i <= retries; ++i) {
    throw_if_cut(x);
    if (!breaker_.acquire(t.model->id, Clock::now(), forced)) co_return std::nullopt;
    ++x.attempts;
    StreamOpen s;
    bool untranslatable = false;
    x.calling = &t;
    try {
      s = co_await gateway::open_stream(client_, t, x.body, x.raw, timeouts_, t.model->id,
                                        settings_.stream_commit_at_headers ? StreamCommit::headers
                                                                           : StreamCommit::first_event);
    } catch (...) {  // no call was made
      x.calling = nullptr;
      if (!not_called(x, t)) throw;
      untranslatable = true;
    }
    x.calling = nullptr;
    if (x.cut && s.stream) s.stream->upstream().cancel();
    throw_if_cut(x);
    if (untranslatable) co_return std::nullopt;
    x.upstream_seconds += s.result.upstream_seconds;
    observe_call(t, s.result);
    if (s.result.outcome == Outcome::ok) {
      breaker_.success(t.model->id);
      co_return s;
    }
    after_failure(x, t, s.result);
    if (!co_await retry_wait(x, t, s.result, i)) break;
  }
  co_return std::nullopt;
}

Completion Service::success(Exec& x, const Target& t, CallResult& r, std::optional<double> quality) {
  UsageRecord rec = base_record(x, t, r);
  std::int64_t estimate = 0;
  if (!r.parsed.usage.reported) {
    std::string produced = r.parsed.text;
    const json& resp = r.parsed.object();
    auto choices = resp.find("choices");
    if (choices != resp.end() && choices->is_array() && !choices->empty() && (*choices)[0].is_object())
      if (auto msg = (*choices)[0].find("message"); msg != (*choices)[0].end() && msg->is_object())
        if (auto calls = msg->find("tool_calls"); calls != msg->end()) produced += calls->dump();
    estimate = estimate_tokens(produced);
  }
  charge(x, t, rec, r.parsed.usage, r.parsed.text, estimate);
  rec.quality_score = quality;
  x.records.push_back(std::move(rec));
  Completion c;
  c.parsed = std::move(r.parsed);
  c.served = Served{t.model->id, t.provider->id, t.model->tier, x.attempts, false};
  c.quality = quality;
  c.spent.answer_tokens = x.records.back().completion_tokens;
  return c;
}

Task<Completion> Service::run_calls(Exec& x) {
  for (const auto& t : x.plan.targets) {
    auto r = co_await try_target(x, t, false);
    if (r) co_return success(x, t, *r, std::nullopt);
  }
  if (x.attempts == 0) {
    // Every circuit is open: rather than failing blind, probe the one that opened longest ago.
    std::vector<std::string> ids;
    for (const auto& t : x.plan.targets) ids.push_back(t.model->id);
    const Target& t = x.plan.targets[breaker_.least_recently_opened(ids).value_or(0)];
    auto r = co_await try_target(x, t, true);
    if (r) co_return success(x, t, *r, std::nullopt);
  }
  throw_exhausted(x);
}

// Targets arrive lowest tier first. Each tier is tried as a fallback group; its answer is scored and the
// next tier is asked only while the best answer so far is below the tier's threshold. The best-scoring
// answer wins; a tool call is an action, not prose, and is accepted as is.
Task<Completion> Service::run_escalation(Exec& x) {
  std::optional<Completion> best;
  int tiers_tried = 0;
  const auto& ts = x.plan.targets;
  for (std::size_t i = 0; i < ts.size();) {
    int tier = ts[i].model->tier;
    std::size_t end = i;
    while (end < ts.size() && ts[end].model->tier == tier) ++end;
    int before = x.attempts;
    std::optional<CallResult> r;
    std::size_t used = i;
    bool refused = false;
    for (std::size_t k = i; k < end && !r && !refused; ++k) {
      try {
        r = co_await try_target(x, ts[k], false);
      } catch (const UpstreamRejected&) {  // the provider refused the request (4xx): no point climbing on
        if (!best) throw;
        refused = true;
      }
      used = k;
    }
    if (refused) break;  // keep the answer already paid for
    if (x.attempts > before) ++tiers_tried;
    i = end;
    if (!r) continue;
    bool tool_call = r->parsed.finish_reason == "tool_calls";
    double score = tool_call ? 1.0 : quality_score(r->parsed.text, x.facts->messages(), r->parsed.finish_reason);
    auto c = success(x, ts[used], *r, score);
    bool enough = tool_call || score >= thresholds_[static_cast<std::size_t>(std::clamp(tier, 0, 3))];
    if (!best || score > *best->quality) best = std::move(c);
    if (enough) break;
  }
  if (!best) {
    if (x.attempts > 0) throw_exhausted(x);
    auto c = co_await run_calls(x);  // every circuit was open: run_calls probes the longest-open one
    co_return c;
  }
  best->served.attempts = x.attempts;
  best->served.escalated = tiers_tried > 1;
  if (best->served.escalated)
    for (auto& rec : x.records) rec.escalated = true;
  co_return std::move(*best);
}

Task<Completion> Service::complete(std::shared_ptr<const json> body, Caller caller, CallInfo call,
                                   std::shared_ptr<const std::string> raw) {
  auto x = co_await prepare(std::move(body), std::move(caller), std::move(call), false, std::move(raw));
  Completion c;
  if (x->plan.strategy == "escalation") c = co_await run_escalation(*x);
  else c = co_await run_calls(*x);
  c.waited_seconds = x->upstream_seconds + x->backoff_seconds;
  auto answer = c.spent.answer_tokens;
  c.spent = spent_of(x->records);
  c.spent.answer_tokens = answer;
  co_return c;
}

Task<Route> Service::preflight(std::shared_ptr<const json> body, Caller caller, CallInfo call) {
  auto x = co_await prepare(std::move(body), std::move(caller), std::move(call), false, nullptr, /*dry_run=*/true);
  Route r;
  for (const auto& t : x->plan.targets) {
    if (auto w = t.model->context_window; w && *w > 0) r.context_window = std::min(r.context_window.value_or(*w), *w);
    if (auto m = t.model->max_tokens; m && *m > 0) r.max_tokens = std::min(r.max_tokens.value_or(*m), *m);
    const auto& caps = t.model->capabilities;
    bool declared = caps.is_object() && ((caps.contains("functions") && caps["functions"] == true) ||
                                         (caps.contains("tools") && caps["tools"] == true));
    r.functions = r.functions && (t.model->supports_functions || declared);
  }
  co_return r;
}

Task<std::shared_ptr<StreamJob>> Service::open_stream(std::shared_ptr<const json> body, Caller caller, CallInfo call,
                                                      std::shared_ptr<const std::string> raw) {
  auto x = co_await prepare(std::move(body), std::move(caller), std::move(call), true, std::move(raw));
  for (const auto& t : x->plan.targets) {
    auto s = co_await try_stream_target(*x, t, false);
    if (s) co_return std::make_shared<StreamJob>(*this, x, t, std::move(s->result), std::move(s->stream));
  }
  if (x->attempts == 0) {
    std::vector<std::string> ids;
    for (const auto& t : x->plan.targets) ids.push_back(t.model->id);
    const Target& t = x->plan.targets[breaker_.least_recently_opened(ids).value_or(0)];
    auto s = co_await try_stream_target(*x, t, true);
    if (s) co_return std::make_shared<StreamJob>(*this, x, t, std::move(s->result), std::move(s->stream));
  }
  throw_exhausted(*x);
}

std::size_t Service::in_flight() const {
  std::lock_guard lock(live_mu_);
  return live_.size();
}

void Service::forget(Exec* x) {
  std::lock_guard lock(live_mu_);
  live_.erase(x);
}

void Service::cut(Exec& x) {
  if (x.cut) return;
  x.cut = true;
  if (x.job) {  // a committed stream: what it produced so far
    x.job->finish(false, "SHUTDOWN");
    x.job->live_->upstream().cancel();
    x.job->cut_counter_ = cut_streams_;
    cut_streams_->fetch_add(1);
  } else if (x.calling) {  // a call without an answer yet: its prompt, estimated
    CallResult r;
    r.error_code = "SHUTDOWN";
    UsageRecord rec = base_record(x, *x.calling, r);
    charge(x, *x.calling, rec, Usage{}, std::string(), 0);
    x.records.push_back(std::move(rec));
  }
  if (x.sink)
    for (auto& r : x.records) x.sink->push(std::move(r));
  x.records.clear();
  x.sink = nullptr;
}

Task<void> Service::cut_in_flight() {
  std::vector<Live> todo;
  {
    std::lock_guard lock(live_mu_);
    for (auto& [p, l] : live_) todo.push_back(l);
  }
  if (todo.empty()) co_return;
  spdlog::warn("shutdown: cutting {} request(s) still calling an upstream; their usage is recorded as SHUTDOWN",
               todo.size());
  auto left = std::make_shared<std::atomic<std::size_t>>(todo.size());
  for (auto& l : todo)
    net::post(l.executor, [this, w = l.x, left] {
      if (auto x = w.lock()) {
        try {
          cut(*x);
        } catch (const std::exception& e) {
          spdlog::error("request {}: cutting it at shutdown failed: {}", x->caller.request_id, e.what());
        }
      }
      left->fetch_sub(1);
    });
  auto deadline = Clock::now() + std::chrono::seconds(3);
  while (left->load() > 0 && Clock::now() < deadline) co_await sleep_ms(10);
  // The cut streams end their responses with an error event (pump): give them a moment to go out.
  deadline = Clock::now() + std::chrono::seconds(2);
  while (cut_streams_->load() > 0 && Clock::now() < deadline) co_await sleep_ms(10);
}

}  // namespace netops::gateway
