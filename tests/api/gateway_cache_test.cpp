// The response cache: opt-in per request (x-netops-cache: ttl=<s>) or per rule (metadata.cache), exact
// match on the normalised request, per user unless the rule says shared, streamed replays, hits recorded
// in usage_logs (cache_hit, zero cost), counted by the rate limit but not the budget.
#include "gateway_fixture.hpp"
#include "support/sse.hpp"

using namespace gwtest;

namespace {
std::string streamed_text(const std::string& body) {
  std::string text;
  for (auto& e : parse_sse(body)) {
    if (e.data == "[DONE]") continue;
    auto j = json::parse(e.data);
    if (j.contains("choices") && !j["choices"].empty() && j["choices"][0]["delta"].contains("content") &&
        j["choices"][0]["delta"]["content"].is_string())
      text += j["choices"][0]["delta"]["content"].get<std::string>();
    if (e.event == "content_block_delta" && j["delta"]["type"] == "text_delta") text += j["delta"]["text"].get<std::string>();
  }
  return text;
}
}  // namespace

class Cache : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new GatewayEnv();
    env_->start("gateway_cache", {{"NETOPS_ACCOUNTING_FLUSH_MS", "50"},
                                  {"NETOPS_BUDGET_PRO_DAILY_TOKENS", "60"},
                                  {"NETOPS_RATE_LIMIT_FREE", "6"}});
    auto& e = *env_;
    e.provider("mocka", e.mock_url() + "/v1", "bearer");
    e.provider("mockant", e.mock_url(), "x-api-key");
    e.model("mocka/echo", "mocka", 0, {{"priority", 1}});
    e.model("mockant/echo", "mockant", 1, {{"priority", 500}});
    e.rule("c/shared", "fallback", {"mocka/echo"}, {{"cache", {{"ttl", 60}, {"shared", true}}}});
    e.rule("c/private", "fallback", {"mocka/echo"}, {{"cache", {{"ttl", 60}}}});
  }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }
  HttpResponse chat(const json& body, std::string& rid, Headers who = {}, bool cache = true) {
    rid = unique_id("cache");
    if (who.empty()) who = env_->admin();
    if (cache) who.emplace_back("x-netops-cache", "ttl=60");
    who.emplace_back("X-Request-Id", rid);
    return client.post("/v1/chat/completions", body, who);
  }
  json row(const std::string& rid) {
    env_->usage(rid);
    return json::parse(env_->sql("SELECT json_build_object('hit', cache_hit, 'cost', total_cost::text, 'tokens', "
                                 "total_tokens, 'status', status, 'attempts', attempts) FROM usage_logs WHERE request_id = '" +
                                 rid + "'"));
  }
  static GatewayEnv* env_;
  HttpClient client{env_->server->port()};
};
GatewayEnv* Cache::env_ = nullptr;

TEST_F(Cache, MissThenHitPlainAndStreamedAccountedAsHits) {
  std::string text = "cache me " + unique_id("t"), rid;
  json body = {{"model", "mocka/echo"}, {"messages", {user_msg(text)}}, {"temperature", 0.5}};
  auto miss = chat(body, rid);
  ASSERT_EQ(miss.status, 200) << miss.body;
  EXPECT_EQ(miss.header("x-netops-cache"), "miss");
  auto r1 = row(rid);
  EXPECT_EQ(r1["hit"], false);
  EXPECT_NE(r1["cost"], "0.000000");

  auto hit = chat(body, rid);
  ASSERT_EQ(hit.status, 200) << hit.body;
  EXPECT_EQ(hit.header("x-netops-cache"), "hit");
  EXPECT_EQ(hit.header("x-netops-model"), "mocka/echo");
  EXPECT_EQ(hit.header("x-netops-attempts"), "0");
  EXPECT_EQ(hit.json()["choices"][0]["message"]["content"], text);
  EXPECT_EQ(hit.json()["object"], "chat.completion");
  auto r2 = row(rid);
  EXPECT_EQ(r2["hit"], true);
  EXPECT_EQ(r2["cost"], "0.000000");
  EXPECT_EQ(r2["tokens"], 0);
  EXPECT_EQ(r2["status"], "success");

  // Streamed replay of the stored answer.
  json sbody = body;
  sbody["stream"] = true;
  auto s = chat(sbody, rid);
  ASSERT_EQ(s.status, 200);
  EXPECT_EQ(s.header("x-netops-cache"), "hit");
  EXPECT_EQ(s.header("content-type").rfind("text/event-stream", 0), 0u);
  EXPECT_EQ(streamed_text(s.body), text);
  EXPECT_NE(s.body.find("data: [DONE]"), std::string::npos);
  EXPECT_EQ(row(rid)["hit"], true);

  // A different parameter is a different request; no header → no cache at all.
  json other = body;
  other["temperature"] = 0.7;
  EXPECT_EQ(chat(other, rid).header("x-netops-cache"), "miss");
  auto plain = chat(body, rid, {}, false);
  EXPECT_EQ(plain.header("x-netops-cache"), "");
  EXPECT_EQ(row(rid)["hit"], false);
}

TEST_F(Cache, StreamedMissIsStoredAndAnthropicRouteShares) {
  std::string text = "streamed miss " + unique_id("t"), rid;
  json body = {{"model", "mocka/echo"}, {"messages", {user_msg(text)}}, {"stream", true}};
  auto miss = chat(body, rid);
  ASSERT_EQ(miss.status, 200);
  EXPECT_EQ(miss.header("x-netops-cache"), "miss");
  EXPECT_EQ(streamed_text(miss.body), text);
  json plain = {{"model", "mocka/echo"}, {"messages", {user_msg(text)}}};
  HttpResponse hit;
  ASSERT_TRUE(eventually([&] {
    hit = chat(plain, rid);
    return hit.header("x-netops-cache") == "hit";
  }, 3000, "the streamed answer stored"));
  EXPECT_EQ(hit.json()["choices"][0]["message"]["content"], text);

  // Anthropic Messages: miss, then hit (plain and as Anthropic events).
  std::string t2 = "anthropic cached " + unique_id("t");
  json m = {{"model", "mockant/echo"}, {"max_tokens", 100}, {"messages", {user_msg(t2)}}};
  Headers who = env_->admin();
  who.emplace_back("x-netops-cache", "ttl=60");
  auto a1 = client.post("/v1/messages", m, who);
  ASSERT_EQ(a1.status, 200) << a1.body;
  EXPECT_EQ(a1.header("x-netops-cache"), "miss");
  auto a2 = client.post("/v1/messages", m, who);
  ASSERT_EQ(a2.status, 200) << a2.body;
  EXPECT_EQ(a2.header("x-netops-cache"), "hit");
  EXPECT_EQ(a2.json()["type"], "message");
  EXPECT_EQ(a2.json()["content"][0]["text"], t2);
  m["stream"] = true;
  auto a3 = client.post("/v1/messages", m, who);
  ASSERT_EQ(a3.status, 200);
  EXPECT_EQ(a3.header("x-netops-cache"), "hit");
  EXPECT_EQ(streamed_text(a3.body), t2);
  EXPECT_NE(a3.body.find("event: message_stop"), std::string::npos);
}

TEST_F(Cache, PerUserUnlessTheRuleSaysShared) {
  auto u1 = new_user(env_->server->port(), env_->admin_token, "user", "enterprise");
  auto u2 = new_user(env_->server->port(), env_->admin_token, "user", "enterprise");
  Headers a = {{"Authorization", "Bearer " + u1.token}}, b = {{"Authorization", "Bearer " + u2.token}};
  std::string text = "per user " + unique_id("t"), rid;
  json body = {{"model", "mocka/echo"}, {"messages", {user_msg(text)}}};
  EXPECT_EQ(chat(body, rid, a).header("x-netops-cache"), "miss");
  EXPECT_EQ(chat(body, rid, a).header("x-netops-cache"), "hit");
  EXPECT_EQ(chat(body, rid, b).header("x-netops-cache"), "miss");  // never another user's entry

  // A rule with metadata.cache caches without the header; shared: true shares across users.
  json shared = {{"model", "c/shared"}, {"messages", {user_msg("shared " + unique_id("t"))}}};
  EXPECT_EQ(chat(shared, rid, a, false).header("x-netops-cache"), "miss");
  auto h = chat(shared, rid, b, false);
  EXPECT_EQ(h.header("x-netops-cache"), "hit");
  json priv = {{"model", "c/private"}, {"messages", {user_msg("private " + unique_id("t"))}}};
  EXPECT_EQ(chat(priv, rid, a, false).header("x-netops-cache"), "miss");
  EXPECT_EQ(chat(priv, rid, a, false).header("x-netops-cache"), "hit");
  EXPECT_EQ(chat(priv, rid, b, false).header("x-netops-cache"), "miss");
}

TEST_F(Cache, HitsSkipTheBudgetButCountForTheRateLimit) {
  auto pro = new_user(env_->server->port(), env_->admin_token, "user", "pro");  // 60 tokens a day
  Headers who = {{"Authorization", "Bearer " + pro.token}};
  std::string rid;
  json big = {{"model", "mocka/echo"}, {"messages", {user_msg(std::string(300, 'q') + unique_id("t"))}}};
  ASSERT_EQ(chat(big, rid, who).status, 200);
  HttpResponse refused;
  ASSERT_TRUE(eventually([&] {
    // A new request each time: one answered before the budget caught up would otherwise be a hit.
    json other = {{"model", "mocka/echo"}, {"messages", {user_msg("x " + unique_id("o"))}}};
    refused = chat(other, rid, who);
    return refused.status == 429;
  }, 5000, "budget refusal"));
  EXPECT_EQ(refused.json()["error"]["code"], "BUDGET_EXCEEDED");
  auto hit = chat(big, rid, who);  // over budget, but a hit costs nothing
  ASSERT_EQ(hit.status, 200) << hit.body;
  EXPECT_EQ(hit.header("x-netops-cache"), "hit");

  // free tier: 6 requests a minute (suite env); hits count.
  auto free = new_user(env_->server->port(), env_->admin_token, "user", "free");
  Headers f = {{"Authorization", "Bearer " + free.token}};
  json body = {{"model", "mocka/echo"}, {"messages", {user_msg("limited " + unique_id("t"))}}};
  int ok = 0, limited = 0;
  for (int i = 0; i < 8; ++i) {
    auto r = chat(body, rid, f);
    if (r.status == 200) ++ok;
    if (r.status == 429) ++limited;
  }
  EXPECT_EQ(ok, 6);
  EXPECT_EQ(limited, 2);
}

TEST_F(Cache, MalformedHeaderNamesIt) {
  std::string rid;
  Headers who = env_->admin();
  who.emplace_back("x-netops-cache", "forever");
  auto r = client.post("/v1/chat/completions", {{"model", "mocka/echo"}, {"messages", {user_msg("x")}}}, who);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"]["details"]["errors"][0]["field"], "x-netops-cache");
  who.back().second = "ttl=0";
  EXPECT_EQ(client.post("/v1/chat/completions", {{"model", "mocka/echo"}, {"messages", {user_msg("x")}}}, who).status, 400);
}
