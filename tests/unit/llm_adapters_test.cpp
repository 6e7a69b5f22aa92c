#include <gtest/gtest.h>

#include "core/error.hpp"
#include "llm/anthropic.hpp"
#include "llm/openai.hpp"

// Request/response translation for both adapter families; streams are in llm_streams_test.cpp.

using namespace netops;
using json = nlohmann::json;

// ── OpenAI-compatible ──────────────────────────────────────────────────────────────────────────────────

TEST(LlmOpenAiRequest, RenamesModelAndAsksStreamsForUsage) {
  json client = {{"model", "openai/gpt-4o"},
                 {"messages", json::array({{{"role", "user"}, {"content", "hi"}}})},
                 {"stream", true},
                 {"stream_options", {{"foo", 1}}},
                 {"temperature", 0.2}};
  auto up = openai_request(client, "gpt-4o", true);
  EXPECT_EQ(up["model"], "gpt-4o");
  EXPECT_EQ(up["stream"], true);
  EXPECT_EQ(up["stream_options"], json({{"foo", 1}, {"include_usage", true}}));
  EXPECT_EQ(up["temperature"], 0.2);
  EXPECT_EQ(up["messages"], client["messages"]);
  EXPECT_FALSE(client_wants_usage(client));
  client["stream_options"]["include_usage"] = true;
  EXPECT_TRUE(client_wants_usage(client));

  auto plain = openai_request(client, "gpt-4o", false);
  EXPECT_FALSE(plain.contains("stream"));
  EXPECT_FALSE(plain.contains("stream_options"));
}

TEST(LlmOpenAiResponse, RestoresClientModelAndSplitsCachedTokens) {
  auto body = json::parse(R"({"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-2024-08-06",
    "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there."},"finish_reason":"stop"}],
    "usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,"prompt_tokens_details":{"cached_tokens":60}}})");
  auto r = parse_openai_response(body, "openai/gpt-4o");
  EXPECT_EQ(r.response["model"], "openai/gpt-4o");
  EXPECT_EQ(r.response["usage"], body["usage"]);  // the client sees the upstream's usage untouched
  EXPECT_EQ(r.text, "Hello there.");
  EXPECT_EQ(r.finish_reason, "stop");
  EXPECT_TRUE(r.usage.reported);
  EXPECT_EQ(r.usage.prompt_tokens, 40);
  EXPECT_EQ(r.usage.cache_read_tokens, 60);
  EXPECT_EQ(r.usage.completion_tokens, 20);
  EXPECT_EQ(r.usage.prompt_total(), 100);
  EXPECT_EQ(r.usage.total(), 120);

  body.erase("usage");
  body["choices"][0]["message"]["content"] = nullptr;
  body["choices"][0]["finish_reason"] = "tool_calls";
  auto t = parse_openai_response(body, "m");
  EXPECT_FALSE(t.usage.reported);
  EXPECT_EQ(t.text, "");
  EXPECT_EQ(t.finish_reason, "tool_calls");
}

TEST(LlmOpenAiError, ExtractsMessagesAndNeverEchoesKeys) {
  struct Case {
    int status;
    std::string body, expected;
  };
  const Case cases[] = {
      {401, R"({"error":{"message":"Incorrect API key provided: sk-proj-****abcd. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","code":"invalid_api_key"}})",
       "Incorrect API key provided: [redacted] You can find your API key at https://platform.openai.com/account/api-keys."},
      {404, R"({"error":"model 'llama9' not found"})", "model 'llama9' not found"},
      {400, R"({"object":"error","message":"max_tokens is too large","type":"BadRequestError"})", "max_tokens is too large"},
      {422, R"({"detail":"bad input"})", "bad input"},
      {502, "<html><body>Bad gateway Authorization: Bearer abc</body></html>", "upstream returned HTTP 502"},
      {500, "", "upstream returned HTTP 500"},
      {401, R"({"error":{"message":"header was Bearer short1"}})", "header was Bearer [redacted]"},
      {400, R"({"error":{"message":"token 0123456789abcdefghij0123456789abcdef is invalid"}})", "token [redacted] is invalid"},
  };
  for (const auto& c : cases) EXPECT_EQ(error_message(c.status, c.body), c.expected) << c.body;
  auto long_msg = json{{"error", {{"message", std::string(1000, 'x')}}}}.dump();
  EXPECT_LE(error_message(400, long_msg).size(), 304u);
}

// ── Anthropic: request translation ─────────────────────────────────────────────────────────────────────

TEST(LlmAnthropicRequest, TranslatesSystemImagesToolsAndMergesTurns) {
  auto req = json::parse(R"({
    "model":"anthropic/claude-sonnet-4",
    "messages":[
      {"role":"system","content":"You are terse."},
      {"role":"developer","content":[{"type":"text","text":"Answer in English."}]},
      {"role":"user","content":"Look at this"},
      {"role":"user","content":[
        {"type":"text","text":"and this"},
        {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
        {"type":"image_url","image_url":{"url":"https://example.com/rack.jpg","detail":"high"}}]},
      {"role":"assistant","content":"Checking.","tool_calls":[
        {"id":"call_1","type":"function","function":{"name":"get_asset","arguments":"{\"code\":\"SW-01\"}"}},
        {"id":"call_2","type":"function","function":{"name":"list_alerts","arguments":""}}]},
      {"role":"tool","tool_call_id":"call_1","content":"{\"status\":\"in_use\"}"},
      {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"none"}]},
      {"role":"user","content":"Summarise"}
    ],
    "tools":[{"type":"function","function":{"name":"get_asset","description":"Look up an asset",
      "parameters":{"type":"object","properties":{"code":{"type":"string"}},"required":["code"]}}},
      {"type":"function","function":{"name":"list_alerts"}}],
    "tool_choice":"auto",
    "max_tokens":300, "temperature":1.7, "top_p":0.9, "stop":"END", "user":"u-42",
    "n":1, "presence_penalty":0.5, "stream":true
  })");
  auto a = anthropic_request(req, "claude-sonnet-4-20250514", true, 4096);
  auto expected_messages = json::parse(R"([
    {"role":"user","content":[
      {"type":"text","text":"Look at this"},
      {"type":"text","text":"and this"},
      {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
      {"type":"image","source":{"type":"url","url":"https://example.com/rack.jpg"}}]},
    {"role":"assistant","content":[
      {"type":"text","text":"Checking."},
      {"type":"tool_use","id":"call_1","name":"get_asset","input":{"code":"SW-01"}},
      {"type":"tool_use","id":"call_2","name":"list_alerts","input":{}}]},
    {"role":"user","content":[
      {"type":"tool_result","tool_use_id":"call_1","content":[{"type":"text","text":"{\"status\":\"in_use\"}"}]},
      {"type":"tool_result","tool_use_id":"call_2","content":[{"type":"text","text":"none"}]},
      {"type":"text","text":"Summarise"}]}
  ])");
  EXPECT_EQ(a["messages"], expected_messages) << a["messages"].dump(2);
  EXPECT_EQ(a["model"], "claude-sonnet-4-20250514");
  EXPECT_EQ(a["system"], "You are terse.\n\nAnswer in English.");
  EXPECT_EQ(a["max_tokens"], 300);
  EXPECT_EQ(a["temperature"], 1.0);  // clamped to Anthropic's range
  EXPECT_EQ(a["top_p"], 0.9);
  EXPECT_EQ(a["stop_sequences"], json::array({"END"}));
  EXPECT_EQ(a["metadata"], json({{"user_id", "u-42"}}));
  EXPECT_EQ(a["stream"], true);
  EXPECT_EQ(a["tool_choice"], json({{"type", "auto"}}));
  EXPECT_EQ(a["tools"], json::parse(R"([
    {"name":"get_asset","description":"Look up an asset",
     "input_schema":{"type":"object","properties":{"code":{"type":"string"}},"required":["code"]}},
    {"name":"list_alerts","input_schema":{"type":"object","properties":{}}}])"));
  for (const char* dropped : {"n", "presence_penalty", "user", "tool_calls", "stop"}) EXPECT_FALSE(a.contains(dropped)) << dropped;
}

TEST(LlmAnthropicRequest, MapsToolChoiceAndParallelism) {
  const json tools = json::parse(R"([{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}])");
  const json plain = json::array({{{"role", "user"}, {"content", "q"}}});
  const json with_tool_history = json::parse(R"([{"role":"user","content":"q"},
    {"role":"assistant","content":null,"tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{}"}}]},
    {"role":"tool","tool_call_id":"t1","content":"r"}])");
  struct Case {
    const char* name;
    json messages, tool_choice, parallel;
    bool tools_sent;
    json expected_choice;  // null: no tool_choice field
  };
  const Case cases[] = {
      {"absent", plain, nullptr, nullptr, true, nullptr},
      {"auto", plain, "auto", nullptr, true, {{"type", "auto"}}},
      {"required", plain, "required", nullptr, true, {{"type", "any"}}},
      {"named", plain, {{"type", "function"}, {"function", {{"name", "f"}}}}, nullptr, true, {{"type", "tool"}, {"name", "f"}}},
      {"none", plain, "none", nullptr, false, nullptr},
      {"none with tool history", with_tool_history, "none", nullptr, true, {{"type", "none"}}},
      {"no parallel", plain, nullptr, false, true, {{"type", "auto"}, {"disable_parallel_tool_use", true}}},
      {"required, no parallel", plain, "required", false, true, {{"type", "any"}, {"disable_parallel_tool_use", true}}},
  };
  for (const auto& c : cases) {
    json req = {{"messages", c.messages}, {"tools", tools}};
    if (!c.tool_choice.is_null()) req["tool_choice"] = c.tool_choice;
    if (!c.parallel.is_null()) req["parallel_tool_calls"] = c.parallel;
    auto a = anthropic_request(req, "m", false, 1024);
    EXPECT_EQ(a.contains("tools"), c.tools_sent) << c.name;
    if (c.expected_choice.is_null()) EXPECT_FALSE(a.contains("tool_choice")) << c.name;
    else EXPECT_EQ(a["tool_choice"], c.expected_choice) << c.name;
  }
}

TEST(LlmAnthropicRequest, MaxTokensStopsAndPrefill) {
  const json msgs = json::array({{{"role", "user"}, {"content", "q"}}, {{"role", "assistant"}, {"content", "Sure:  \n"}}});
  struct Case {
    json extra;
    std::int64_t max_tokens;
    json stop_sequences;  // null: absent
  };
  const Case cases[] = {
      {json::object(), 4096, nullptr},
      {{{"max_tokens", 100}}, 100, nullptr},
      {{{"max_tokens", 100}, {"max_completion_tokens", 50}}, 50, nullptr},
      {{{"stop", json::array({"a", "", "b"})}}, 4096, json::array({"a", "b"})},
      {{{"stop", ""}}, 4096, nullptr},
      {{{"stop", nullptr}}, 4096, nullptr},
  };
  for (const auto& c : cases) {
    json req = c.extra;
    req["messages"] = msgs;
    auto a = anthropic_request(req, "m", false, 4096);
    EXPECT_EQ(a["max_tokens"], c.max_tokens) << c.extra;
    if (c.stop_sequences.is_null()) EXPECT_FALSE(a.contains("stop_sequences")) << c.extra;
    else EXPECT_EQ(a["stop_sequences"], c.stop_sequences);
    EXPECT_FALSE(a.contains("stream"));
    EXPECT_FALSE(a.contains("system"));
    // The final assistant turn is a prefill; Anthropic refuses trailing whitespace there.
    EXPECT_EQ(a["messages"][1]["content"][0]["text"], "Sure:");
  }
}

TEST(LlmAnthropicRequest, RefusesWhatItCannotExpress) {
  auto bad = [](json messages) { return json{{"messages", std::move(messages)}}; };
  const json cases[] = {
      bad(json::array({{{"role", "wizard"}, {"content", "x"}}})),
      bad(json::parse(R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}])")),
      bad(json::parse(R"([{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png,rawbytes"}}]}])")),
      bad(json::parse(R"([{"role":"assistant","tool_calls":[{"id":"a","function":{"name":"f","arguments":"{not json"}}]}])")),
      bad(json::parse(R"([{"role":"assistant","tool_calls":[{"id":"a","function":{"name":"f","arguments":"[1,2]"}}]}])")),
      json{{"messages", "hello"}},
  };
  for (const auto& c : cases) {
    try {
      anthropic_request(c, "m", false, 10);
      ADD_FAILURE() << "accepted " << c;
    } catch (const AppError& e) {
      EXPECT_EQ(e.code(), ErrorCode::validation) << c;
    }
  }
}

TEST(LlmAnthropicRequest, PassesPromptCachingMarkersThrough) {
  auto req = json::parse(R"({"messages":[
    {"role":"system","content":[{"type":"text","text":"Big manual","cache_control":{"type":"ephemeral"}}]},
    {"role":"system","content":"Be brief."},
    {"role":"user","content":[{"type":"text","text":"Long context","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Q?"}]}]})");
  auto a = anthropic_request(req, "m", false, 100);
  EXPECT_EQ(a["system"], json::parse(R"([{"type":"text","text":"Big manual","cache_control":{"type":"ephemeral"}},
                                         {"type":"text","text":"Be brief."}])"));
  EXPECT_EQ(a["messages"][0]["content"], json::parse(R"([{"type":"text","text":"Long context","cache_control":{"type":"ephemeral"}},
                                                          {"type":"text","text":"Q?"}])"));
}

// ── Anthropic: answers ─────────────────────────────────────────────────────────────────────────────────

TEST(LlmAnthropicResponse, BecomesAnOpenAiCompletionWithToolCallsAndCacheUsage) {
  auto body = json::parse(R"({"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
    "content":[{"type":"thinking","thinking":"hmm","signature":"x"},
               {"type":"text","text":"Let me check "},{"type":"text","text":"that."},
               {"type":"tool_use","id":"toolu_1","name":"get_asset","input":{"code":"SW-01"}}],
    "stop_reason":"tool_use","stop_sequence":null,
    "usage":{"input_tokens":50,"cache_creation_input_tokens":200,"cache_read_input_tokens":1000,"output_tokens":30}})");
  auto r = parse_anthropic_response(body, "anthropic/claude-sonnet-4", 1700000000);
  auto expected = json::parse(R"({"id":"msg_01","object":"chat.completion","created":1700000000,
    "model":"anthropic/claude-sonnet-4",
    "choices":[{"index":0,"logprobs":null,"finish_reason":"tool_calls",
      "message":{"role":"assistant","content":"Let me check that.",
        "tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get_asset","arguments":"{\"code\":\"SW-01\"}"}}]}}],
    "usage":{"prompt_tokens":1250,"completion_tokens":30,"total_tokens":1280,"prompt_tokens_details":{"cached_tokens":1000}}})");
  EXPECT_EQ(r.response, expected) << r.response.dump(2);
  EXPECT_EQ(r.text, "Let me check that.");
  EXPECT_EQ(r.finish_reason, "tool_calls");
  // Usage keeps the three input parts apart so each is priced at its own rate.
  EXPECT_TRUE(r.usage.reported);
  EXPECT_EQ(r.usage.prompt_tokens, 50);
  EXPECT_EQ(r.usage.cache_read_tokens, 1000);
  EXPECT_EQ(r.usage.cache_write_tokens, 200);
  EXPECT_EQ(r.usage.completion_tokens, 30);
  EXPECT_EQ(r.usage.total(), 1280);
}

TEST(LlmAnthropicResponse, MapsStopReasons) {
  const std::pair<const char*, const char*> cases[] = {
      {"end_turn", "stop"},       {"stop_sequence", "stop"},   {"max_tokens", "length"},
      {"tool_use", "tool_calls"}, {"refusal", "content_filter"}, {"pause_turn", "stop"},
      {"model_context_window_exceeded", "length"},             {"something_new", "stop"},
  };
  for (auto [stop, finish] : cases) {
    json body = {{"id", "m"}, {"content", json::array({{{"type", "text"}, {"text", "x"}}})}, {"stop_reason", stop}};
    auto r = parse_anthropic_response(body, "c", 1);
    EXPECT_EQ(r.finish_reason, finish) << stop;
    EXPECT_EQ(r.response["choices"][0]["finish_reason"], finish) << stop;
  }
  // Tool use only: content is null; no usage reported → no usage field and reported=false.
  json body = json::parse(R"({"id":"m","content":[{"type":"tool_use","id":"t","name":"f","input":{}}],"stop_reason":"tool_use"})");
  auto r = parse_anthropic_response(body, "c", 1);
  EXPECT_TRUE(r.response["choices"][0]["message"]["content"].is_null());
  EXPECT_EQ(r.response["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"], "{}");
  EXPECT_FALSE(r.response.contains("usage"));
  EXPECT_FALSE(r.usage.reported);
}

TEST(LlmAnthropicError, ExtractsTypeAndMessage) {
  EXPECT_EQ(anthropic_error_message(529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"),
            "overloaded_error: Overloaded");
  EXPECT_EQ(anthropic_error_message(401, R"({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key sk-ant-api03-abcdefghijkl"}})"),
            "authentication_error: invalid x-api-key [redacted]");
  EXPECT_EQ(anthropic_error_message(502, "<html>oops</html>"), "upstream returned HTTP 502");
}
