// The Anthropic Messages API in front of the orchestrator (POST /v1/messages, /v1/messages/count_tokens):
// Anthropic wire format in and out, to OpenAI-compatible (translated) and Anthropic providers, plain and
// streamed, with tools, errors in Anthropic's shape, and the same accounting as completions.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "gateway_fixture.hpp"
#include "support/sse.hpp"

using namespace gwtest;

namespace {

struct Streamed {
  std::vector<std::string> types;  // event names in order
  std::string text, partial_json, tool_name, stop_reason;
  json start_usage, final_usage;
  bool consistent = true;  // every event's name equals its data's "type"
};

Streamed read_stream(const std::string& body) {
  Streamed s;
  for (auto& e : parse_sse(body)) {
    json d = json::parse(e.data);
    s.types.push_back(e.event);
    if (d.value("type", "") != e.event) s.consistent = false;
    if (e.event == "message_start") s.start_usage = d["message"]["usage"];
    if (e.event == "content_block_start" && d["content_block"]["type"] == "tool_use")
      s.tool_name = d["content_block"]["name"].get<std::string>();
    if (e.event == "content_block_delta") {
      if (d["delta"]["type"] == "text_delta") s.text += d["delta"]["text"].get<std::string>();
      if (d["delta"]["type"] == "input_json_delta") s.partial_json += d["delta"]["partial_json"].get<std::string>();
    }
    if (e.event == "message_delta") {
      s.stop_reason = d["delta"]["stop_reason"].get<std::string>();
      s.final_usage = d["usage"];
    }
  }
  return s;
}

json weather_tool() {
  return {{"name", "get_weather"},
          {"description", "Weather of a city"},
          {"input_schema", {{"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}, {"required", {"city"}}}}};
}

}  // namespace

class Messages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new GatewayEnv();
    env_->start("gateway_messages", {{"NETOPS_UPSTREAM_RETRY_BASE_MS", "5"},
                                     {"NETOPS_ACCOUNTING_FLUSH_MS", "50"},
                                     {"NETOPS_BUDGET_PRO_DAILY_TOKENS", "60"},
                                     {"NETOPS_RATE_LIMIT_FREE", "100000"}});
    auto& e = *env_;
    e.provider("mocka", e.mock_url() + "/v1", "bearer");
    e.provider("mockant", e.mock_url(), "x-api-key");
    e.model("mocka/echo", "mocka", 0, {{"priority", 1}});
    e.model("mocka/tools", "mocka", 1, {{"priority", 500}});
    e.model("mocka/fail-400-x", "mocka", 0, {{"priority", 500}});
    e.model("mocka/fail-503-m", "mocka", 0, {{"priority", 500}});
    e.model("mockant/echo", "mockant", 1, {{"priority", 500}});
    e.model("mockant/tools", "mockant", 1, {{"priority", 500}});
    e.rule("m/fallback", "fallback", {"mocka/fail-503-m", "mockant/echo"}, {{"maxRetries", 0}});
    HttpClient c(e.server->port());
    auto key = c.post("/api/keys", {{"name", "anthropic-sdk"}}, e.admin());
    key_ = key.json()["key"].get<std::string>();
  }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }

  // POST path as the admin's API key via x-api-key (as the Anthropic SDK sends it), fresh request id.
  HttpResponse post(const std::string& path, const json& body, std::string& rid, Headers who = {}) {
    rid = unique_id("msg");
    if (who.empty()) who = {{"x-api-key", key_}, {"anthropic-version", "2023-06-01"}};
    who.emplace_back("X-Request-Id", rid);
    return client.post(path, body, who);
  }
  HttpResponse messages(const json& body, std::string& rid, Headers who = {}) {
    return post("/v1/messages", body, rid, std::move(who));
  }

  static GatewayEnv* env_;
  static std::string key_;
  HttpClient client{env_->server->port()};
};
GatewayEnv* Messages::env_ = nullptr;
std::string Messages::key_;

TEST_F(Messages, PlainTextThroughBothProviderFormatsIsAccounted) {
  const std::string sys = "Be brief.", text = "Hello from the Anthropic SDK";
  long long prompt = ceil4(sys.size() + text.size()) + 6, completion = ceil4(text.size());
  for (std::string model : {"mocka/echo", "mockant/echo"}) {
    std::string rid;
    auto r = messages({{"model", model}, {"max_tokens", 256}, {"system", sys}, {"messages", {user_msg(text)}}}, rid);
    ASSERT_EQ(r.status, 200) << model << " " << r.body;
    auto j = r.json();
    EXPECT_EQ(j["type"], "message");
    EXPECT_EQ(j["role"], "assistant");
    EXPECT_EQ(j["model"], model);
    EXPECT_EQ(j["id"].get<std::string>().rfind("msg_", 0), 0u);
    ASSERT_EQ(j["content"].size(), 1u) << j.dump();
    EXPECT_EQ(j["content"][0]["type"], "text");
    EXPECT_EQ(j["content"][0]["text"], text);
    EXPECT_EQ(j["stop_reason"], "end_turn");
    EXPECT_TRUE(j["stop_sequence"].is_null());
    EXPECT_EQ(j["usage"]["input_tokens"], prompt) << model;
    EXPECT_EQ(j["usage"]["output_tokens"], completion);
    EXPECT_EQ(r.header("x-netops-model"), model);
    EXPECT_EQ(r.header("x-netops-attempts"), "1");
    auto rows = env_->usage(rid);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0]["model"], model);
    EXPECT_EQ(rows[0]["prompt"], prompt);
    EXPECT_EQ(rows[0]["completion"], completion);
    EXPECT_EQ(rows[0]["cost"], cost_text(prompt, completion));
    EXPECT_EQ(rows[0]["status"], "success");
    EXPECT_EQ(rows[0]["estimated"], false);
  }
}

TEST_F(Messages, SystemBlocksImagesAndBearerAuth) {
  std::string rid;
  json content = json::array({{{"type", "image"},
                               {"source", {{"type", "base64"}, {"media_type", "image/png"}, {"data", "iVBORw0KGgo="}}}},
                              {{"type", "text"}, {"text", "what is this"}}});
  json body = {{"model", "mockant/echo"},
               {"max_tokens", 64},
               {"system", json::array({{{"type", "text"}, {"text", "sys"}, {"cache_control", {{"type", "ephemeral"}}}}})},
               {"messages", {{{"role", "user"}, {"content", content}}}},
               {"temperature", 0.2},
               {"top_p", 0.9},
               {"stop_sequences", {"###"}},
               {"metadata", {{"user_id", "u-1"}}}};
  auto r = messages(body, rid, {{"Authorization", "Bearer " + key_}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["content"][0]["text"], "what is this");
  // cache_control reached the Anthropic upstream: the mock then reports half the prompt as cache reads.
  EXPECT_GT(r.json()["usage"]["cache_read_input_tokens"].get<long long>(), 0) << r.body;
  auto rows = env_->usage(rid);
  EXPECT_GT(rows[0]["cacheRead"].get<long long>(), 0);
}

TEST_F(Messages, ToolUseRoundTripBothFormats) {
  for (std::string model : {"mocka/tools", "mockant/tools"}) {
    std::string rid;
    json body = {{"model", model},
                 {"max_tokens", 200},
                 {"tools", {weather_tool()}},
                 {"tool_choice", {{"type", "auto"}}},
                 {"messages", {user_msg("weather in Paris?")}}};
    auto r = messages(body, rid);
    ASSERT_EQ(r.status, 200) << model << r.body;
    auto j = r.json();
    EXPECT_EQ(j["stop_reason"], "tool_use") << j.dump();
    ASSERT_FALSE(j["content"].empty());
    auto call = j["content"].back();
    EXPECT_EQ(call["type"], "tool_use");
    EXPECT_EQ(call["name"], "get_weather");
    EXPECT_EQ(call["input"], json({{"city", "example"}}));
    // Second turn: the assistant's tool_use and the user's tool_result.
    body["messages"] = json::array(
        {user_msg("weather in Paris?"),
         {{"role", "assistant"}, {"content", j["content"]}},
         {{"role", "user"},
          {"content", {{{"type", "tool_result"}, {"tool_use_id", call["id"]}, {"content", "sunny, 21C"}}}}}});
    auto r2 = messages(body, rid);
    ASSERT_EQ(r2.status, 200) << model << r2.body;
    EXPECT_EQ(r2.json()["content"][0]["text"], "Tool result: sunny, 21C");
    EXPECT_EQ(r2.json()["stop_reason"], "end_turn");
  }
}

TEST_F(Messages, StreamedTextHasTheAnthropicEventSequence) {
  const std::string text = "Stream this answer through the gateway please";
  long long prompt = ceil4(text.size()) + 3, completion = ceil4(text.size());
  for (std::string model : {"mocka/echo", "mockant/echo"}) {
    std::string rid;
    auto r = messages({{"model", model}, {"max_tokens", 256}, {"stream", true}, {"messages", {user_msg(text)}}}, rid);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type").rfind("text/event-stream", 0), 0u);
    EXPECT_EQ(r.header("x-netops-model"), model);
    auto s = read_stream(r.body);
    EXPECT_TRUE(s.consistent) << r.body;
    ASSERT_GE(s.types.size(), 7u) << r.body;
    EXPECT_EQ(s.types[0], "message_start");
    EXPECT_EQ(s.types[1], "content_block_start");
    EXPECT_EQ(s.types[2], "ping");
    EXPECT_EQ(s.types[3], "content_block_delta");
    EXPECT_EQ(s.types[s.types.size() - 3], "content_block_stop");
    EXPECT_EQ(s.types[s.types.size() - 2], "message_delta");
    EXPECT_EQ(s.types.back(), "message_stop");
    EXPECT_EQ(s.text, text);
    EXPECT_EQ(s.stop_reason, "end_turn");
    EXPECT_EQ(s.start_usage["input_tokens"], prompt);  // the gateway's estimate equals the mock's rule
    EXPECT_EQ(s.final_usage["output_tokens"], completion) << model;
    EXPECT_EQ(s.final_usage["input_tokens"], prompt) << model;
    auto rows = env_->usage(rid);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0]["prompt"], prompt);
    EXPECT_EQ(rows[0]["completion"], completion);
    EXPECT_EQ(rows[0]["status"], "success");
    EXPECT_EQ(rows[0]["estimated"], false);
  }
}

TEST_F(Messages, StreamedToolUseSendsInputJsonDeltas) {
  for (std::string model : {"mocka/tools", "mockant/tools"}) {
    std::string rid;
    auto r = messages({{"model", model},
                       {"max_tokens", 200},
                       {"stream", true},
                       {"tools", {weather_tool()}},
                       {"messages", {user_msg("weather?")}}},
                      rid);
    ASSERT_EQ(r.status, 200) << r.body;
    auto s = read_stream(r.body);
    EXPECT_EQ(s.tool_name, "get_weather") << r.body;
    EXPECT_EQ(json::parse(s.partial_json), json({{"city", "example"}})) << r.body;
    EXPECT_EQ(s.stop_reason, "tool_use");
    EXPECT_EQ(s.types.back(), "message_stop");
    EXPECT_EQ(env_->usage(rid)[0]["status"], "success");
  }
}

TEST_F(Messages, FailoverAndErrorsInAnthropicShape) {
  std::string rid;
  auto r = messages({{"model", "m/fallback"}, {"max_tokens", 10}, {"messages", {user_msg("fail over")}}}, rid);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["content"][0]["text"], "fail over");
  EXPECT_EQ(r.header("x-netops-attempts"), "2");
  EXPECT_EQ(env_->usage(rid, 2).size(), 2u);

  auto bad = messages({{"model", "mocka/echo"}, {"messages", {user_msg("x")}}}, rid);
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["type"], "error");
  EXPECT_EQ(bad.json()["error"]["type"], "invalid_request_error");
  EXPECT_NE(bad.json()["error"]["message"].get<std::string>().find("max_tokens"), std::string::npos);

  bad = messages({{"model", "mocka/echo"}, {"max_tokens", 5}, {"messages", {{{"role", "system"}, {"content", "x"}}}}}, rid);
  ASSERT_EQ(bad.status, 400);
  EXPECT_NE(bad.json()["error"]["message"].get<std::string>().find("messages[0].role"), std::string::npos) << bad.body;

  auto missing = messages({{"model", "nosuch/model"}, {"max_tokens", 5}, {"messages", {user_msg("x")}}}, rid);
  ASSERT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["error"]["type"], "not_found_error");

  auto rejected = messages({{"model", "mocka/fail-400-x"}, {"max_tokens", 5}, {"messages", {user_msg("x")}}}, rid);
  ASSERT_EQ(rejected.status, 400);
  EXPECT_EQ(rejected.json()["type"], "error");

  auto malformed = client.request("POST", "/v1/messages", "{nope", {{"x-api-key", key_}});
  ASSERT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.json()["type"], "error");

  EXPECT_EQ(client.post("/v1/messages", {{"model", "mocka/echo"}, {"max_tokens", 5}, {"messages", {user_msg("x")}}}).status, 401);
  EXPECT_EQ(client.post("/v1/messages", {{"model", "mocka/echo"}, {"max_tokens", 5}, {"messages", {user_msg("x")}}},
                        {{"x-api-key", "nk_wrong"}}).status, 401);
}

// Refusals raised before the handler (the pipeline's authentication, the server's body limit) come in
// Anthropic's shape on /v1/messages too: the official SDK parses {"type":"error","error":{"type",…}}.
// Fields of the wrong type where a string belongs are a 400 naming the field (they were 500s).
TEST_F(Messages, WrongTypedFieldsAreA400NamingTheField) {
  std::string rid;
  json base = {{"model", "mocka/echo"}, {"max_tokens", 5}};
  std::vector<std::pair<json, std::string>> cases;
  json b = base;
  b["messages"] = {{{"role", "user"}, {"content", {{{"type", {{"a", 1}}}, {"text", "hi"}}}}}};
  cases.emplace_back(b, "messages[0].content[0].type");
  b = base;
  b["messages"] = {{{"role", 7}, {"content", "hi"}}};
  cases.emplace_back(b, "messages[0].role");
  b = base;
  b["messages"] = {user_msg("hi")};
  b["system"] = {{{"type", 1}, {"text", "s"}}};
  cases.emplace_back(b, "system[0]");
  b = base;
  b["messages"] = {user_msg("hi")};
  b["tools"] = {{{"type", 3}, {"name", "t"}, {"input_schema", {{"type", "object"}}}}};
  cases.emplace_back(b, "tools[0].type");
  for (auto& [body, field] : cases) {
    auto r = messages(body, rid);
    ASSERT_EQ(r.status, 400) << body.dump() << " -> " << r.body;
    EXPECT_EQ(r.json()["error"]["type"], "invalid_request_error");
    EXPECT_NE(r.json()["error"]["message"].get<std::string>().find(field), std::string::npos) << r.body;
  }
}

TEST_F(Messages, RefusalsBeforeTheHandlerAreInAnthropicShape) {
  json body = {{"model", "mocka/echo"}, {"max_tokens", 5}, {"messages", {user_msg("x")}}};
  for (const Headers& who : {Headers{}, Headers{{"x-api-key", "nk_wrong"}}}) {
    auto r = client.post("/v1/messages", body, who);
    ASSERT_EQ(r.status, 401) << r.body;
    EXPECT_EQ(r.json()["type"], "error") << r.body;
    EXPECT_EQ(r.json()["error"]["type"], "authentication_error") << r.body;
    EXPECT_FALSE(r.json()["error"]["message"].get<std::string>().empty());
  }
  auto counted = client.post("/v1/messages/count_tokens", body, Headers{{"x-api-key", "nk_wrong"}});
  ASSERT_EQ(counted.status, 401);
  EXPECT_EQ(counted.json()["error"]["type"], "authentication_error") << counted.body;

  // A declared body over the route's limit: refused by the server before it reads a byte of it.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket sock(ioc);
  sock.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(env_->server->port())});
  boost::asio::write(sock, boost::asio::buffer("POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: " + key_ +
                                               "\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\n\r\n"));
  std::string raw;
  char buf[4096];
  boost::system::error_code ec;
  while (!ec) raw.append(buf, sock.read_some(boost::asio::buffer(buf), ec));  // the server closes after it
  ASSERT_NE(raw.find(" 413 "), std::string::npos) << raw;
  json err = json::parse(raw.substr(raw.find("\r\n\r\n") + 4));
  EXPECT_EQ(err["type"], "error") << raw;
  EXPECT_EQ(err["error"]["type"], "request_too_large") << raw;

  // Other routes keep the SPEC envelope.
  auto chat = client.post("/v1/chat/completions", {{"model", "mocka/echo"}, {"messages", {user_msg("x")}}},
                          Headers{{"authorization", "Bearer nk_wrong"}});
  ASSERT_EQ(chat.status, 401);
  EXPECT_TRUE(chat.json()["error"].contains("code")) << chat.body;
}

TEST_F(Messages, BudgetRefusalIsAnAnthropicRateLimitError) {
  auto u = new_user(env_->server->port(), env_->admin_token, "user", "pro");  // 60 tokens a day (suite env)
  Headers who = {{"Authorization", "Bearer " + u.token}};
  std::string rid;
  std::string text(300, 'a');
  auto first = messages({{"model", "mocka/echo"}, {"max_tokens", 500}, {"messages", {user_msg(text)}}}, rid, who);
  ASSERT_EQ(first.status, 200) << first.body;
  HttpResponse r;
  ASSERT_TRUE(eventually([&] {
    r = messages({{"model", "mocka/echo"}, {"max_tokens", 5}, {"messages", {user_msg("x")}}}, rid, who);
    return r.status == 429;
  }, 5000, "budget refusal"));
  EXPECT_EQ(r.json()["type"], "error");
  EXPECT_EQ(r.json()["error"]["type"], "rate_limit_error");
  EXPECT_FALSE(r.header("retry-after").empty());
}

TEST_F(Messages, CountTokensEstimates) {
  std::string rid;
  const std::string sys = "You are terse.", text = "Count these tokens please";
  auto r = post("/v1/messages/count_tokens", {{"model", "mocka/echo"}, {"system", sys}, {"messages", {user_msg(text)}}}, rid);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["input_tokens"], ceil4(sys.size()) + ceil4(text.size()) + 6);
  auto bad = post("/v1/messages/count_tokens", {{"model", "mocka/echo"}}, rid);
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["type"], "invalid_request_error");
}
