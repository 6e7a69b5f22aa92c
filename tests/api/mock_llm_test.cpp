// The simulated upstream (tools/mock-llm) from outside: the gateway's tests trust it to speak the real
// OpenAI Chat Completions and Anthropic Messages wire formats, so this pins those formats down.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>

#include "support/api.hpp"

using namespace netops::test;
using nlohmann::json;

namespace {

json user(const std::string& text) { return {{"role", "user"}, {"content", text}}; }

const json kWeatherTool = {{"type", "object"},
                           {"properties",
                            {{"city", {{"type", "string"}}},
                             {"unit", {{"type", "string"}, {"enum", {"celsius", "fahrenheit"}}}},
                             {"days", {{"type", "integer"}}},
                             {"verbose", {{"type", "boolean"}}},
                             {"note", {{"type", "string"}}}}},
                           {"required", {"city", "unit", "days", "verbose"}}};
const json kWeatherArgs = {{"city", "example"}, {"unit", "celsius"}, {"days", 1}, {"verbose", true}};
const std::vector<std::pair<std::string, std::string>> kAnthropic = {{"anthropic-version", "2023-06-01"}};

}  // namespace

class MockLlm : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { mock_ = new MockLlmProcess(); }
  static void TearDownTestSuite() {
    delete mock_;
    mock_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(client.post("/stats/reset", json::object()).status, 200); }
  json chat(const json& body) {
    auto r = client.post("/v1/chat/completions", body);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  HttpResponse messages(const json& body) { return client.post("/v1/messages", body, kAnthropic); }
  static MockLlmProcess* mock_;
  HttpClient client{mock_->port()};
};
MockLlmProcess* MockLlm::mock_ = nullptr;

TEST_F(MockLlm, HealthModelsAndUnknownPaths) {
  EXPECT_EQ(client.get("/health").json()["status"], "ok");
  auto models = client.get("/v1/models").json();
  EXPECT_EQ(models["object"], "list");
  EXPECT_EQ(models["data"][0]["id"], "echo");
  EXPECT_EQ(models["data"][0]["object"], "model");
  auto nope = client.get("/v1/nothing");
  EXPECT_EQ(nope.status, 404);
  EXPECT_TRUE(nope.json()["error"]["message"].is_string());
  auto bad = client.request("POST", "/v1/chat/completions", "{not json");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["type"], "invalid_request_error");
  EXPECT_EQ(client.post("/v1/chat/completions", {{"model", "echo"}}).status, 400);  // no messages
}

TEST_F(MockLlm, OpenAiEchoWithDeterministicUsage) {
  auto j = chat(
      {{"model", "mock/echo"}, {"messages", {{{"role", "system"}, {"content", "Be brief."}}, user("Hello world")}}});
  EXPECT_EQ(j["id"].get<std::string>().rfind("chatcmpl-", 0), 0u);
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_TRUE(j["created"].is_number_integer());
  EXPECT_EQ(j["model"], "mock/echo");
  EXPECT_EQ(j["system_fingerprint"], "mock");
  auto& choice = j["choices"][0];
  EXPECT_EQ(choice["index"], 0);
  EXPECT_EQ(choice["message"]["role"], "assistant");
  EXPECT_EQ(choice["message"]["content"], "Hello world");
  EXPECT_EQ(choice["finish_reason"], "stop");
  EXPECT_TRUE(choice["logprobs"].is_null());
  // ceil((9 + 11) / 4) + 3 per message = 11; ceil(11 / 4) = 3.
  EXPECT_EQ(j["usage"]["prompt_tokens"], 11);
  EXPECT_EQ(j["usage"]["completion_tokens"], 3);
  EXPECT_EQ(j["usage"]["total_tokens"], 14);
}

TEST_F(MockLlm, OpenAiContentPartsAndMaxTokens) {
  json parts = {{{"type", "text"}, {"text", "Hello "}}, {{"type", "text"}, {"text", "world"}}};
  EXPECT_EQ(chat({{"model", "echo"},
                  {"messages", {{{"role", "user"}, {"content", parts}}}}})["choices"][0]["message"]["content"],
            "Hello world");
  for (auto key : {"max_tokens", "max_completion_tokens"}) {
    auto j = chat({{"model", "echo"}, {key, 1}, {"messages", {user("Hello world")}}});
    EXPECT_EQ(j["choices"][0]["message"]["content"], "Hell") << key;
    EXPECT_EQ(j["choices"][0]["finish_reason"], "length") << key;
    EXPECT_EQ(j["usage"]["completion_tokens"], 1) << key;
  }
}

TEST_F(MockLlm, OpenAiStreamEventSequence) {
  json body = {{"model", "echo"},
               {"stream", true},
               {"stream_options", {{"include_usage", true}}},
               {"messages", {user("Streaming is a sequence of small pieces, héllo ✓")}}};
  auto r = client.post("/v1/chat/completions", body);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type").rfind("text/event-stream", 0), 0u);
  auto events = parse_sse(r.body);
  ASSERT_GE(events.size(), 5u);
  EXPECT_EQ(events.back().data, "[DONE]");
  auto first = json::parse(events[0].data);
  EXPECT_EQ(first["object"], "chat.completion.chunk");
  EXPECT_EQ(first["choices"][0]["delta"]["role"], "assistant");
  EXPECT_EQ(first["choices"][0]["delta"]["content"], "");
  std::string text;
  std::size_t i = 1;
  for (; i < events.size(); ++i) {
    auto c = json::parse(events[i].data);
    EXPECT_EQ(c["id"], first["id"]);
    if (!c["choices"][0]["finish_reason"].is_null()) break;
    text += c["choices"][0]["delta"]["content"].get<std::string>();
  }
  EXPECT_EQ(text, "Streaming is a sequence of small pieces, héllo ✓");
  EXPECT_GT(i, 6u);  // many small pieces, not one
  auto finish = json::parse(events[i].data);
  EXPECT_EQ(finish["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(finish["choices"][0]["delta"], json::object());
  auto usage = json::parse(events[i + 1].data);
  EXPECT_EQ(usage["choices"], json::array());
  auto plain = chat({{"model", "echo"}, {"messages", body["messages"]}});
  EXPECT_EQ(usage["usage"], plain["usage"]);
  EXPECT_EQ(i + 3, events.size());

  body.erase("stream_options");  // without include_usage: no usage chunk at all
  auto without = parse_sse(client.post("/v1/chat/completions", body).body);
  EXPECT_EQ(without.size(), events.size() - 1);
  EXPECT_EQ(r.body.find("\"usage\":{"), r.body.rfind("\"usage\":{"));
}

TEST_F(MockLlm, OpenAiToolCallsAndToolResult) {
  json tools = {{{"type", "function"}, {"function", {{"name", "get_weather"}, {"parameters", kWeatherTool}}}}};
  json body = {{"model", "tools"}, {"messages", {user("Weather in Oslo?")}}, {"tools", tools}};
  auto j = chat(body);
  EXPECT_EQ(j["choices"][0]["finish_reason"], "tool_calls");
  auto& call = j["choices"][0]["message"]["tool_calls"][0];
  EXPECT_TRUE(j["choices"][0]["message"]["content"].is_null());
  EXPECT_EQ(call["id"].get<std::string>().rfind("call_", 0), 0u);
  EXPECT_EQ(call["type"], "function");
  EXPECT_EQ(call["function"]["name"], "get_weather");
  EXPECT_EQ(json::parse(call["function"]["arguments"].get<std::string>()), kWeatherArgs);

  body["stream"] = true;
  auto events = parse_sse(client.post("/v1/chat/completions", body).body);
  auto head = json::parse(events[0].data)["choices"][0]["delta"];
  EXPECT_EQ(head["role"], "assistant");
  EXPECT_EQ(head["tool_calls"][0]["index"], 0);
  EXPECT_EQ(head["tool_calls"][0]["type"], "function");
  EXPECT_EQ(head["tool_calls"][0]["function"]["name"], "get_weather");
  EXPECT_EQ(head["tool_calls"][0]["function"]["arguments"], "");
  std::string args;
  for (std::size_t i = 1; i + 2 < events.size(); ++i)
    args += json::parse(events[i].data)["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"];
  EXPECT_EQ(json::parse(args), kWeatherArgs);
  EXPECT_EQ(json::parse(events[events.size() - 2].data)["choices"][0]["finish_reason"], "tool_calls");

  body.erase("stream");
  body["messages"].push_back({{"role", "assistant"}, {"content", nullptr}, {"tool_calls", json::array({call})}});
  body["messages"].push_back({{"role", "tool"}, {"tool_call_id", call["id"]}, {"content", "12 degrees"}});
  auto done = chat(body);
  EXPECT_EQ(done["choices"][0]["message"]["content"], "Tool result: 12 degrees");
  EXPECT_EQ(done["choices"][0]["finish_reason"], "stop");
}

TEST_F(MockLlm, ProviderErrorBodies) {
  for (int status : {400, 401, 403, 404, 429, 500, 503}) {
    auto r =
        client.post("/v1/chat/completions", {{"model", "fail-" + std::to_string(status)}, {"messages", {user("x")}}});
    ASSERT_EQ(r.status, status);
    auto e = r.json()["error"];
    EXPECT_TRUE(e["message"].is_string());
    EXPECT_TRUE(e["type"].is_string());
    EXPECT_TRUE(e.contains("param"));
    EXPECT_TRUE(e["code"].is_string());
    EXPECT_EQ(r.header("retry-after"), status == 429 ? "1" : "");
  }
  EXPECT_EQ(
      client.post("/v1/chat/completions", {{"model", "fail-401"}, {"messages", {user("x")}}}).json()["error"]["code"],
      "invalid_api_key");
  for (auto [status, type] : std::vector<std::pair<int, std::string>>{{400, "invalid_request_error"},
                                                                      {401, "authentication_error"},
                                                                      {403, "permission_error"},
                                                                      {404, "not_found_error"},
                                                                      {429, "rate_limit_error"},
                                                                      {500, "api_error"},
                                                                      {529, "overloaded_error"}}) {
    auto r = messages({{"model", "fail-" + std::to_string(status)}, {"max_tokens", 10}, {"messages", {user("x")}}});
    ASSERT_EQ(r.status, status);
    EXPECT_EQ(r.json()["type"], "error");
    EXPECT_EQ(r.json()["error"]["type"], type);
    EXPECT_TRUE(r.json()["error"]["message"].is_string());
  }
}

TEST_F(MockLlm, FlakyFailsFirstCallsThenRecoversAndStatsCount) {
  json body = {{"model", "flaky-2"}, {"messages", {user("x")}}};
  EXPECT_EQ(client.post("/v1/chat/completions", body).status, 503);
  EXPECT_EQ(client.post("/v1/chat/completions", body).json()["error"]["type"], "service_unavailable");
  EXPECT_EQ(client.post("/v1/chat/completions", body).status, 200);
  EXPECT_EQ(client.post("/v1/chat/completions", body).status, 200);
  EXPECT_EQ(
      client.post("/v1/messages", {{"model", "p/flaky-1"}, {"max_tokens", 5}, {"messages", {user("x")}}}, kAnthropic)
          .status,
      503);
  auto stats = client.get("/stats").json();
  EXPECT_EQ(stats["requests"]["flaky-2"], 4);
  EXPECT_EQ(stats["requests"]["p/flaky-1"], 1);
  EXPECT_EQ(stats["total"], 5);
  client.post("/stats/reset", json::object());
  EXPECT_EQ(client.get("/stats").json()["total"], 0);
  EXPECT_EQ(client.post("/v1/chat/completions", body).status, 503);  // flaky counters reset too
}

TEST_F(MockLlm, NoUsageHedgeLongAndSlow) {
  auto j = chat({{"model", "nousage"}, {"messages", {user("x")}}});
  EXPECT_FALSE(j.contains("usage"));
  auto s = client.post("/v1/chat/completions", {{"model", "nousage"},
                                                {"stream", true},
                                                {"stream_options", {{"include_usage", true}}},
                                                {"messages", {user("x")}}});
  EXPECT_EQ(s.body.find("\"usage\""), std::string::npos);
  auto a = messages({{"model", "nousage"}, {"max_tokens", 5}, {"stream", true}, {"messages", {user("x")}}});
  EXPECT_EQ(a.body.find("\"usage\""), std::string::npos);

  auto hedge = chat({{"model", "hedge"}, {"messages", {user("Is the switch healthy?")}}});
  EXPECT_NE(hedge["choices"][0]["message"]["content"].get<std::string>().find("not sure"), std::string::npos);

  auto long_events = parse_sse(
      client.post("/v1/chat/completions", {{"model", "long-50"}, {"stream", true}, {"messages", {user("x")}}}).body);
  std::string words;
  for (std::size_t i = 1; i + 2 < long_events.size(); ++i)
    words += json::parse(long_events[i].data)["choices"][0]["delta"]["content"].get<std::string>();
  EXPECT_EQ(std::count(words.begin(), words.end(), ' '), 49);  // 50 words
  EXPECT_GE(long_events.size(), 50u + 3u);                     // a chunk per word (or less) + role, finish, [DONE]

  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(chat({{"model", "slow-250"}, {"messages", {user("late")}}})["choices"][0]["message"]["content"], "late");
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(250));
}

TEST_F(MockLlm, AnthropicValidation) {
  auto no_version = client.post("/v1/messages", {{"model", "echo"}, {"max_tokens", 5}, {"messages", {user("x")}}});
  EXPECT_EQ(no_version.status, 400);
  EXPECT_EQ(no_version.json()["error"]["type"], "invalid_request_error");
  auto no_max = messages({{"model", "echo"}, {"messages", {user("x")}}});
  EXPECT_EQ(no_max.status, 400);
  EXPECT_EQ(no_max.json()["type"], "error");
  EXPECT_EQ(client.request("POST", "/v1/messages", "{oops", kAnthropic).status, 400);
}

TEST_F(MockLlm, AnthropicMessageAndCacheTokens) {
  auto r = messages({{"model", "anthropic/echo"},
                     {"max_tokens", 100},
                     {"system", "Be brief."},
                     {"messages", {{{"role", "user"}, {"content", {{{"type", "text"}, {"text", "Hello world"}}}}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["id"].get<std::string>().rfind("msg_", 0), 0u);
  EXPECT_EQ(j["type"], "message");
  EXPECT_EQ(j["role"], "assistant");
  EXPECT_EQ(j["model"], "anthropic/echo");
  EXPECT_EQ(j["content"], json::parse(R"([{"type":"text","text":"Hello world"}])"));
  EXPECT_EQ(j["stop_reason"], "end_turn");
  EXPECT_TRUE(j["stop_sequence"].is_null());
  EXPECT_EQ(j["usage"], json::parse(R"({"input_tokens":11,"cache_creation_input_tokens":0,
                                       "cache_read_input_tokens":0,"output_tokens":3})"));

  json system = {{{"type", "text"}, {"text", "Be brief."}, {"cache_control", {{"type", "ephemeral"}}}}};
  auto cached =
      messages({{"model", "echo"}, {"max_tokens", 1}, {"system", system}, {"messages", {user("Hello world")}}}).json();
  EXPECT_EQ(cached["usage"]["cache_read_input_tokens"], 5);
  EXPECT_EQ(cached["usage"]["input_tokens"], 6);
  EXPECT_EQ(cached["stop_reason"], "max_tokens");
  EXPECT_EQ(cached["content"][0]["text"], "Hell");
}

TEST_F(MockLlm, AnthropicStreamEventSequence) {
  auto r = messages(
      {{"model", "echo"}, {"max_tokens", 100}, {"stream", true}, {"messages", {user("Hello streaming world")}}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type").rfind("text/event-stream", 0), 0u);
  auto events = parse_sse(r.body);
  std::vector<std::string> names;
  std::string text;
  for (auto& e : events) {
    auto d = json::parse(e.data);
    EXPECT_EQ(d["type"], e.event);
    if (names.empty() || names.back() != e.event) names.push_back(e.event);
    if (e.event == "content_block_delta") text += d["delta"]["text"].get<std::string>();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"message_start", "content_block_start", "ping", "content_block_delta",
                                             "content_block_stop", "message_delta", "message_stop"}));
  EXPECT_EQ(text, "Hello streaming world");
  auto start = json::parse(events[0].data)["message"];
  EXPECT_EQ(start["content"], json::array());
  EXPECT_EQ(start["usage"]["input_tokens"], 9);
  EXPECT_EQ(start["usage"]["output_tokens"], 1);
  EXPECT_EQ(json::parse(events[1].data)["content_block"], json::parse(R"({"type":"text","text":""})"));
  auto delta = json::parse(events[events.size() - 2].data);
  EXPECT_EQ(delta["delta"]["stop_reason"], "end_turn");
  EXPECT_EQ(delta["usage"]["output_tokens"], 6);
}

TEST_F(MockLlm, AnthropicToolUseAndToolResult) {
  json tools = {{{"name", "get_weather"}, {"input_schema", kWeatherTool}}};
  json body = {{"model", "tools"}, {"max_tokens", 100}, {"messages", {user("Weather?")}}, {"tools", tools}};
  auto j = messages(body).json();
  EXPECT_EQ(j["stop_reason"], "tool_use");
  auto block = j["content"][0];
  EXPECT_EQ(block["type"], "tool_use");
  EXPECT_EQ(block["id"].get<std::string>().rfind("toolu_", 0), 0u);
  EXPECT_EQ(block["input"], kWeatherArgs);

  body["stream"] = true;
  auto events = parse_sse(messages(body).body);
  auto start = json::parse(events[1].data)["content_block"];
  EXPECT_EQ(start["type"], "tool_use");
  EXPECT_EQ(start["name"], "get_weather");
  EXPECT_EQ(start["input"], json::object());
  std::string partial;
  for (auto& e : events)
    if (e.event == "content_block_delta") {
      auto d = json::parse(e.data)["delta"];
      EXPECT_EQ(d["type"], "input_json_delta");
      partial += d["partial_json"].get<std::string>();
    }
  EXPECT_EQ(json::parse(partial), kWeatherArgs);
  EXPECT_EQ(json::parse(events[events.size() - 2].data)["delta"]["stop_reason"], "tool_use");

  body.erase("stream");
  body["messages"].push_back({{"role", "assistant"}, {"content", json::array({block})}});
  body["messages"].push_back(
      {{"role", "user"},
       {"content", {{{"type", "tool_result"}, {"tool_use_id", block["id"]}, {"content", "12 degrees"}}}}});
  auto done = messages(body).json();
  EXPECT_EQ(done["content"][0]["text"], "Tool result: 12 degrees");
  EXPECT_EQ(done["stop_reason"], "end_turn");
}

TEST(MockLlmProcess, RequiredKeyPerProviderAndCleanStop) {
  MockLlmProcess mock({"--require-key", "sk-mock"});
  HttpClient c(mock.port());
  json openai = {{"model", "echo"}, {"messages", {user("x")}}};
  auto missing = c.post("/v1/chat/completions", openai);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.json()["error"]["code"], "invalid_api_key");
  EXPECT_EQ(c.post("/v1/chat/completions", openai, {{"Authorization", "Bearer wrong"}}).status, 401);
  EXPECT_EQ(c.post("/v1/chat/completions", openai, {{"Authorization", "Bearer sk-mock"}}).status, 200);
  json anthropic = {{"model", "echo"}, {"max_tokens", 5}, {"messages", {user("x")}}};
  auto denied = c.post("/v1/messages", anthropic, kAnthropic);
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.json()["error"]["type"], "authentication_error");
  EXPECT_EQ(c.post("/v1/messages", anthropic, {{"anthropic-version", "2023-06-01"}, {"x-api-key", "sk-mock"}}).status,
            200);
  EXPECT_EQ(mock.stop(), 0);
}

TEST(MockLlmProcess, ClientGoneMidStreamStopsAndIsCounted) {
  MockLlmProcess mock({"--chunk-delay-us", "5000"});
  HttpClient c(mock.port());
  std::string body = json{{"model", "long-2000"}, {"stream", true}, {"messages", {user("x")}}}.dump();
  std::string partial;
  {  // reads the start of a 10 s stream, then hangs up
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket sock(ioc);
    sock.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(mock.port())});
    boost::asio::write(sock, boost::asio::buffer("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
                                                 "Content-Type: application/json\r\nContent-Length: " +
                                                 std::to_string(body.size()) + "\r\n\r\n" + body));
    char buf[4096];
    while (partial.find("ipsum") == std::string::npos) partial.append(buf, sock.read_some(boost::asio::buffer(buf)));
  }
  EXPECT_NE(partial.find("data: {"), std::string::npos);
  EXPECT_TRUE(eventually([&] { return c.get("/stats").json()["disconnects"] == 1; }, 3000));
  EXPECT_EQ(c.get("/health").status, 200);
}
