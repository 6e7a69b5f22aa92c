// Values of the wrong type from outside — a request body's content part {"type": {…}}, an upstream chunk's
// "index": "0" — are read as absent, never thrown on. json::value(key, default) throws when the member is
// there with another type: that made a 500 out of a bad request and, where the upstream's answer was being
// accounted, a call with no usage row. (The completion_body fuzz target found the first.)
#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "core/json.hpp"
#include "llm/anthropic_in.hpp"
#include "llm/pricing.hpp"
#include "modules/gateway/response_cache.hpp"

using namespace netops;
using json = nlohmann::json;

TEST(WrongTypes, MemberReadersFallBackInsteadOfThrowing) {
  json o = {{"s", "text"}, {"n", 7}, {"u", 18446744073709551615ull}, {"neg", -3}, {"f", 1.5}, {"o", {{"a", 1}}}};
  EXPECT_EQ(string_member(o, "s"), "text");
  EXPECT_EQ(string_member(o, "n", "fb"), "fb");
  EXPECT_EQ(string_member(o, "o", "fb"), "fb");
  EXPECT_EQ(string_member(o, "missing", "fb"), "fb");
  EXPECT_EQ(string_member(json::array({1}), "s", "fb"), "fb");
  EXPECT_EQ(integer_member(o, "n"), 7);
  EXPECT_EQ(integer_member(o, "neg"), -3);
  EXPECT_EQ(integer_member(o, "u", -1), -1);  // beyond int64
  EXPECT_EQ(integer_member(o, "f", -1), -1);
  EXPECT_EQ(integer_member(o, "s", -1), -1);
  EXPECT_EQ(integer_member(json("x"), "n", -1), -1);
}

TEST(WrongTypes, PromptEstimateSkipsPartsWhoseTypeIsNotAString) {
  json plain = json::array({{{"role", "user"}, {"content", json::array({{{"type", "text"}, {"text", "abcdefgh"}}})}}});
  json odd = json::array({{{"role", "user"},
                           {"content", json::array({{{"type", {{"url", "data:image/png;base64,AA=="}}}},
                                                    {{"type", 5}},
                                                    {{"type", "text"}, {"text", "abcdefgh"}}})}}});
  std::int64_t n = 0;
  ASSERT_NO_THROW(n = estimate_prompt_tokens(odd));
  EXPECT_EQ(n, estimate_prompt_tokens(plain));
}

TEST(WrongTypes, AnthropicRequestFieldsOfTheWrongTypeAreValidationErrors) {
  auto refused_field = [](const json& req) -> std::string {
    try {
      openai_from_anthropic(req);
    } catch (const AppError& e) {
      return e.details().dump();
    }
    return "accepted";
  };
  json base = {{"model", "m"}, {"max_tokens", 5}};
  json r1 = base;
  r1["messages"] = {{{"role", "user"}, {"content", {{{"type", {{"a", 1}}}, {"text", "hi"}}}}}};
  EXPECT_NE(refused_field(r1).find("messages[0].content[0].type"), std::string::npos) << refused_field(r1);
  json r2 = base;
  r2["messages"] = {{{"role", 7}, {"content", "hi"}}};
  EXPECT_NE(refused_field(r2).find("messages[0].role"), std::string::npos) << refused_field(r2);
  json r3 = base;
  r3["messages"] = {{{"role", "user"}, {"content", "hi"}}};
  r3["system"] = {{{"type", 1}, {"text", "s"}}};
  EXPECT_NE(refused_field(r3).find("system[0]"), std::string::npos) << refused_field(r3);
  json r4 = base;
  r4["messages"] = {{{"role", "user"}, {"content", "hi"}}};
  r4["tools"] = {{{"type", 3}, {"name", "t"}, {"input_schema", {{"type", "object"}}}}};
  EXPECT_NE(refused_field(r4).find("tools[0].type"), std::string::npos) << refused_field(r4);
  json r5 = base;  // an assistant's content block of the wrong type
  r5["messages"] = {{{"role", "user"}, {"content", "hi"}}, {{"role", "assistant"}, {"content", {{{"type", {1}}}}}}};
  EXPECT_NE(refused_field(r5).find("messages[1].content[0].type"), std::string::npos) << refused_field(r5);
}

TEST(WrongTypes, UpstreamAnswersOfTheWrongShapeStillTranslate) {
  json completion = {{"id", 5},
                     {"created", "yesterday"},
                     {"model", {{"x", 1}}},
                     {"choices",
                      {{{"index", 0},
                        {"finish_reason", "tool_calls"},
                        {"message",
                         {{"role", "assistant"},
                          {"content", {{{"type", 1}, {"text", "no"}}, {{"type", "text"}, {"text", "yes"}}}},
                          {"tool_calls", {5, {{"id", 9}, {"function", 3}}, {{"id", "c1"}, {"function", {{"name", 2}, {"arguments", 4}}}}}}}}}}}};
  ASSERT_NO_THROW({
    auto m = anthropic_message(completion, Usage{}, "client/model");
    EXPECT_EQ(m["content"][0]["text"], "yes");
    EXPECT_TRUE(m["id"].get<std::string>().rfind("msg_", 0) == 0);
  });
  std::string sse;
  ASSERT_NO_THROW(sse = gateway::completion_as_stream(completion, true));
  EXPECT_NE(sse.find("data: [DONE]"), std::string::npos);
}

TEST(WrongTypes, StreamChunksWithStringIndexesDoNotThrow) {
  const std::string chunks =
      "data: {\"id\":\"c\",\"choices\":[{\"index\":\"0\",\"delta\":{\"content\":\"a\"}}]}\n\n"
      "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\",\"tool_calls\":[{\"index\":\"1\",\"id\":7,"
      "\"function\":{\"name\":3,\"arguments\":\"{}\"}}]}}]}\n\n"
      "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
      "data: [DONE]\n\n";
  gateway::StreamAssembler a;
  ASSERT_NO_THROW(a.feed(chunks));
  EXPECT_TRUE(a.complete());
  // An index that is not an integer reads as absent, that is 0 (OpenAI's only choice without n).
  EXPECT_EQ(a.completion("m")["choices"][0]["message"]["content"], "ab");
  MessagesStreamEncoder enc("client/model", 3);
  std::string out;
  ASSERT_NO_THROW(out = enc.feed(chunks));
  EXPECT_NE(out.find("message_stop"), std::string::npos);
}

// An upstream event nested a million levels deep (16 MiB events are allowed) is refused by the depth limit
// when parsed; before, the assembler copied its usage object recursively and overflowed the stack.
TEST(WrongTypes, DeeplyNestedStreamEventsAreSkipped) {
  const std::size_t depth = 1'000'000;
  std::string deep = "data: {\"usage\":{\"x\":" + std::string(depth, '[') + std::string(depth, ']') + "}}\n\n";
  gateway::StreamAssembler a;
  ASSERT_NO_THROW(a.feed(deep));
  ASSERT_NO_THROW(a.feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
  EXPECT_TRUE(a.complete());
  EXPECT_EQ(a.completion("m")["choices"][0]["message"]["content"], "ok");
  EXPECT_FALSE(a.completion("m").contains("usage") && a.completion("m")["usage"].contains("x"));
}
