// The mock upstream's `agent` behaviours (tools/mock-llm/behaviour.hpp) that drive chat's tool loop.
#include <gtest/gtest.h>

#include "../../tools/mock-llm/behaviour.hpp"

using namespace mockllm;

TEST(MockAgent, NamesChooseTheBehaviour) {
  EXPECT_EQ(parse_behaviour("mock/agent").kind, Kind::agent);
  EXPECT_EQ(parse_behaviour("mock/agent").param, 0);
  EXPECT_EQ(parse_behaviour("agent-loop").kind, Kind::agent);
  EXPECT_EQ(parse_behaviour("agent-loop").param, 1);
  EXPECT_EQ(parse_behaviour("agent-nofn").param, 0);
}

TEST(MockAgent, ScriptedCallsAreReadFromCallLines) {
  auto calls = scripted_calls("what is up?\nCALL find_assets {\"query\":\"sw1\"}\n  CALL my_usage\nCALL bad [1]\nCALL");
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].first, "find_assets");
  EXPECT_EQ(calls[0].second, "{\"query\":\"sw1\"}");
  EXPECT_EQ(calls[1].first, "my_usage");
  EXPECT_EQ(calls[1].second, "{}");
  EXPECT_EQ(calls[2].second, "{}");  // not an object
}

TEST(MockAgent, CallsOnceThenQuotesTheResults) {
  Conversation c;
  c.last_instruction = "CALL a {\"x\":1}\nCALL b {}";
  c.offered_tools = {"a", "b"};
  auto first = decide({Kind::agent, 0}, c, 0);
  ASSERT_EQ(first.type, Answer::Type::tool_call);
  EXPECT_EQ(first.tool_name, "a");
  ASSERT_EQ(first.more_calls.size(), 1u);
  EXPECT_EQ(first.more_calls[0].first, "b");
  c.tool_result = "R1\nR2";
  auto second = decide({Kind::agent, 0}, c, 1);
  EXPECT_EQ(second.type, Answer::Type::text);
  EXPECT_EQ(second.text, "Tool result: R1\nR2");
  EXPECT_EQ(decide({Kind::agent, 1}, c, 1).type, Answer::Type::tool_call);  // agent-loop never stops
  c.offered_tools.clear();
  c.tool_result.reset();
  c.last_user_text = "CALL a {}";
  EXPECT_EQ(decide({Kind::agent, 0}, c, 0).text, "CALL a {}");  // nothing offered: echo
}
