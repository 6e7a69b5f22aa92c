// Chat's tool loop: with tools "auto" (or a list of names) and a model that supports functions, chat offers
// the registry's tools the user may use, runs the model's calls, stores the assistant message with its
// tool_calls and one role "tool" message per call (tool_call_id), and calls the model again — plain and
// streamed (tool_call / tool_result events), OpenAI and Anthropic upstreams, bounded by
// NETOPS_TOOLS_MAX_ROUNDS (3 here), with timeouts and bad arguments becoming tool errors the model sees.
// At the round limit the model's last calls are answered with a TOOL_LIMIT_REACHED tool error (never left
// open) and the model answers once more with tool_choice "none".
// Upstream: tools/mock-llm `agent` (calls the tools scripted as "CALL <tool> <json>" lines in the user's
// message, then quotes the results) and `agent-loop` (never stops calling).
#include "gateway_fixture.hpp"

using namespace gwtest;

namespace {

std::vector<std::string> event_types(const std::string& body) {
  std::vector<std::string> out;
  for (auto& e : parse_sse(body)) {
    if (e.data.empty()) continue;
    out.push_back(e.data == "[DONE]" ? "[DONE]" : json::parse(e.data).value("type", ""));
  }
  return out;
}
std::vector<json> events_of(const std::string& body, const std::string& type) {
  std::vector<json> out;
  for (auto& e : parse_sse(body))
    if (!e.data.empty() && e.data != "[DONE]" && json::parse(e.data).value("type", "") == type)
      out.push_back(json::parse(e.data));
  return out;
}
std::ptrdiff_t index_of(const std::vector<std::string>& v, const std::string& s) {
  auto it = std::find(v.begin(), v.end(), s);
  return it == v.end() ? -1 : it - v.begin();
}

}  // namespace

class ChatTools : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new GatewayEnv();
    env_->start("chattools", {{"NETOPS_ACCOUNTING_FLUSH_MS", "50"}, {"NETOPS_CHAT_SUMMARY_TOKENS", "0"},
                              {"NETOPS_TOOLS_TEST_TOOLS", "true"}, {"NETOPS_TOOLS_MAX_ROUNDS", "3"}});
    auto& e = *env_;
    e.provider("mockt", e.mock_url() + "/v1", "bearer");
    e.provider("mockta", e.mock_url(), "x-api-key");
    e.model("mockt/echo", "mockt", 0, {{"priority", 1}});
    json late = {{"priority", 500}};
    e.model("mockt/agent", "mockt", 0, late);
    e.model("mockt/agent-loop", "mockt", 0, late);
    e.model("mockta/agent", "mockta", 1, late);
    e.model("mockta/agent-loop", "mockta", 1, late);
    e.model("mockt/agent-nofn", "mockt", 0, {{"priority", 500}, {"supportsFunctions", false}});
    user_ = new Session(new_user(e.server->port(), e.admin_token));
    // An asset the tools find.
    HttpClient c(e.server->port());
    host_ = unique_id("edge-rtr");
    std::transform(host_.begin(), host_.end(), host_.begin(), ::tolower);
    auto a = c.post("/api/v1/assets", {{"assetCode", unique_id("CT")}, {"hostname", host_}}, e.admin());
    ASSERT_EQ(a.status, 201) << a.body;
    asset_ = new json(a.json());
  }
  static void TearDownTestSuite() {
    delete user_;
    delete asset_;
    delete env_;
  }
  HttpResponse send(json body) { return client.post("/api/chat/messages", body, user_->auth()); }
  json messages(const std::string& conv) {
    auto r = client.get("/api/conversations/" + conv + "/messages?limit=200", user_->auth());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["data"];
  }
  std::string find_call() const { return "CALL find_assets {\"query\":\"" + host_ + "\"}"; }
  // user, assistant with one call of `tool`, its tool message, the final assistant answer.
  void expect_two_rounds(const json& msgs, const std::string& tool) {
    ASSERT_EQ(msgs.size(), 4u) << msgs.dump();
    EXPECT_EQ(msgs[0]["role"], "user");
    EXPECT_EQ(msgs[1]["role"], "assistant");
    ASSERT_TRUE(msgs[1]["toolCalls"].is_array()) << msgs[1].dump();
    ASSERT_EQ(msgs[1]["toolCalls"].size(), 1u);
    EXPECT_EQ(msgs[1]["toolCalls"][0]["function"]["name"], tool);
    EXPECT_EQ(msgs[2]["role"], "tool");
    EXPECT_EQ(msgs[2]["toolCallId"], msgs[1]["toolCalls"][0]["id"]);
    EXPECT_EQ(msgs[3]["role"], "assistant");
    EXPECT_EQ(msgs[3]["content"].get<std::string>().rfind("Tool result: ", 0), 0u) << msgs[3].dump();
  }

  static inline GatewayEnv* env_ = nullptr;
  static inline Session* user_ = nullptr;
  static inline json* asset_ = nullptr;
  static inline std::string host_;
  HttpClient client{env_ ? env_->server->port() : 0};
};

TEST_F(ChatTools, APlainTurnRunsTheToolAndAnswersFromItsResult) {
  auto r = send({{"message", find_call()}, {"model", "mockt/agent"}, {"tools", "auto"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto a = r.json();
  std::string answer = a["message"];
  EXPECT_EQ(answer.rfind("Tool result: ", 0), 0u) << answer;
  EXPECT_NE(answer.find((*asset_)["assetCode"].get<std::string>()), std::string::npos) << answer;
  EXPECT_EQ(a["toolRounds"], 1);
  EXPECT_EQ(a["toolLimitReached"], false);
  auto msgs = messages(a["conversationId"]);
  expect_two_rounds(msgs, "find_assets");
  EXPECT_NE(msgs[2]["content"].get<std::string>().find(host_), std::string::npos);
  EXPECT_EQ(a["messageId"], msgs[3]["id"]);
  // Both rounds are gateway calls of the request: two usage rows, summed in the answer.
  auto usage = env_->usage(r.header("x-request-id"), 2);
  ASSERT_EQ(usage.size(), 2u) << usage.dump();
  EXPECT_EQ(a["usage"]["promptTokens"].get<long long>(),
            usage[0]["prompt"].get<long long>() + usage[1]["prompt"].get<long long>());
  // The tool ran as the user, audited with the turn's request id.
  EXPECT_EQ(env_->sql("SELECT count(*) FROM audit_logs WHERE action = 'tool.invoked' AND details->>'via' = 'chat' "
                      "AND user_id = '" + user_->id + "' AND correlation_id::text = '" + r.header("x-request-id") + "'"),
            "1");
}

TEST_F(ChatTools, AStreamedTurnEmitsToolEventsThenTheAnswer) {
  for (const char* model : {"mockt/agent", "mockta/agent"}) {
    auto r = send({{"message", find_call()}, {"model", model}, {"tools", json::array({"find_assets", "find_location"})},
                   {"stream", true}});
    ASSERT_EQ(r.status, 200) << model << " " << r.body;
    auto types = event_types(r.body);
    auto call = index_of(types, "tool_call"), result = index_of(types, "tool_result"), done = index_of(types, "done");
    ASSERT_GE(call, 0) << r.body;
    EXPECT_GT(result, call);
    EXPECT_GT(done, result);
    EXPECT_EQ(types.back(), "[DONE]");
    auto calls = events_of(r.body, "tool_call");
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0]["name"], "find_assets");
    auto results = events_of(r.body, "tool_result");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0]["ok"], true);
    EXPECT_EQ(results[0]["toolCallId"], calls[0]["toolCallId"]);
    auto summary = events_of(r.body, "done")[0];
    EXPECT_EQ(summary["toolRounds"], 1);
    EXPECT_EQ(summary["message"].get<std::string>().rfind("Tool result: ", 0), 0u) << summary.dump();
    expect_two_rounds(messages(summary["conversationId"]), "find_assets");
  }
}

TEST_F(ChatTools, AQuestionAboutSparesIsAnsweredFromTheWarehouse) {
  // "Do we have a spare optic?": the model calls part_stock, the answer quotes the live stock.
  HttpClient c(env_->server->port());
  auto wh = c.post("/api/v1/warehouse/warehouses", {{"code", unique_id("WC")}, {"name", "Core store"}}, env_->admin());
  ASSERT_EQ(wh.status, 201) << wh.body;
  std::string code = unique_id("SFP");
  auto part = c.post("/api/v1/warehouse/parts", {{"partCode", code}, {"name", "10G optic"}, {"minLevel", 1}}, env_->admin());
  ASSERT_EQ(part.status, 201) << part.body;
  auto receipt = c.post("/api/v1/warehouse/documents?post=true",
                        {{"docType", "receipt"},
                         {"warehouseId", wh.json()["id"]},
                         {"lines", {{{"partId", part.json()["id"]}, {"qty", 6}, {"unitCost", "80.00"}}}}},
                        env_->admin());
  ASSERT_EQ(receipt.status, 201) << receipt.body;
  auto r = send({{"message", "CALL part_stock {\"part\":\"" + code + "\"}"}, {"model", "mockt/agent"}, {"tools", "auto"}});
  ASSERT_EQ(r.status, 200) << r.body;
  std::string answer = r.json()["message"];
  EXPECT_NE(answer.find(code), std::string::npos) << answer;
  EXPECT_NE(answer.find("\"onHand\":6"), std::string::npos) << answer;
  expect_two_rounds(messages(r.json()["conversationId"]), "part_stock");
}

TEST_F(ChatTools, IndependentCallsOfOneTurnAllRun) {
  auto r = send({{"message", find_call() + "\nCALL find_location {\"name\":\"" + unique_id("Site") + "\"}\n" +
                                 "CALL test_sleep {\"ms\":1}"},
                 {"model", "mockt/agent"},
                 {"tools", "auto"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto msgs = messages(r.json()["conversationId"]);
  ASSERT_EQ(msgs.size(), 6u) << msgs.dump();
  ASSERT_EQ(msgs[1]["toolCalls"].size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(msgs[2 + i]["role"], "tool");
    EXPECT_EQ(msgs[2 + i]["toolCallId"], msgs[1]["toolCalls"][i]["id"]);
    EXPECT_EQ(msgs[2 + i]["content"].get<std::string>().find("\"error\""), std::string::npos) << msgs[2 + i].dump();
  }
}

// Every tool call of every assistant message is answered by a tool message (what providers require).
void expect_every_call_answered(const json& msgs) {
  std::vector<std::string> calls, answered;
  for (const auto& m : msgs) {
    if (m["role"] == "assistant" && m["toolCalls"].is_array())
      for (const auto& c : m["toolCalls"]) calls.push_back(c["id"]);
    if (m["role"] == "tool") answered.push_back(m["toolCallId"]);
  }
  EXPECT_FALSE(calls.empty());
  EXPECT_EQ(calls, answered) << msgs.dump();
}

// user, then (assistant + tool) × 3 run, then the 4th assistant's calls answered with TOOL_LIMIT_REACHED,
// then the model's final answer (tool_choice none: the agent quotes the tool error).
void expect_round_limit(const json& msgs) {
  ASSERT_EQ(msgs.size(), 10u) << msgs.dump();
  int assistants = 0, tools = 0;
  for (const auto& m : msgs) {
    assistants += m["role"] == "assistant";
    tools += m["role"] == "tool";
  }
  EXPECT_EQ(assistants, 5);
  EXPECT_EQ(tools, 4);
  EXPECT_EQ(msgs[7]["role"], "assistant");
  EXPECT_TRUE(msgs[7]["toolCalls"].is_array());
  EXPECT_EQ(msgs[8]["role"], "tool");
  EXPECT_NE(msgs[8]["content"].get<std::string>().find("TOOL_LIMIT_REACHED"), std::string::npos) << msgs[8].dump();
  EXPECT_EQ(msgs[8]["toolCallId"], msgs[7]["toolCalls"][0]["id"]);
  EXPECT_EQ(msgs[9]["role"], "assistant");
  EXPECT_TRUE(msgs[9]["toolCalls"].is_null() || msgs[9]["toolCalls"].empty()) << msgs[9].dump();
  EXPECT_NE(msgs[9]["content"].get<std::string>().find("TOOL_LIMIT_REACHED"), std::string::npos) << msgs[9].dump();
  expect_every_call_answered(msgs);
}

TEST_F(ChatTools, TheRoundLimitAnswersTheLastCallsWithAToolErrorThenTheModelAnswers) {
  auto r = send({{"message", "CALL find_location {\"name\":\"loop\"}"}, {"model", "mockt/agent-loop"}, {"tools", "auto"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto a = r.json();
  EXPECT_EQ(a["toolRounds"], 3);
  EXPECT_EQ(a["toolLimitReached"], true);
  EXPECT_EQ(a["stopReason"], "max_rounds");
  EXPECT_EQ(a["finishReason"], "stop");
  EXPECT_FALSE(a.contains("toolCalls")) << a.dump();
  EXPECT_NE(a["message"].get<std::string>().find("TOOL_LIMIT_REACHED"), std::string::npos) << a.dump();
  auto msgs = messages(a["conversationId"]);
  expect_round_limit(msgs);
  EXPECT_EQ(a["messageId"], msgs[9]["id"]);
  // Four tool rounds' model calls and the last one without tools: five usage rows, summed in the answer.
  auto usage = env_->usage(r.header("x-request-id"), 5);
  ASSERT_EQ(usage.size(), 5u);
  long long prompt = 0;
  for (const auto& u : usage) prompt += u["prompt"].get<long long>();
  EXPECT_EQ(a["usage"]["promptTokens"].get<long long>(), prompt);
  // The refused call is not run: three tool.invoked rows, not four.
  EXPECT_EQ(env_->sql("SELECT count(*) FROM audit_logs WHERE action = 'tool.invoked' AND correlation_id::text = '" +
                      r.header("x-request-id") + "'"),
            "3");
  // The stored conversation is valid: the next turn goes on (no open tool call is left for it to answer).
  auto next = send({{"message", "thanks"}, {"conversationId", a["conversationId"]}, {"model", "mockt/echo"}});
  EXPECT_EQ(next.status, 200) << next.body;
}

TEST_F(ChatTools, AStreamedTurnAtTheRoundLimitAnswersTheLastCallsToo) {
  for (const char* model : {"mockt/agent-loop", "mockta/agent-loop"}) {
    auto r = send({{"message", "CALL find_location {\"name\":\"loop\"}"}, {"model", model}, {"tools", "auto"},
                   {"stream", true}});
    ASSERT_EQ(r.status, 200) << model << " " << r.body;
    auto types = event_types(r.body);
    EXPECT_EQ(types.back(), "[DONE]");
    auto calls = events_of(r.body, "tool_call");
    auto results = events_of(r.body, "tool_result");
    ASSERT_EQ(calls.size(), 4u) << model << " " << r.body;
    ASSERT_EQ(results.size(), 4u) << model << " " << r.body;
    for (int i = 0; i < 3; ++i) EXPECT_EQ(results[i]["ok"], true) << results[i].dump();
    EXPECT_EQ(results[3]["ok"], false);
    EXPECT_EQ(results[3]["error"]["code"], "TOOL_LIMIT_REACHED") << results[3].dump();
    EXPECT_EQ(results[3]["toolCallId"], calls[3]["toolCallId"]);
    auto done = events_of(r.body, "done");
    ASSERT_EQ(done.size(), 1u) << r.body;
    EXPECT_GT(index_of(types, "done"), index_of(types, "tool_result"));
    EXPECT_EQ(done[0]["stopReason"], "max_rounds");
    EXPECT_EQ(done[0]["toolRounds"], 3);
    EXPECT_EQ(done[0]["toolLimitReached"], true);
    EXPECT_NE(done[0]["message"].get<std::string>().find("TOOL_LIMIT_REACHED"), std::string::npos) << done[0].dump();
    expect_round_limit(messages(done[0]["conversationId"]));
  }
}

TEST_F(ChatTools, ASlowToolAndBadArgumentsBecomeToolErrorsTheModelSees) {
  auto r = send({{"message", "CALL test_sleep {\"ms\":5000}\nCALL find_assets {\"limit\":500}"},
                 {"model", "mockt/agent"},
                 {"tools", "auto"}});
  ASSERT_EQ(r.status, 200) << r.body;
  std::string answer = r.json()["message"];
  EXPECT_NE(answer.find("TOOL_TIMEOUT"), std::string::npos) << answer;
  EXPECT_NE(answer.find("VALIDATION_ERROR"), std::string::npos) << answer;
  auto msgs = messages(r.json()["conversationId"]);
  ASSERT_EQ(msgs.size(), 5u) << msgs.dump();
  EXPECT_NE(msgs[2]["content"].get<std::string>().find("TOOL_TIMEOUT"), std::string::npos);
  EXPECT_NE(msgs[3]["content"].get<std::string>().find("arguments.limit"), std::string::npos);
}

TEST_F(ChatTools, OnlyToolsTheUserMayUseAreOffered) {
  auto listed = send({{"message", "hello"}, {"model", "mockt/agent"}, {"tools", json::array({"audit_log"})}});
  EXPECT_EQ(listed.status, 400) << listed.body;
  EXPECT_NE(listed.body.find("tools[0]"), std::string::npos);
  auto called = send({{"message", "CALL audit_log {}"}, {"model", "mockt/agent"}, {"tools", "auto"}});
  ASSERT_EQ(called.status, 200) << called.body;
  EXPECT_NE(called.json()["message"].get<std::string>().find("UNKNOWN_TOOL"), std::string::npos) << called.body;
  // The admin-only write tool of the warehouse likewise: never offered to a user, a call of it is not run.
  auto write_listed = send({{"message", "hello"}, {"model", "mockt/agent"}, {"tools", json::array({"create_stock_issue_draft"})}});
  EXPECT_EQ(write_listed.status, 400) << write_listed.body;
  auto write_called = send({{"message", "CALL create_stock_issue_draft {\"warehouseId\":\"00000000-0000-4000-8000-000000000000\","
                                        "\"lines\":[{\"partId\":\"00000000-0000-4000-8000-000000000000\",\"qty\":1}]}"},
                            {"model", "mockt/agent"},
                            {"tools", "auto"}});
  ASSERT_EQ(write_called.status, 200) << write_called.body;
  EXPECT_NE(write_called.json()["message"].get<std::string>().find("UNKNOWN_TOOL"), std::string::npos) << write_called.body;
  EXPECT_EQ(env_->sql("SELECT count(*) FROM stock_documents WHERE warehouse_id = '00000000-0000-4000-8000-000000000000'"), "0");
}

TEST_F(ChatTools, AModelWithoutFunctionsGetsNoTools) {
  auto named = send({{"message", find_call()}, {"model", "mockt/agent-nofn"}, {"tools", json::array({"find_assets"})}});
  EXPECT_EQ(named.status, 422) << named.body;
  auto automatic = send({{"message", find_call()}, {"model", "mockt/agent-nofn"}, {"tools", "auto"}});
  ASSERT_EQ(automatic.status, 200) << automatic.body;
  EXPECT_EQ(automatic.json()["message"], find_call());  // no tools offered: the agent echoes
  EXPECT_FALSE(automatic.json().contains("toolRounds"));
}

TEST_F(ChatTools, AConversationMayEnableToolsForAllItsTurns) {
  auto conv = client.post("/api/conversations", {{"model", "mockt/agent"}, {"metadata", {{"tools", "auto"}}}},
                          user_->auth());
  ASSERT_EQ(conv.status, 201) << conv.body;
  std::string id = conv.json()["id"];
  auto r = send({{"message", find_call()}, {"conversationId", id}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["toolRounds"], 1);
  expect_two_rounds(messages(id), "find_assets");
  auto off = send({{"message", "CALL find_location {\"name\":\"x\"}"}, {"conversationId", id}, {"tools", "none"}});
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(off.json().contains("toolRounds")) << off.body;
}
