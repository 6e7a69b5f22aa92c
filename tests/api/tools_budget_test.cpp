// The turn's token budget of chat's tool loop (NETOPS_TOOLS_MAX_TURN_TOKENS, 200 here; rounds 50, so the
// budget is what stops a model that never stops calling tools — tools/mock-llm `agent-loop`): once the
// rounds' prompt + completion tokens reach it, the model is not called again, the open calls of its last
// answer are answered with a TOKEN_BUDGET_EXHAUSTED tool error (so the stored conversation stays valid) and
// the answer says stopReason "token_budget" — plain and streamed, OpenAI and Anthropic upstreams.
#include "gateway_fixture.hpp"

using namespace gwtest;

namespace {

constexpr long long kBudget = 200;

std::vector<json> events_of(const std::string& body, const std::string& type) {
  std::vector<json> out;
  for (auto& e : parse_sse(body))
    if (!e.data.empty() && e.data != "[DONE]" && json::parse(e.data).value("type", "") == type)
      out.push_back(json::parse(e.data));
  return out;
}

}  // namespace

class ToolsBudget : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new GatewayEnv();
    env_->start("toolsbudget", {{"NETOPS_ACCOUNTING_FLUSH_MS", "50"}, {"NETOPS_CHAT_SUMMARY_TOKENS", "0"},
                                {"NETOPS_TOOLS_MAX_ROUNDS", "50"},
                                {"NETOPS_TOOLS_MAX_TURN_TOKENS", std::to_string(kBudget)}});
    auto& e = *env_;
    e.provider("mockb", e.mock_url() + "/v1", "bearer");
    e.provider("mockba", e.mock_url(), "x-api-key");
    e.model("mockb/echo", "mockb", 0, {{"priority", 1}});
    e.model("mockb/agent-loop", "mockb", 0, {{"priority", 500}});
    e.model("mockba/agent-loop", "mockba", 1, {{"priority", 500}});
    user_ = new Session(new_user(e.server->port(), e.admin_token));
  }
  static void TearDownTestSuite() {
    delete user_;
    delete env_;
  }
  HttpResponse send(json body) { return client.post("/api/chat/messages", body, user_->auth()); }
  json messages(const std::string& conv) {
    auto r = client.get("/api/conversations/" + conv + "/messages?limit=200", user_->auth());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["data"];
  }
  // Every call answered; the last assistant's calls with TOKEN_BUDGET_EXHAUSTED; `rounds` rounds ran.
  void expect_stopped_by_budget(const json& msgs, int rounds) {
    std::vector<std::string> calls, answered;
    int assistants = 0;
    for (const auto& m : msgs) {
      if (m["role"] == "assistant") {
        ++assistants;
        if (m["toolCalls"].is_array())
          for (const auto& c : m["toolCalls"]) calls.push_back(c["id"]);
      }
      if (m["role"] == "tool") answered.push_back(m["toolCallId"]);
    }
    EXPECT_EQ(assistants, rounds + 1) << msgs.dump();
    EXPECT_EQ(calls, answered) << msgs.dump();
    ASSERT_FALSE(msgs.empty());
    const auto& last = msgs.back();
    EXPECT_EQ(last["role"], "tool") << last.dump();
    EXPECT_NE(last["content"].get<std::string>().find("TOKEN_BUDGET_EXHAUSTED"), std::string::npos) << last.dump();
  }

  static inline GatewayEnv* env_ = nullptr;
  static inline Session* user_ = nullptr;
  HttpClient client{env_ ? env_->server->port() : 0};
};

TEST_F(ToolsBudget, APlainTurnStopsCallingTheModelOnceTheBudgetIsSpent) {
  auto r = send({{"message", "CALL find_location {\"name\":\"budget\"}"}, {"model", "mockb/agent-loop"}, {"tools", "auto"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto a = r.json();
  EXPECT_EQ(a["stopReason"], "token_budget") << a.dump();
  EXPECT_EQ(a["toolLimitReached"], true);
  int rounds = a["toolRounds"];
  EXPECT_GE(rounds, 1);
  EXPECT_LT(rounds, 50);  // the budget stopped it, not the round limit
  EXPECT_GE(a["turnTokens"].get<long long>(), kBudget);
  EXPECT_EQ(a["turnTokens"].get<long long>(),
            a["usage"]["promptTokens"].get<long long>() + a["usage"]["completionTokens"].get<long long>());
  // One model call per round plus the one whose calls were refused; none after.
  auto usage = env_->usage(r.header("x-request-id"), static_cast<std::size_t>(rounds + 1));
  EXPECT_EQ(usage.size(), static_cast<std::size_t>(rounds + 1));
  EXPECT_EQ(env_->sql("SELECT count(*) FROM usage_logs WHERE request_id = '" + r.header("x-request-id") + "'"),
            std::to_string(rounds + 1));
  auto msgs = messages(a["conversationId"]);
  expect_stopped_by_budget(msgs, rounds);
  EXPECT_EQ(msgs.back()["metadata"]["notRun"], "token_budget") << msgs.back().dump();
  // The stored conversation is valid: the next turn goes on.
  auto next = send({{"message", "thanks"}, {"conversationId", a["conversationId"]}, {"model", "mockb/echo"}});
  EXPECT_EQ(next.status, 200) << next.body;
}

TEST_F(ToolsBudget, AStreamedTurnStopsTheSameWay) {
  for (const char* model : {"mockb/agent-loop", "mockba/agent-loop"}) {
    auto r = send({{"message", "CALL find_location {\"name\":\"budget\"}"}, {"model", model}, {"tools", "auto"},
                   {"stream", true}});
    ASSERT_EQ(r.status, 200) << model << " " << r.body;
    auto done = events_of(r.body, "done");
    ASSERT_EQ(done.size(), 1u) << model << " " << r.body;
    EXPECT_EQ(done[0]["stopReason"], "token_budget") << done[0].dump();
    int rounds = done[0]["toolRounds"];
    EXPECT_GE(rounds, 1);
    auto calls = events_of(r.body, "tool_call");
    auto results = events_of(r.body, "tool_result");
    ASSERT_EQ(calls.size(), static_cast<std::size_t>(rounds + 1)) << r.body;
    ASSERT_EQ(results.size(), calls.size()) << r.body;
    EXPECT_EQ(results.back()["ok"], false);
    EXPECT_EQ(results.back()["error"]["code"], "TOKEN_BUDGET_EXHAUSTED");
    EXPECT_EQ(results.back()["toolCallId"], calls.back()["toolCallId"]);
    expect_stopped_by_budget(messages(done[0]["conversationId"]), rounds);
  }
}
