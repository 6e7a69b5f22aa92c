// The gateway's pure parts: rule matching, target resolution, strategy orderings, the circuit breaker's
// state machine, retry backoff, Retry-After parsing, status classification and budget verdicts.
#include <gtest/gtest.h>


#include "core/error.hpp"
#include "modules/gateway/breaker.hpp"
#include "modules/gateway/budget.hpp"
#include "modules/gateway/orchestrator.hpp"
#include "modules/gateway/upstream.hpp"
#include "modules/gateway/wire.hpp"

using namespace netops;
using namespace netops::gateway;
using json = nlohmann::json;

namespace {

// A snapshot with providers p (active) and off (inactive) and the given models.
struct Fixture {
  std::shared_ptr<ai_registry::Snapshot> snap = std::make_shared<ai_registry::Snapshot>();
  Fixture() {
    ai_registry::Provider p;
    p.id = "p";
    snap->providers.emplace("p", p);
    ai_registry::Provider off;
    off.id = "off";
    off.status = "inactive";
    snap->providers.emplace("off", off);
  }
  void model(const std::string& id, int tier, int priority = 100, bool enabled = true, std::string provider = "p",
             std::string in = "0.001", std::string out = "0.002") {
    ai_registry::ModelConfig m;
    m.id = id;
    m.provider = provider;
    m.tier = tier;
    m.priority = priority;
    m.enabled = enabled;
    m.cost_per_1k_input = in;
    m.cost_per_1k_output = out;
    snap->models.emplace(id, m);
  }
  ai_registry::Rule& rule(const std::string& id, std::string strategy, std::vector<std::string> seq, json conditions,
                     int priority = 100) {
    ai_registry::Rule r;
    r.id = id;
    r.strategy = std::move(strategy);
    r.model_sequence = std::move(seq);
    r.conditions = std::move(conditions);
    r.priority = priority;
    if (r.conditions.contains("pattern"))
      r.pattern = ai_registry::compile_rule_pattern(r.conditions["pattern"].get<std::string>());
    snap->rules.push_back(std::move(r));
    return snap->rules.back();
  }
  void index() {  // what Registry::reload does
    for (auto& t : snap->by_tier) t.clear();
    for (auto& [id, m] : snap->models)
      if (snap->usable(m)) snap->by_tier[static_cast<std::size_t>(m.tier)].push_back(&m);
    for (auto& t : snap->by_tier)
      std::sort(t.begin(), t.end(), [](auto* a, auto* b) { return a->priority < b->priority; });
  }
};

json body(const std::string& text, json extra = json::object()) {
  json b = {{"messages", {{{"role", "user"}, {"content", text}}}}};
  b.update(extra);
  return b;
}

std::vector<std::string> ids(const Plan& p) {
  std::vector<std::string> out;
  for (auto& t : p.targets) out.push_back(t.model->id);
  return out;
}

}  // namespace

TEST(Orchestrator, ExplicitModelTierAliasAndAuto) {
  Fixture f;
  f.model("p/a", 0, 20);
  f.model("p/b", 0, 10);
  f.model("p/c", 2);
  f.model("p/disabled", 1, 1, false);
  f.model("off/x", 1, 1, true, "off");
  f.index();
  json b = body("hi");
  RequestFacts explicit_model(b, "p/a", http::Role::user, Tier::free);
  EXPECT_EQ(ids(resolve(*f.snap, explicit_model)), std::vector<std::string>{"p/a"});
  RequestFacts bare(b, "c", http::Role::user, Tier::free);  // the name after the provider prefix
  EXPECT_EQ(ids(resolve(*f.snap, bare)), std::vector<std::string>{"p/c"});
  RequestFacts tier0(b, "tier:0", http::Role::user, Tier::free);
  EXPECT_EQ(ids(resolve(*f.snap, tier0)), (std::vector<std::string>{"p/b", "p/a"}));  // by priority
  RequestFacts tier1(b, "tier:1", http::Role::user, Tier::free);  // only disabled models there
  try {
    resolve(*f.snap, tier1);
    FAIL();
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::no_provider);
    EXPECT_NE(std::string(e.what()).find("POST /api/providers"), std::string::npos);
  }
  RequestFacts unknown(b, "p/nope", http::Role::user, Tier::free);
  try {
    resolve(*f.snap, unknown);
    FAIL();
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
  }
  for (const char* id : {"p/disabled", "off/x"}) {
    RequestFacts r(b, id, http::Role::user, Tier::free);
    try {
      resolve(*f.snap, r);
      FAIL() << id;
    } catch (const AppError& e) {
      EXPECT_EQ(e.code(), ErrorCode::no_provider) << id;
    }
  }
  RequestFacts bad(b, "tier:7", http::Role::user, Tier::free);
  EXPECT_THROW(resolve(*f.snap, bad), AppError);
  // auto: "hi" is complexity 0 → tier 0.
  RequestFacts a(b, "auto", http::Role::user, Tier::free);
  EXPECT_EQ(ids(resolve(*f.snap, a)), (std::vector<std::string>{"p/b", "p/a"}));
}

TEST(Orchestrator, AutoFallsBackToTheNearestTierWithModels) {
  Fixture f;
  f.model("p/t3", 3);
  f.index();
  json b = body("hi");
  RequestFacts a(b, "auto", http::Role::user, Tier::free);
  EXPECT_EQ(ids(resolve(*f.snap, a)), std::vector<std::string>{"p/t3"});
  Fixture none;
  none.index();
  RequestFacts n(b, "auto", http::Role::user, Tier::free);
  EXPECT_THROW(resolve(*none.snap, n), AppError);
}

TEST(Orchestrator, RuleConditions) {
  Fixture f;
  f.model("p/a", 0);
  f.model("p/b", 1);
  f.index();
  auto check = [&](json cond, const json& b, const std::string& requested, bool expected, http::Role role = http::Role::user,
                   Tier tier = Tier::free) {
    ai_registry::Rule r;
    r.conditions = cond;
    if (cond.contains("pattern"))
      r.pattern = ai_registry::compile_rule_pattern(cond["pattern"].get<std::string>());
    RequestFacts facts(b, requested, role, tier);
    EXPECT_EQ(rule_matches(r, facts), expected) << cond.dump() << " " << requested;
  };
  json plain = body("hello there");
  check(json::object(), plain, "auto", true);
  check(json::object(), plain, "p/a", false);  // a rule without models never takes an explicit choice
  check({{"models", {"p/a"}}}, plain, "p/a", true);
  check({{"models", {"tier:1"}}}, plain, "tier:1", true);
  check({{"models", {"p/a"}}}, plain, "auto", false);
  check({{"models", {"auto"}}}, plain, "auto", true);
  check({{"roles", {"admin"}}}, plain, "auto", false);
  check({{"roles", {"admin"}}}, plain, "auto", true, http::Role::admin);
  check({{"userTiers", {"pro"}}}, plain, "auto", false);
  check({{"userTiers", {"pro", "free"}}}, plain, "auto", true);
  check({{"requiresTools", true}}, plain, "auto", false);
  check({{"requiresTools", true}}, body("x", {{"tools", {{{"type", "function"}}}}}), "auto", true);
  check({{"requiresVision", true}}, plain, "auto", false);
  json vision = {{"messages",
                  {{{"role", "user"},
                    {"content", {{{"type", "text"}, {"text", "what is this"}},
                                 {{"type", "image_url"}, {"image_url", {{"url", "data:image/png;base64,AA=="}}}}}}}}}};
  check({{"requiresVision", true}}, vision, "auto", true);
  check({{"minPromptTokens", 1000}}, plain, "auto", false);
  check({{"maxPromptTokens", 1000}}, plain, "auto", true);
  check({{"maxPromptTokens", 2}}, plain, "auto", false);
  check({{"pattern", "^HELLO"}}, plain, "auto", true);  // case-insensitive search
  check({{"pattern", "router"}}, plain, "auto", false);
  check({{"complexity", 0}}, plain, "auto", true);
  check({{"complexity", {2, 3}}}, plain, "auto", false);
}

TEST(Orchestrator, FirstMatchingRuleWinsAndUnusableRulesAreSkipped) {
  Fixture f;
  f.model("p/a", 0);
  f.model("p/b", 1);
  f.model("p/off", 1, 1, false);
  f.rule("r1", "fallback", {"p/off"}, json::object(), 1);                         // nothing usable: skipped
  f.rule("r2", "quality_first", {"p/a", "p/b", "p/unknown"}, json::object(), 2);  // unknown ids ignored
  f.rule("r3", "fallback", {"p/b"}, json::object(), 3);
  f.index();
  json b = body("hi");
  RequestFacts a(b, "auto", http::Role::user, Tier::free);
  auto plan = resolve(*f.snap, a);
  ASSERT_NE(plan.rule, nullptr);
  EXPECT_EQ(plan.rule->id, "r2");
  EXPECT_EQ(plan.strategy, "quality_first");
  EXPECT_EQ(ids(plan), (std::vector<std::string>{"p/a", "p/b"}));
  LoadBalancer lb;
  apply_strategy(plan, a, false, lb, [](const Target&) { return true; });
  EXPECT_EQ(ids(plan), (std::vector<std::string>{"p/b", "p/a"}));  // highest tier first
}

TEST(Orchestrator, StrategyOrderings) {
  Fixture f;
  f.model("p/cheap", 2, 100, true, "p", "0.0001", "0.0002");
  f.model("p/mid", 0, 100, true, "p", "0.001", "0.002");
  f.model("p/dear", 1, 100, true, "p", "0.01", "0.03");
  f.index();
  json b = body("hi", {{"max_tokens", 100}});
  RequestFacts facts(b, "auto", http::Role::user, Tier::free);
  auto plan_of = [&](const char* strategy) {
    Plan p;
    for (const char* id : {"p/dear", "p/mid", "p/cheap"}) p.targets.push_back(Target{f.snap->model(id), f.snap->provider("p")});
    p.strategy = strategy;
    return p;
  };
  LoadBalancer lb;
  auto all = [](const Target&) { return true; };
  auto p = plan_of("cost_optimize");
  apply_strategy(p, facts, false, lb, all);
  EXPECT_EQ(ids(p), (std::vector<std::string>{"p/cheap", "p/mid", "p/dear"}));
  p = plan_of("escalation");
  apply_strategy(p, facts, false, lb, all);
  EXPECT_EQ(ids(p), (std::vector<std::string>{"p/mid", "p/dear", "p/cheap"}));  // lowest tier first
  p = plan_of("escalation");
  apply_strategy(p, facts, true, lb, all);  // streams cannot be scored: quality first
  EXPECT_EQ(ids(p), (std::vector<std::string>{"p/cheap", "p/dear", "p/mid"}));
  p = plan_of("fallback");
  apply_strategy(p, facts, false, lb, all);
  EXPECT_EQ(ids(p), (std::vector<std::string>{"p/dear", "p/mid", "p/cheap"}));
}

TEST(Orchestrator, SmoothWeightedRoundRobin) {
  LoadBalancer lb;
  std::vector<std::string> m = {"a", "b", "c"};
  std::vector<double> w = {5, 1, 1};
  std::vector<bool> ok = {true, true, true};
  std::string seq;
  for (int i = 0; i < 7; ++i) seq += m[*lb.pick("r", m, w, ok)];
  EXPECT_EQ(seq, "aabacaa");  // nginx's example: interleaved, 5:1:1 over a cycle
  std::vector<bool> b_only = {false, true, false};
  for (int i = 0; i < 3; ++i) EXPECT_EQ(*lb.pick("r", m, w, b_only), 1u);
  EXPECT_FALSE(lb.pick("r", m, w, {false, false, false}).has_value());
}

TEST(Breaker, OpensAfterThresholdHalfOpensAfterCooldownAndCloses) {
  using namespace std::chrono_literals;
  CircuitBreaker b(BreakerOptions{3, 1000ms});
  auto t0 = CircuitBreaker::Clock::now();
  EXPECT_TRUE(b.acquire("m", t0));
  b.failure("m", t0);
  b.failure("m", t0);
  EXPECT_EQ(b.state("m", t0), CircuitState::closed);
  b.success("m");  // consecutive failures only
  b.failure("m", t0);
  b.failure("m", t0);
  EXPECT_EQ(b.state("m", t0), CircuitState::closed);
  b.failure("m", t0);
  EXPECT_EQ(b.state("m", t0), CircuitState::open);
  EXPECT_FALSE(b.available("m", t0 + 500ms));
  EXPECT_FALSE(b.acquire("m", t0 + 500ms));
  EXPECT_EQ(b.state("m", t0 + 1000ms), CircuitState::half_open);
  EXPECT_TRUE(b.available("m", t0 + 1000ms));
  EXPECT_TRUE(b.acquire("m", t0 + 1000ms));   // the one probe
  EXPECT_FALSE(b.acquire("m", t0 + 1001ms));  // no second probe while it runs
  b.failure("m", t0 + 1100ms);                // probe failed: open again, cooldown restarts
  EXPECT_EQ(b.state("m", t0 + 1500ms), CircuitState::open);
  EXPECT_TRUE(b.acquire("m", t0 + 2100ms));
  b.success("m");
  EXPECT_EQ(b.state("m", t0 + 2100ms), CircuitState::closed);
  EXPECT_EQ(b.describe("m", t0)["state"], "closed");
  // release() frees a probe without a verdict.
  for (int i = 0; i < 3; ++i) b.failure("n", t0);
  EXPECT_TRUE(b.acquire("n", t0 + 1000ms));
  b.release("n");
  EXPECT_TRUE(b.acquire("n", t0 + 1000ms));
  // force admits an open circuit; least_recently_opened picks the oldest.
  for (int i = 0; i < 3; ++i) b.failure("o", t0 + 10ms);
  EXPECT_TRUE(b.acquire("o", t0 + 20ms, true));
  EXPECT_FALSE(b.acquire("o", t0 + 21ms, true));  // but only one forced call at a time
  b.release("o");
  EXPECT_TRUE(b.acquire("o", t0 + 22ms, true));
  EXPECT_EQ(*b.least_recently_opened({"o", "n", "never"}), 2u);
  std::string out;
  b.render(out, t0 + 20ms);
  EXPECT_NE(out.find("netops_circuit_state{model=\"o\"} 1"), std::string::npos);
}

TEST(Retry, BackoffHonoursRetryAfterAndJitters) {
  EXPECT_EQ(backoff_ms(0, 100, 10000, 1000, 0.3), 1000);
  EXPECT_FALSE(backoff_ms(0, 100, 500, 1000, 0.3).has_value());  // too long: next target
  EXPECT_EQ(backoff_ms(0, 100, 10000, std::nullopt, 0.0), 50);
  EXPECT_EQ(backoff_ms(0, 100, 10000, std::nullopt, 1.0), 100);
  EXPECT_EQ(backoff_ms(2, 100, 10000, std::nullopt, 1.0), 400);
  for (int i = 0; i < 50; ++i) {
    double j = i / 50.0;
    int w = *backoff_ms(1, 100, 10000, std::nullopt, j);
    EXPECT_GE(w, 100);
    EXPECT_LE(w, 200);
  }
  EXPECT_EQ(retry_after_ms("2", ""), 2000);
  EXPECT_EQ(retry_after_ms("2", "1500"), 1500);
  auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(retry_after_ms("Wed, 21 Oct 2015 07:28:03 GMT", "", now), 3000);
  EXPECT_EQ(retry_after_ms("Wed, 21 Oct 2015 07:27:00 GMT", "", now), 0);  // already past: retry now
  EXPECT_EQ(retry_after_ms("Thu, 22 Oct 2015 09:28:00 GMT", "", now), 86'400'000);  // capped at a day
  EXPECT_FALSE(retry_after_ms("Wed, 21 Oct 2015 07:28:00 CET", "", now).has_value());
  EXPECT_FALSE(retry_after_ms("soon", "", now).has_value());
  EXPECT_FALSE(retry_after_ms("", "").has_value());
}

TEST(Retry, StatusClassification) {
  CallResult r;
  classify_status(r, 400, R"({"error":{"message":"bad sk-abcdefghijklmnopqrstuvwxyz123456 thing"}})", "", "", false);
  EXPECT_EQ(r.outcome, Outcome::caller_error);
  EXPECT_EQ(r.error_code, "http_400");
  EXPECT_EQ(r.message.find("sk-abcdef"), std::string::npos);
  for (int s : {408, 429, 500, 502, 503, 529}) {
    CallResult f;
    classify_status(f, s, "{}", "1", "", s == 529);
    EXPECT_EQ(f.outcome, Outcome::failure) << s;
    EXPECT_EQ(f.retry_after_ms, 1000) << s;
  }
}

TEST(Budget, VerdictsAndBoundaries) {
  using namespace std::chrono;
  // 2026-03-31T23:59:30Z
  sys_days day = year{2026} / March / 31;
  auto now = system_clock::time_point(day) + hours(23) + minutes(59) + seconds(30);
  EXPECT_EQ(seconds_to_next_utc_day(now), 30);
  EXPECT_EQ(seconds_to_next_utc_month(now), 30);
  auto mid = system_clock::time_point(sys_days(year{2026} / December / 15));
  EXPECT_EQ(seconds_to_next_utc_month(mid), 17 * 86400);
  BudgetLimits l = BudgetLimits::from(TierBudget{1'000'000, 10'000'000, 1000, 0});
  BudgetUsage u;
  EXPECT_TRUE(judge(l, u, now).ok);
  u.day_tokens = 1000;
  auto v = judge(l, u, now);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.period, "day");
  EXPECT_EQ(v.what, "tokens");
  EXPECT_EQ(v.retry_after_s, 30);
  u.day_tokens = 0;
  u.month_cost = Decimal::parse("10");
  v = judge(l, u, mid);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.period, "month");
  EXPECT_EQ(v.limit, "10.000000");
  EXPECT_FALSE(BudgetLimits::from(TierBudget{}).any());
}

TEST(Wire, OpenAiBodiesAreEditedAsBytes) {
  // "model" replaced in place, everything else byte for byte (key order, spacing, nested "model" keys).
  std::string in = R"({ "messages":[{"role":"user","content":"say \"model\": x"}], "model" : "mocka/echo",
 "tools":[{"type":"function","function":{"name":"f","parameters":{"properties":{"model":{"type":"string"}}}}}]})";
  auto out = openai_body_bytes(in, "echo", false);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, std::string(R"({ "messages":[{"role":"user","content":"say \"model\": x"}], "model" : "echo",
 "tools":[{"type":"function","function":{"name":"f","parameters":{"properties":{"model":{"type":"string"}}}}}]})"));
  EXPECT_EQ(json::parse(*out)["tools"], json::parse(in)["tools"]);
  // Streams get include_usage; a body without "model" gets one.
  auto s = openai_body_bytes(R"({"stream":true,"messages":[]})", "m", true);
  ASSERT_TRUE(s.has_value());
  auto sj = json::parse(*s);
  EXPECT_EQ(sj["model"], "m");
  EXPECT_EQ(sj["stream_options"]["include_usage"], true);
  EXPECT_EQ(sj["stream"], true);
  // The JSON route is taken for what bytes cannot express safely.
  EXPECT_FALSE(openai_body_bytes(R"({"stream":true,"stream_options":{"include_usage":true},"messages":[]})", "m", true));
  EXPECT_FALSE(openai_body_bytes(R"({"stream":true,"messages":[]})", "m", false));
  EXPECT_FALSE(openai_body_bytes(R"({"mod\u0065l":"x","messages":[]})", "m", false));
  EXPECT_FALSE(openai_body_bytes(R"({"model":"x")", "m", false));
  EXPECT_FALSE(openai_body_bytes(R"([1,2])", "m", false));
  // Strings ending in runs of backslashes: an even run before a quote closes the string, an odd one escapes it.
  std::string runs = R"({"messages":[{"content":"a\\"},{"content":"b\\\"\\\\\" \"model\":1"}],"model":"x"})";
  ASSERT_NO_THROW(json::parse(runs));
  auto r = openai_body_bytes(runs, "y", false);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(json::parse(*r)["model"], "y");
  EXPECT_EQ(json::parse(*r)["messages"], json::parse(runs)["messages"]);
  EXPECT_FALSE(openai_body_bytes(R"({"model":"x","messages":[{"content":"open \"}]})", "m", false));
  auto quoted = openai_body_bytes(R"({"model":"x","stream":false})", "we\"ird", false);
  ASSERT_TRUE(quoted.has_value());
  EXPECT_EQ(json::parse(*quoted)["model"], "we\"ird");
  EXPECT_EQ(*with_model(R"({"id":"c","model":"echo","choices":[]})", "mocka/echo"),
            R"({"id":"c","model":"mocka/echo","choices":[]})");
  EXPECT_FALSE(with_model(R"({"id":"c"})", "x").has_value());
}

// LiveStream accounts plain content chunks with one pass over their bytes instead of parsing them; whatever
// route each chunk takes, the stream's text, usage and client bytes must be what the parse gives
// (OpenAiStream alone, event by event). The chunks carry "usage":null as OpenAI's do when usage was asked.
TEST(LiveStreamScan, AccountsChunksAsTheParseWould) {
  const std::vector<std::string> chunks = {
      R"({"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null})",
      R"({"id":"c","choices":[{"index":0,"delta":{"content":"Hi \"there\"\n\u00e9 \ud83d\ude00 \\"},"logprobs":null,"finish_reason":null}],"usage":null})",
      R"({ "choices" : [ { "index" : 0 , "delta" : { "content" : "spaced" } } ] , "usage" : null })",
      R"({"choices":[{"index":0,"delta":{"content":null}}],"usage":null})",
      R"({"choices":[{"index":0,"delta":{"content":"two"}},{"index":1,"delta":{"content":"other"}}],"usage":null})",
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"f","arguments":"{}"}}]}}],"usage":null})",
      R"({"choices":[{"index":1,"delta":{"content":"not zero"}}],"usage":null})",
      R"({"choices":[{"index":0,"delta":{"content":"last"},"finish_reason":"stop"}],"usage":null})",
      // Some providers put usage on the last content chunk: it must be read, not scanned past.
      R"({"choices":[{"index":0,"delta":{"content":"!"}}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}})",
  };
  for (bool wants_usage : {false, true}) {
    SCOPED_TRACE(wants_usage ? "client wants usage" : "usage injected");
    std::string piece, expected_out;
    OpenAiStream parsed(wants_usage);
    for (const auto& c : chunks) {
      piece += "data: " + c + "\n\n";
      expected_out += parsed.feed("message", c);
    }
    piece += "data: [DONE]\n\n";
    expected_out += parsed.feed("message", "[DONE]");
    LiveStream live(nullptr, false, "m", wants_usage);
    std::string out;
    const bool verbatim = live.feed(piece, out);
    EXPECT_EQ(live.text(), parsed.text());
    EXPECT_EQ(live.text(), "Hi \"there\"\n\u00e9 \U0001F600 \\spacedtwolast!");
    EXPECT_EQ(live.usage().prompt_tokens, 3);
    EXPECT_EQ(live.usage().completion_tokens, 4);
    EXPECT_TRUE(live.usage().reported);
    EXPECT_TRUE(live.done());
    EXPECT_EQ(verbatim ? piece : out, expected_out);
    EXPECT_EQ(verbatim, true) << "every event goes out as it came (the usage rides on a content chunk)";
  }
  // A usage-only chunk the client did not ask for is dropped, so the rest is re-framed.
  LiveStream live(nullptr, false, "m", false);
  std::string out;
  std::string piece = "data: " + chunks[1] + "\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}\n\n";
  EXPECT_FALSE(live.feed(piece, out));
  EXPECT_EQ(out, "data: " + chunks[1] + "\n\n");
  EXPECT_EQ(live.usage().completion_tokens, 2);
}

// Plain OpenAI-compatible answers go to the client as their bytes; usage, text and finish reason are read
// from them in one pass. What the pass reads must be what the parse reads, and what it cannot read exactly
// it must refuse (the caller then parses).
TEST(AnswerScan, ReadsWhatTheParseReadsAndRefusesTheRest) {
  const std::vector<std::string> read = {
      R"({"id":"x","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hi \"you\"\n\u00e9\ud83d\ude00"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21,"prompt_tokens_details":{"cached_tokens":4}}})",
      R"({ "choices" : [ { "message" : { "content" : null , "tool_calls" : [ {"id":"c","type":"function","function":{"name":"f","arguments":"{\"a\":[1,{\"b\":\"]\"}]}"}} ] } , "finish_reason" : "tool_calls" } , {"message":{"content":"second"}} ] })",
      R"({"choices":[],"usage":null})",
      R"({"model":"m","choices":[{"message":{"content":"no usage"},"finish_reason":null}]})",
      // Usage counts the pass reads itself, and the ones it leaves to the parse: the same numbers either way.
      R"({"choices":[],"usage":{"prompt_tokens":10,"prompt_tokens_details":{"cached_tokens":40,"audio_tokens":0},"completion_tokens":3}})",
      R"({"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":2.5,"prompt_tokens_details":null}})",
      R"({"choices":[],"usage":{"prompt_tokens":-3,"completion_tokens":"7"}})",
      R"({"choices":[],"usage":{"prompt_tokens":12345678901234567,"completion_tokens":999999999999999}})",
      R"({"choices":[],"usage":{"prompt_tokens":8,"prompt_tokens_details":{"cached_tokens":2,"cache_write_tokens":3},"completion_tokens":1e2}})",
  };
  for (const auto& body : read) {
    SCOPED_TRACE(body);
    ParsedResponse scanned;
    ASSERT_TRUE(scan_openai_answer(body, scanned));
    ParsedResponse parsed = parse_openai_response(json::parse(body), "m");
    EXPECT_EQ(scanned.text, parsed.text);
    EXPECT_EQ(scanned.finish_reason, parsed.finish_reason);
    EXPECT_EQ(scanned.usage.reported, parsed.usage.reported);
    EXPECT_EQ(scanned.usage.prompt_tokens, parsed.usage.prompt_tokens);
    EXPECT_EQ(scanned.usage.cache_read_tokens, parsed.usage.cache_read_tokens);
    EXPECT_EQ(scanned.usage.cache_write_tokens, parsed.usage.cache_write_tokens);
    EXPECT_EQ(scanned.usage.completion_tokens, parsed.usage.completion_tokens);
    EXPECT_TRUE(scanned.response.is_null()) << "the object is built only when asked for";
    scanned.bytes = body;
    EXPECT_EQ(scanned.object(), json::parse(body));
  }
  const std::vector<std::string> refused = {
      R"({"choices":[{"message":{"content":[{"type":"text","text":"parts"}]}}]})",       // content parts
      R"({"choices":[{"message":{"content":"a","content":"b"}}]})",                        // duplicate member
      R"({"choices":[{"message":{"content":"a"}}],"usage":{"prompt_tokens":1},"usage":null})",
      R"({"usage":[1,2],"choices":[]})",                                                   // usage not an object
      R"({"choi\u0063es":[{"message":{"content":"escaped key"}}]})",
      R"({"choices":[{"message":{"content":"a"}}]} trailing)",
      R"({"choices":[{"message":{"content":"unterminated}}]})",
  };
  for (const auto& body : refused) {
    SCOPED_TRACE(body);
    ParsedResponse scanned;
    EXPECT_FALSE(scan_openai_answer(body, scanned));
    EXPECT_TRUE(scanned.text.empty());
    EXPECT_FALSE(scanned.usage.reported);
  }
}
