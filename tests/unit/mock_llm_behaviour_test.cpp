// The mock upstream's pure rules: model name → behaviour, token arithmetic, tool arguments, stream pieces.
#include <gtest/gtest.h>

#include "../../tools/mock-llm/behaviour.hpp"

using namespace mockllm;
using nlohmann::json;

TEST(MockLlmBehaviour, ModelNameChoosesBehaviour) {
  EXPECT_EQ(parse_behaviour("echo").kind, Kind::echo);
  EXPECT_EQ(parse_behaviour("gpt-4o").kind, Kind::echo);  // unknown names echo
  EXPECT_EQ(parse_behaviour("mock/tools").kind, Kind::tools);
  EXPECT_EQ(parse_behaviour("a/b/hedge").kind, Kind::hedge);
  EXPECT_EQ(parse_behaviour("nousage").kind, Kind::nousage);
  auto slow = parse_behaviour("mock/slow-250");
  EXPECT_EQ(slow.kind, Kind::slow);
  EXPECT_EQ(slow.param, 250);
  EXPECT_EQ(parse_behaviour("fail-529").param, 529);
  EXPECT_EQ(parse_behaviour("fail-200").kind, Kind::echo);  // not an error status
  EXPECT_EQ(parse_behaviour("fail-x").kind, Kind::echo);
  auto flaky = parse_behaviour("flaky-3-suiteA");  // a suffix keeps names unique per test
  EXPECT_EQ(flaky.kind, Kind::flaky);
  EXPECT_EQ(flaky.param, 3);
  EXPECT_EQ(parse_behaviour("long-100").param, 100);
  EXPECT_EQ(parse_behaviour("long-99999999").param, kMaxLongWords);
}

TEST(MockLlmBehaviour, TokensAndUtf8) {
  EXPECT_EQ(tokens_for_chars(0), 0);
  EXPECT_EQ(tokens_for_chars(1), 1);
  EXPECT_EQ(tokens_for_chars(8), 2);
  EXPECT_EQ(tokens_for_chars(9), 3);
  EXPECT_EQ(utf8_length("héllo ✓"), 7u);
  EXPECT_EQ(utf8_prefix("héllo", 2), "hé");
  Conversation c;
  c.prompt_chars = 20;
  c.messages = 2;
  EXPECT_EQ(c.prompt_tokens(), 11);
}

TEST(MockLlmBehaviour, StreamPiecesRejoinAndNeverSplitCodePoints) {
  std::string text = "Hello wonderful world, ✓✓✓✓✓ and ünïcödé";
  auto pieces = split_pieces(text);
  std::string joined;
  for (auto p : pieces) {
    EXPECT_LE(p.size(), 8u);
    EXPECT_NE(static_cast<unsigned char>(p[0]) & 0xC0, 0x80u);  // starts on a code point
    joined += p;
  }
  EXPECT_EQ(joined, text);
  EXPECT_EQ(pieces[0], "Hello");
  EXPECT_EQ(pieces[1], " wonderf");
  std::string args = R"({"q":"✓✓✓✓"})";
  joined.clear();
  for (auto f : split_fragments(args, 4)) joined += f;
  EXPECT_EQ(joined, args);
  EXPECT_EQ(lorem_words(3), "lorem ipsum dolor");
}

TEST(MockLlmBehaviour, ExampleArgumentsFillRequiredProperties) {
  auto schema = json::parse(R"({"type":"object","properties":{
      "s":{"type":"string"},"n":{"type":"number"},"i":{"type":"integer"},"b":{"type":"boolean"},
      "e":{"type":"string","enum":["low","high"]},"a":{"type":"array","items":{"type":"integer"}},
      "o":{"type":"object","properties":{"z":{"type":["null","string"]}},"required":["z"]},
      "optional":{"type":"string"}},
      "required":["s","n","i","b","e","a","o","missing"]})");
  auto args = json::parse(example_arguments(schema).dump());
  EXPECT_EQ(args, json::parse(R"({"s":"example","n":1,"i":1,"b":true,"e":"low","a":[1],
                                  "o":{"z":"example"},"missing":"example"})"));
  EXPECT_EQ(example_arguments(json::object()).dump(), "{}");
}

TEST(MockLlmBehaviour, DecideAnswers) {
  Conversation c;
  c.last_user_text = "Hello world";
  c.prompt_chars = 11;
  c.messages = 1;
  auto echo = decide({Kind::echo, 0}, c, 0);
  EXPECT_EQ(echo.text, "Hello world");
  EXPECT_EQ(echo.prompt_tokens, 6);
  EXPECT_EQ(echo.completion_tokens, 3);

  EXPECT_EQ(decide({Kind::flaky, 2}, c, 1).type, Answer::Type::error);
  EXPECT_EQ(decide({Kind::flaky, 2}, c, 1).status, 503);
  EXPECT_EQ(decide({Kind::flaky, 2}, c, 2).text, "Hello world");
  EXPECT_EQ(decide({Kind::fail, 429}, c, 0).status, 429);
  EXPECT_EQ(decide({Kind::slow, 40}, c, 0).delay_ms, 40);
  EXPECT_FALSE(decide({Kind::nousage, 0}, c, 0).usage);

  c.max_tokens = 1;
  auto cut = decide({Kind::echo, 0}, c, 0);
  EXPECT_EQ(cut.text, "Hell");
  EXPECT_TRUE(cut.truncated);

  c.max_tokens.reset();
  c.tool_name = "lookup";
  c.tool_schema = json::parse(R"({"type":"object","properties":{"q":{"type":"string"}},"required":["q"]})");
  auto call = decide({Kind::tools, 0}, c, 0);
  EXPECT_EQ(call.type, Answer::Type::tool_call);
  EXPECT_EQ(call.tool_arguments, R"({"q":"example"})");
  EXPECT_EQ(call.completion_tokens, 6);  // ceil((15 + 6) / 4)
  c.tool_result = "42";
  EXPECT_EQ(decide({Kind::tools, 0}, c, 0).text, "Tool result: 42");
}

TEST(MockLlmBehaviour, InspectAnswersWithWhatItReceived) {
  EXPECT_EQ(parse_behaviour("mock/inspect-small").kind, Kind::inspect);
  Conversation c;
  c.transcript = {{"system", "be brief"}, {"user", "hi"}};
  c.last_user_text = "hi";
  auto a = decide(parse_behaviour("inspect"), c, 0);
  EXPECT_EQ(nlohmann::json::parse(a.text),
            (nlohmann::json::array({{{"role", "system"}, {"content", "be brief"}}, {{"role", "user"}, {"content", "hi"}}})));
  EXPECT_EQ(a.completion_tokens, tokens_for_chars(utf8_length(a.text)));
}
