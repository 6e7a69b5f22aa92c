#include <gtest/gtest.h>

#include <vector>

#include "llm/anthropic.hpp"
#include "llm/openai.hpp"

using namespace netops;
using json = nlohmann::json;

// OpenAI passthrough and Anthropic → OpenAI chunk translation, fed SseEvent-shaped values.

namespace {

// "data: {…}\n\n" frames → their payloads ("[DONE]" kept as a string).
std::vector<json> frames(const std::string& bytes) {
  std::vector<json> out;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    auto end = bytes.find("\n\n", pos);
    EXPECT_NE(end, std::string::npos) << "unterminated frame: " << bytes.substr(pos);
    if (end == std::string::npos) break;
    auto frame = bytes.substr(pos, end - pos);
    EXPECT_EQ(frame.rfind("data: ", 0), 0u) << frame;
    auto data = frame.substr(6);
    out.push_back(data == "[DONE]" ? json("[DONE]") : json::parse(data));
    pos = end + 2;
  }
  return out;
}

struct Ev {
  std::string event, data;
};

}  // namespace

// ── OpenAI-compatible ───────────────────────────────────────────────────────────────────────────────────

TEST(LlmOpenAiStream, ForwardsChunksVerbatimAndHidesInjectedUsage) {
  const std::vector<std::string> data = {
      R"({"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null})",
      R"({"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":null})",
      R"({"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}],"usage":null})",
      R"({"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null})",
      R"({"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11,"prompt_tokens_details":{"cached_tokens":4}}})",
      "[DONE]"};
  for (bool wants : {false, true}) {
    OpenAiStream s(wants);
    std::string client;
    for (std::size_t i = 0; i < data.size(); ++i) {
      auto out = s.feed(Ev{"message", data[i]});
      bool usage_chunk = i == 4;
      if (usage_chunk && !wants) EXPECT_EQ(out, "") << "the injected usage chunk must not reach the client";
      else EXPECT_EQ(out, "data: " + data[i] + "\n\n");  // byte-exact passthrough
      client += out;
    }
    EXPECT_EQ(frames(client).size(), wants ? 6u : 5u);
    EXPECT_TRUE(s.done());
    EXPECT_FALSE(s.failed());
    EXPECT_EQ(s.text(), "Hello");
    EXPECT_EQ(s.finish_reason(), "stop");
    EXPECT_TRUE(s.usage().reported);
    EXPECT_EQ(s.usage().prompt_tokens, 5);
    EXPECT_EQ(s.usage().cache_read_tokens, 4);
    EXPECT_EQ(s.usage().completion_tokens, 2);
  }
}

TEST(LlmOpenAiStream, HandlesToolCallsNullChoicesErrorsAndMissingUsage) {
  OpenAiStream s(false);
  s.feed("", R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_asset","arguments":""}}]}}]})");
  s.feed("", R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"code\":\"SW-01\"}"}}]},"finish_reason":"tool_calls"}]})");
  EXPECT_FALSE(s.usage().reported);  // nothing reported yet: the caller estimates
  EXPECT_EQ(s.estimated_completion_tokens(), 7);  // "get_asset" + {"code":"SW-01"} = 25 code points
  EXPECT_EQ(s.finish_reason(), "tool_calls");
  // vLLM-style usage chunk with "choices": null is still the usage chunk.
  EXPECT_EQ(s.feed("", R"({"choices":null,"usage":{"prompt_tokens":3,"completion_tokens":1}})"), "");
  EXPECT_EQ(s.usage().total(), 4);
  // Multi-line data is re-framed line by line; non-JSON data passes through.
  EXPECT_EQ(s.feed("", "a\nb"), "data: a\ndata: b\n\n");

  OpenAiStream e(true);
  auto out = e.feed("", R"({"error":{"message":"Rate limit for key sk-abcdefghijklmnop reached","type":"rate_limit"}})");
  EXPECT_TRUE(e.failed());
  EXPECT_EQ(e.error(), "Rate limit for key [redacted] reached");
  EXPECT_NE(out.find("\"error\""), std::string::npos);
}

// ── Anthropic: streams ─────────────────────────────────────────────────────────────────────────────────

namespace {

// A realistic Messages stream: text, then a tool call whose input arrives in pieces, with prompt caching.
const std::vector<Ev> kToolStream = {
    {"message_start", R"({"type":"message_start","message":{"id":"msg_01X","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-20250514","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":1024,"output_tokens":2}}})"},
    {"content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})"},
    {"ping", R"({"type": "ping"})"},
    {"content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay, let me check"}})"},
    {"content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" the switch."}})"},
    {"content_block_stop", R"({"type":"content_block_stop","index":0})"},
    {"content_block_start", R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T","name":"get_asset","input":{}}})"},
    {"content_block_delta", R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}})"},
    {"content_block_delta", R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"code\": \"SW"}})"},
    {"content_block_delta", R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"-01\"}"}})"},
    {"content_block_stop", R"({"type":"content_block_stop","index":1})"},
    {"message_delta", R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}})"},
    {"message_stop", R"({"type":"message_stop"})"},
};

std::string run(AnthropicStream& s, const std::vector<Ev>& events) {
  std::string out;
  for (const auto& e : events) out += s.feed(e);
  return out;
}

}  // namespace

TEST(LlmAnthropicStream, TranslatesTextAndToolUseIntoChunks) {
  AnthropicStream s("anthropic/claude-sonnet-4", /*client_wants_usage=*/false, 1700000000);
  auto chunks = frames(run(s, kToolStream));
  ASSERT_EQ(chunks.size(), 8u);
  for (std::size_t i = 0; i + 1 < chunks.size(); ++i) {
    EXPECT_EQ(chunks[i]["id"], "msg_01X");
    EXPECT_EQ(chunks[i]["object"], "chat.completion.chunk");
    EXPECT_EQ(chunks[i]["created"], 1700000000);
    EXPECT_EQ(chunks[i]["model"], "anthropic/claude-sonnet-4");
    EXPECT_FALSE(chunks[i].contains("usage"));
  }
  auto delta = [&](std::size_t i) { return chunks[i]["choices"][0]["delta"]; };
  EXPECT_EQ(delta(0), json({{"role", "assistant"}, {"content", ""}}));
  EXPECT_EQ(delta(1), json({{"content", "Okay, let me check"}}));
  EXPECT_EQ(delta(2), json({{"content", " the switch."}}));
  EXPECT_EQ(delta(3), json::parse(R"({"tool_calls":[{"index":0,"id":"toolu_01T","type":"function","function":{"name":"get_asset","arguments":""}}]})"));
  EXPECT_EQ(delta(4), json::parse(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"code\": \"SW"}}]})"));
  EXPECT_EQ(delta(5), json::parse(R"({"tool_calls":[{"index":0,"function":{"arguments":"-01\"}"}}]})"));
  EXPECT_EQ(delta(6), json::object());
  for (std::size_t i = 0; i < 6; ++i) EXPECT_TRUE(chunks[i]["choices"][0]["finish_reason"].is_null());
  EXPECT_EQ(chunks[6]["choices"][0]["finish_reason"], "tool_calls");
  EXPECT_EQ(chunks[7], "[DONE]");

  EXPECT_TRUE(s.done());
  EXPECT_FALSE(s.failed());
  EXPECT_EQ(s.text(), "Okay, let me check the switch.");
  EXPECT_EQ(s.finish_reason(), "tool_calls");
  auto u = s.usage();
  EXPECT_TRUE(u.reported);
  EXPECT_EQ(u.prompt_tokens, 472);
  EXPECT_EQ(u.cache_read_tokens, 1024);
  EXPECT_EQ(u.cache_write_tokens, 0);
  EXPECT_EQ(u.completion_tokens, 89);
  EXPECT_EQ(s.feed(kToolStream.back()), "");  // nothing after the end
}

TEST(LlmAnthropicStream, AddsUsageChunkOnlyWhenTheClientAskedForIt) {
  AnthropicStream s("c", /*client_wants_usage=*/true, 1);
  auto chunks = frames(run(s, kToolStream));
  ASSERT_EQ(chunks.size(), 9u);
  for (std::size_t i = 0; i < 7; ++i) EXPECT_TRUE(chunks[i]["usage"].is_null()) << i;  // OpenAI's contract
  const auto& usage_chunk = chunks[7];
  EXPECT_EQ(usage_chunk["choices"], json::array());
  EXPECT_EQ(usage_chunk["usage"], json::parse(R"({"prompt_tokens":1496,"completion_tokens":89,"total_tokens":1585,
                                                   "prompt_tokens_details":{"cached_tokens":1024}})"));
  EXPECT_EQ(chunks[8], "[DONE]");
}

TEST(LlmAnthropicStream, MergesUsageFromMessageStartAndCumulativeMessageDelta) {
  AnthropicStream s("c", false, 1);
  s.feed("message_start", R"({"type":"message_start","message":{"id":"m","usage":{"input_tokens":10,"cache_creation_input_tokens":300,"output_tokens":1}}})");
  s.feed("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})");
  // Newer API versions repeat cumulative counts in message_delta (possibly several times): last non-zero wins.
  s.feed("message_delta", R"({"type":"message_delta","delta":{"stop_reason":null},"usage":{"output_tokens":5}})");
  s.feed("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":12,"cache_read_input_tokens":40,"output_tokens":9}})");
  auto u = s.usage();
  EXPECT_TRUE(u.reported);
  EXPECT_EQ(u.prompt_tokens, 12);
  EXPECT_EQ(u.cache_write_tokens, 300);
  EXPECT_EQ(u.cache_read_tokens, 40);
  EXPECT_EQ(u.completion_tokens, 9);
  EXPECT_EQ(s.finish_reason(), "stop");
  EXPECT_FALSE(s.done());  // message_stop not seen yet
}

TEST(LlmAnthropicStream, CutOffStreamKeepsInputCountsAndEstimatesOutput) {
  AnthropicStream s("c", false, 1);
  s.feed(kToolStream[0]);
  s.feed(kToolStream[3]);  // "Okay, let me check" = 18 code points
  auto u = s.usage();
  EXPECT_FALSE(u.reported);  // → usage_logs row marked estimated
  EXPECT_EQ(u.prompt_tokens, 472);
  EXPECT_EQ(u.cache_read_tokens, 1024);
  EXPECT_EQ(u.completion_tokens, 5);
}

TEST(LlmAnthropicStream, ErrorEventEndsTheStreamWithAnOpenAiError) {
  AnthropicStream s("c", false, 1);
  s.feed(kToolStream[0]);
  s.feed(kToolStream[3]);
  auto out = s.feed("error", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
  auto chunks = frames(out);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0], json::parse(R"({"error":{"message":"Overloaded","type":"overloaded_error","param":null,"code":null}})"));
  EXPECT_TRUE(s.failed());
  EXPECT_TRUE(s.done());
  EXPECT_EQ(s.error(), "Overloaded");
  EXPECT_EQ(s.feed(kToolStream.back()), "");
}

TEST(LlmAnthropicStream, ToleratesJunkUnknownEventsAndMissingMessageStart) {
  AnthropicStream s("c", false, 1);
  EXPECT_EQ(s.feed("ping", "{\"type\":\"ping\"}"), "");
  EXPECT_EQ(s.feed("", "not json"), "");
  EXPECT_EQ(s.feed("", R"({"type":"future_event","x":1})"), "");
  // Thinking is not forwarded; only the opening role chunk comes out.
  auto thinking = frames(s.feed("", R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}})"));
  ASSERT_EQ(thinking.size(), 1u);
  EXPECT_EQ(thinking[0]["choices"][0]["delta"], json({{"role", "assistant"}, {"content", ""}}));
  // Without message_start the role chunk still comes first, with a placeholder id.
  AnthropicStream t("c", false, 1);
  auto chunks = frames(t.feed("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}})"));
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0]["choices"][0]["delta"]["role"], "assistant");
  EXPECT_EQ(chunks[1]["choices"][0]["delta"]["content"], "x");
  // The event name is enough when the data has no "type".
  EXPECT_EQ(frames(t.feed("content_block_delta", R"({"index":0,"delta":{"type":"text_delta","text":"y"}})")).size(), 1u);
}

TEST(LlmAdapters, NeverThrowOnMalformedUpstreamJson) {
  // Upstream bodies are untrusted: wrong types anywhere must degrade, not throw.
  const char* bodies[] = {
      "null", "[]", "\"x\"", "{}", R"({"choices":[1,null,"x"]})", R"({"choices":[{"message":"x","finish_reason":3}]})",
      R"({"usage":{"prompt_tokens":"9","completion_tokens":2.0,"prompt_tokens_details":[]}})",
      R"({"content":"text","stop_reason":5,"usage":[]})", R"({"content":[1,{"type":"tool_use","input":"x"}],"id":7})",
      R"({"usage":{"prompt_tokens":5,"prompt_tokens_details":{"cached_tokens":50}}})",
  };
  for (const char* b : bodies) {
    auto body = json::parse(b);
    EXPECT_NO_THROW(parse_openai_response(body, "c")) << b;
    EXPECT_NO_THROW(parse_anthropic_response(body, "c", 1)) << b;
    EXPECT_NO_THROW(error_message(500, b)) << b;
    EXPECT_NO_THROW(anthropic_error_message(500, b)) << b;
    OpenAiStream o(false);
    EXPECT_NO_THROW(o.feed("", b)) << b;
  }
  // Cached tokens can never make the uncached part negative.
  auto r = parse_openai_response(json::parse(bodies[9]), "c");
  EXPECT_EQ(r.usage.prompt_tokens, 0);
  EXPECT_EQ(r.usage.cache_read_tokens, 5);
  const char* events[] = {
      R"({"type":"message_start","message":[]})", R"({"type":"message_start","message":{"id":5,"usage":"x"}})",
      R"({"type":"content_block_start","index":"a","content_block":[]})",
      R"({"type":"content_block_start","index":-3,"content_block":{"type":"tool_use","name":5}})",
      R"({"type":"content_block_delta","index":99,"delta":{"type":"input_json_delta","partial_json":"{"}})",
      R"({"type":"content_block_delta","delta":5})", R"({"type":"message_delta","delta":[],"usage":5})",
      R"({"type":"error","error":"boom"})",
  };
  AnthropicStream s("c", true, 1);
  for (const char* e : events) EXPECT_NO_THROW(s.feed("", e)) << e;
  EXPECT_TRUE(s.failed());
}
