#pragma once
// Shared by the gateway's API tests (on the kit, support/api.hpp): the real server and tools/mock-llm as
// its upstream, providers and models registered through the models API, and readers of the accounting tables.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/api.hpp"

namespace gwtest {

using namespace netops::test;
using nlohmann::json;

// Provider keys: neither may ever show up in a response or in the server's log.
inline const std::string kKey = "sk-mockkey-SECRET0123456789abcdefghijklmnop";
inline const std::string kWrongKey = "sk-wrongkey-SECRET9876543210zyxwvutsrqpon";

inline json user_msg(const std::string& text) { return {{"role", "user"}, {"content", text}}; }

inline std::string unique_id(const std::string& prefix) { return unique(prefix); }

// The mock's deterministic counts (tools/mock-llm/README.md): ceil(chars / 4) + 3 per message.
inline long long ceil4(std::size_t chars) { return static_cast<long long>((chars + 3) / 4); }

// Exact cost in micro-dollars at 0.001 / 0.002 USD per 1k tokens → "0.0000NN".
inline std::string cost_text(long long prompt, long long completion) {
  long long micro = prompt * 1 + completion * 2;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%06lld", micro / 1000000, micro % 1000000);
  return buf;
}

class GatewayEnv {
 public:
  std::unique_ptr<MockLlmProcess> mock;
  std::unique_ptr<ServerProcess> server;
  std::string admin_token;

  void start(const std::string& suite, std::map<std::string, std::string> env) {
    mock = std::make_unique<MockLlmProcess>(std::vector<std::string>{"--require-key", kKey, "--chunk-delay-us", "3000"});
    ServerOptions o;
    o.suite = suite;
    o.env = std::move(env);
    server = std::make_unique<ServerProcess>(o);
    server->start();
    admin_token = login_admin(*server).token;
  }
  Headers admin() const { return {{"Authorization", "Bearer " + admin_token}}; }
  std::string mock_url() const { return mock->url(); }

  json admin_post(const std::string& path, const json& body) {
    HttpClient c(server->port());
    auto r = c.post(path, body, admin());
    EXPECT_TRUE(r.status == 201 || r.status == 200) << path << " " << body.dump() << " → " << r.status << " " << r.body;
    return r.status < 300 ? r.json() : json();
  }
  void provider(const std::string& id, const std::string& endpoint, const std::string& auth,
                const std::string& key = kKey, json extra = json::object()) {
    json b = {{"id", id}, {"name", id}, {"apiEndpoint", endpoint}, {"authType", auth}};
    if (auth != "none") b["apiKey"] = key;
    b.update(extra);
    admin_post("/api/providers", b);
  }
  void model(const std::string& id, const std::string& provider, int tier, json extra = json::object()) {
    json b = {{"id", id}, {"provider", provider}, {"tier", tier}, {"costPer1kInput", "0.001"},
              {"costPer1kOutput", "0.002"}, {"supportsStreaming", true}, {"supportsFunctions", true}};
    b.update(extra);
    admin_post("/api/models", b);
  }
  // A rule reachable through `alias` (conditions.models), so tests never disturb each other.
  void rule(const std::string& alias, const std::string& strategy, std::vector<std::string> seq,
            json metadata = json::object(), json conditions = json::object(), int priority = 100) {
    conditions["models"] = json::array({alias});
    admin_post("/api/orchestration", {{"name", alias},
                                      {"strategy", strategy},
                                      {"modelSequence", seq},
                                      {"conditions", conditions},
                                      {"metadata", metadata},
                                      {"priority", priority}});
  }

  std::string sql(const std::string& q) { return exec_sql(server->database_url(), q); }

  // usage_logs rows of one request, in call order; waits until `n` rows are there (accounting is batched).
  json usage(const std::string& request_id, std::size_t n = 1) {
    json rows;
    (void)eventually(
        [&] {
          rows = json::parse(sql(
              "SELECT coalesce(json_agg(json_build_object('model', model_id, 'provider', provider, 'tier', tier, "
              "'prompt', prompt_tokens, 'completion', completion_tokens, 'total', total_tokens, 'cost', "
              "total_cost::text, 'status', status, 'error', error_code, 'estimated', estimated, 'attempts', attempts, "
              "'escalated', escalated, 'quality', quality_score, 'latency', latency_ms, 'upstream', "
              "upstream_latency_ms, 'user', user_id, 'cacheRead', cache_read_tokens) ORDER BY attempts, created_at), "
              "'[]') FROM usage_logs WHERE request_id = '" + request_id + "'"));
          return rows.size() >= n;
        },
        5000, "usage_logs rows of " + request_id);
    return rows;
  }
};

// Providers, models and rules of the routing tests (gateway_test.cpp). Failing and special models come
// after the plain echo models (priority 500), so tier:N and auto never pick them.
inline void register_catalog(GatewayEnv& e) {
  e.provider("mocka", e.mock_url() + "/v1", "bearer");
  e.provider("mockant", e.mock_url(), "x-api-key");
  e.provider("dead", "http://127.0.0.1:" + std::to_string(free_port()) + "/v1", "bearer");
  e.provider("badkey", e.mock_url() + "/v1", "bearer", kWrongKey);
  e.provider("offp", e.mock_url() + "/v1", "bearer", kKey, {{"status", "inactive"}});
  json first = {{"priority", 1}};
  e.model("mocka/echo", "mocka", 0, first);
  e.model("mocka/echo-t1", "mocka", 1, first);
  e.model("mocka/echo-t2", "mocka", 2, first);
  json late = {{"priority", 500}};
  for (const char* id : {"mocka/nousage", "mocka/fail-503-fb", "mocka/fail-429-ra", "mocka/slow-3000-to",
                         "mocka/slow-3000-all", "mocka/fail-400-x", "mocka/fail-500-all", "mocka/fail-502-all",
                         "mocka/fail-500-cb", "mocka/flaky-3-cb", "mocka/hedge", "mocka/echo-lb1", "mocka/echo-lb2",
                         "dead/echo", "offp/echo", "badkey/echo"})
    e.model(id, std::string(id).substr(0, std::string(id).find('/')), 0, late);
  e.model("mocka/echo-disabled", "mocka", 0, {{"priority", 500}, {"enabled", false}});
  e.model("mocka/echo-cond", "mocka", 2, late);
  e.model("mocka/renamed", "mocka", 1, {{"priority", 500}, {"capabilities", {{"upstreamModel", "echo"}}}});
  e.model("mocka/tools", "mocka", 1, late);
  e.model("mockant/echo", "mockant", 1, late);
  e.model("mockant/tools", "mockant", 1, late);
  e.model("mocka/echo-cheap", "mocka", 1, {{"priority", 500}, {"costPer1kInput", "0.0001"}, {"costPer1kOutput", "0.0002"}});
  e.model("mocka/echo-dear", "mocka", 1, {{"priority", 500}, {"costPer1kInput", "0.01"}, {"costPer1kOutput", "0.03"}});
  json no_retry = {{"maxRetries", 0}};
  e.rule("t/fallback", "fallback", {"mocka/fail-503-fb", "mocka/echo"}, no_retry);
  e.rule("t/retry-after", "fallback", {"mocka/fail-429-ra", "mocka/echo"}, {{"maxRetries", 1}});
  e.rule("t/timeout", "fallback", {"mocka/slow-3000-to", "mocka/echo"}, no_retry);
  e.rule("t/timeout-all", "fallback", {"mocka/slow-3000-all"}, no_retry);
  e.rule("t/refused", "fallback", {"dead/echo", "mocka/echo"}, no_retry);
  e.rule("t/no-failover", "fallback", {"mocka/fail-400-x", "mocka/echo"});
  e.rule("t/all-fail", "fallback", {"mocka/fail-500-all", "mocka/fail-502-all"}, no_retry);
  e.rule("t/breaker", "fallback", {"mocka/fail-500-cb", "mocka/echo"});
  e.rule("t/escalate", "escalation", {"mocka/echo-t1", "mocka/hedge"});
  e.model("mocka/fail-400-esc", "mocka", 1, late);
  e.rule("t/escalate-refused", "escalation", {"mocka/hedge", "mocka/fail-400-esc"});
  e.rule("t/untranslatable", "fallback", {"mockant/echo", "mocka/echo"}, no_retry);
  e.rule("t/lb", "load_balance", {"mocka/echo-lb1", "mocka/echo-lb2"}, {{"weights", {{"mocka/echo-lb1", 3}, {"mocka/echo-lb2", 1}}}});
  e.rule("t/cost", "cost_optimize", {"mocka/echo-dear", "mocka/echo-cheap"});
  e.rule("t/quality", "quality_first", {"mocka/echo", "mocka/echo-t2", "mocka/echo-t1"});
  e.rule("t/disabled", "fallback", {"mocka/echo-disabled", "mocka/echo"});
  // `auto` rules, each guarded by its own pattern so they never catch other tests' requests.
  auto auto_rule = [&](json cond, int priority) {
    cond["models"] = json::array({"auto"});
    e.admin_post("/api/orchestration", {{"name", cond.dump()}, {"strategy", "fallback"}, {"modelSequence", {"mocka/echo-cond"}},
                                        {"conditions", cond}, {"priority", priority}});
  };
  auto_rule({{"pattern", "^zebra"}, {"requiresTools", true}}, 10);
  auto_rule({{"pattern", "^giraffe"}, {"roles", {"admin", "super_admin"}}}, 11);
  auto_rule({{"pattern", "^okapi"}, {"minPromptTokens", 40}}, 12);
  auto_rule({{"pattern", "^lemur"}, {"userTiers", {"pro"}}}, 13);
}

}  // namespace gwtest
