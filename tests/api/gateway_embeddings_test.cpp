// POST /v1/embeddings: OpenAI format, only to models declaring capabilities.embeddings, accounted like
// completions (usage_logs row with input tokens and cost, budget), failover, against tools/mock-llm.
#include "gateway_fixture.hpp"

using namespace gwtest;

class Embeddings : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new GatewayEnv();
    env_->start("gateway_embeddings", {{"NETOPS_UPSTREAM_RETRY_BASE_MS", "5"},
                                       {"NETOPS_ACCOUNTING_FLUSH_MS", "50"},
                                       {"NETOPS_BUDGET_PRO_DAILY_TOKENS", "60"},
                                       {"NETOPS_RATE_LIMIT_FREE", "100000"}});
    auto& e = *env_;
    e.provider("mocka", e.mock_url() + "/v1", "bearer");
    json cap = {{"capabilities", {{"embeddings", true}}}, {"priority", 500}};
    e.model("mocka/embed", "mocka", 0, cap);
    e.model("mocka/fail-503-emb", "mocka", 0, cap);
    e.model("mocka/nousage-emb", "mocka", 0, cap);
    e.model("mocka/echo", "mocka", 0, {{"priority", 1}});
    e.rule("e/fallback", "fallback", {"mocka/fail-503-emb", "mocka/embed"}, {{"maxRetries", 0}});
  }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }
  HttpResponse embed(const json& body, std::string& rid, Headers who = {}) {
    rid = unique_id("emb");
    if (who.empty()) who = env_->admin();
    who.emplace_back("X-Request-Id", rid);
    return client.post("/v1/embeddings", body, who);
  }
  static GatewayEnv* env_;
  HttpClient client{env_->server->port()};
};
GatewayEnv* Embeddings::env_ = nullptr;

TEST_F(Embeddings, SingleStringIsAnsweredAndAccounted) {
  std::string rid;
  const std::string text = "The quick brown fox jumps";  // 25 characters → 7 tokens
  auto r = embed({{"model", "mocka/embed"}, {"input", text}}, rid);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["object"], "list");
  EXPECT_EQ(j["model"], "mocka/embed");
  ASSERT_EQ(j["data"].size(), 1u);
  EXPECT_EQ(j["data"][0]["object"], "embedding");
  EXPECT_EQ(j["data"][0]["index"], 0);
  EXPECT_EQ(j["data"][0]["embedding"].size(), 8u);
  EXPECT_EQ(j["usage"]["prompt_tokens"], ceil4(text.size()));
  EXPECT_EQ(r.header("x-netops-model"), "mocka/embed");
  EXPECT_EQ(r.header("x-netops-provider"), "mocka");
  EXPECT_EQ(r.header("x-netops-attempts"), "1");
  auto rows = env_->usage(rid);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["model"], "mocka/embed");
  EXPECT_EQ(rows[0]["prompt"], ceil4(text.size()));
  EXPECT_EQ(rows[0]["completion"], 0);
  EXPECT_EQ(rows[0]["cost"], cost_text(ceil4(text.size()), 0));
  EXPECT_EQ(rows[0]["status"], "success");
  EXPECT_EQ(rows[0]["estimated"], false);
  // Deterministic: the same input gives the same vector.
  auto again = embed({{"model", "mocka/embed"}, {"input", text}}, rid);
  EXPECT_EQ(again.json()["data"][0]["embedding"], j["data"][0]["embedding"]);
}

TEST_F(Embeddings, ArraysTokenIdsDimensionsAndBase64) {
  std::string rid;
  auto r = embed({{"model", "mocka/embed"}, {"input", {"alpha", "beta gamma"}}, {"dimensions", 16},
                  {"encoding_format", "base64"}, {"user", "u1"}},
                 rid);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  ASSERT_EQ(j["data"].size(), 2u);
  EXPECT_TRUE(j["data"][1]["embedding"].is_string());
  EXPECT_EQ(j["data"][1]["embedding"].get<std::string>().size(), 88u);  // 64 bytes of float32 in base64
  EXPECT_EQ(env_->usage(rid)[0]["prompt"], ceil4(5) + ceil4(10));
  auto t = embed({{"model", "mocka/embed"}, {"input", {{1, 2, 3}, {4, 5}}}}, rid);
  ASSERT_EQ(t.status, 200) << t.body;
  EXPECT_EQ(t.json()["data"].size(), 2u);
  EXPECT_EQ(env_->usage(rid)[0]["prompt"], 5);
  // No usage from the upstream: the gateway's estimate, marked as such.
  auto n = embed({{"model", "mocka/nousage-emb"}, {"input", "abcdefgh"}}, rid);
  ASSERT_EQ(n.status, 200) << n.body;
  auto rows = env_->usage(rid);
  EXPECT_EQ(rows[0]["prompt"], 2);
  EXPECT_EQ(rows[0]["estimated"], true);
}

TEST_F(Embeddings, OnlyCapableModelsAndValidation) {
  std::string rid;
  auto r = embed({{"model", "mocka/echo"}, {"input", "x"}}, rid);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "VALIDATION_ERROR");
  EXPECT_EQ(r.json()["error"]["details"]["errors"][0]["field"], "model");
  r = embed({{"model", "mocka/embed"}}, rid);
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["details"]["errors"][0]["field"], "input");
  r = embed({{"model", "mocka/embed"}, {"input", "x"}, {"encoding_format", "hex"}}, rid);
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["details"]["errors"][0]["field"], "encoding_format");
  r = embed({{"model", "mocka/embed"}, {"input", {"ok", 7}}}, rid);
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["details"]["errors"][0]["field"], "input[1]");
  EXPECT_EQ(embed({{"model", "nosuch/embed"}, {"input", "x"}}, rid).status, 404);
  EXPECT_EQ(client.post("/v1/embeddings", {{"model", "mocka/embed"}, {"input", "x"}}).status, 401);
}

TEST_F(Embeddings, FailoverApiKeyAndBudget) {
  std::string rid;
  auto r = embed({{"model", "e/fallback"}, {"input", "fail over please"}}, rid);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-netops-model"), "mocka/embed");
  EXPECT_EQ(r.header("x-netops-attempts"), "2");
  auto rows = env_->usage(rid, 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["status"], "error");
  EXPECT_EQ(rows[0]["error"], "http_503");
  EXPECT_EQ(rows[1]["status"], "success");

  auto u = new_user(env_->server->port(), env_->admin_token, "user", "pro");  // 60 tokens a day
  auto key = create_api_key(env_->server->port(), u.token);
  Headers who = {{"Authorization", "Bearer " + key["key"].get<std::string>()}};
  auto first = embed({{"model", "mocka/embed"}, {"input", std::string(400, 'z')}}, rid, who);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(env_->usage(rid)[0]["user"], u.id);
  HttpResponse refused;
  ASSERT_TRUE(eventually([&] {
    refused = embed({{"model", "mocka/embed"}, {"input", "x"}}, rid, who);
    return refused.status == 429;
  }, 5000, "budget refusal"));
  EXPECT_EQ(refused.json()["error"]["code"], "BUDGET_EXCEEDED");
}
