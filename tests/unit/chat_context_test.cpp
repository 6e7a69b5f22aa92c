// Chat's pure parts: fitting history into a context window, the cached snapshot's JSON, input parsing.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "modules/chat/context.hpp"
#include "modules/chat/chat_body.hpp"

using namespace netops;
using namespace netops::chat;
using nlohmann::json;

namespace {

// 36 characters → 9 tokens of text + 3 per message = 12.
ContextMessage msg(std::int64_t seq, std::string role, std::string stem) {
  stem.resize(36, '.');
  return ContextMessage{seq, std::move(role), std::move(stem), json(), std::nullopt, false};
}

ContextSnapshot conversation(int n) {
  ContextSnapshot s;
  for (int i = 0; i < n; ++i) s.messages.push_back(msg(i + 1, i % 2 ? "assistant" : "user", "m" + std::to_string(i)));
  return s;
}

std::vector<std::string> contents(const Prompt& p) {
  std::vector<std::string> out;
  for (auto& m : p.messages) out.push_back(m["content"].is_string() ? m["content"].get<std::string>().substr(0, 3) : "null");
  return out;
}

}  // namespace

TEST(ChatContext, EverythingFitsNothingIsCut) {
  auto p = build_prompt(conversation(4), std::nullopt, 48);
  EXPECT_EQ(p.included, 4);
  EXPECT_EQ(p.cut, 0);
  EXPECT_EQ(p.tokens, 48);
  EXPECT_TRUE(p.fits);
  EXPECT_EQ(p.messages[0]["role"], "user");
}

TEST(ChatContext, TheNewestMessagesThatFitAreKept) {
  auto p = build_prompt(conversation(9), std::nullopt, 75);  // 6 × 12 = 72
  EXPECT_EQ(p.included, 6);
  EXPECT_EQ(p.cut, 3);
  EXPECT_EQ(contents(p), (std::vector<std::string>{"m3.", "m4.", "m5.", "m6.", "m7.", "m8."}));
}

TEST(ChatContext, SystemPromptComesFirstAndCounts) {
  // "Be brief." = 9 characters → 3 + 3 = 6 tokens; 6 + 5 × 12 = 66 ≤ 70.
  auto p = build_prompt(conversation(9), std::string("Be brief."), 70);
  EXPECT_EQ(p.messages[0], (json{{"role", "system"}, {"content", "Be brief."}}));
  EXPECT_EQ(p.included, 5);
  EXPECT_EQ(p.tokens, 66);
}

TEST(ChatContext, TheSummaryStandsInOnlyForWhatWasCut) {
  auto s = conversation(9);
  s.summary = "x";  // the system message "Summary of …:\nx" = 51 characters → 13 + 3 = 16 tokens
  auto all = build_prompt(s, std::nullopt, 200);
  EXPECT_FALSE(all.summary_used);
  EXPECT_EQ(all.included, 9);
  auto cut = build_prompt(s, std::nullopt, 75);  // 16 + 4 × 12 = 64; a fifth message would need 76
  EXPECT_TRUE(cut.summary_used);
  EXPECT_EQ(cut.included, 4);
  EXPECT_EQ(cut.messages[0]["role"], "system");
  EXPECT_EQ(cut.messages[0]["content"], std::string(kSummaryPreamble) + "x");
  EXPECT_EQ(cut.tokens, 64);
}

TEST(ChatContext, AnIncompleteSnapshotAlwaysBringsItsSummary) {
  auto s = conversation(2);
  s.complete = false;  // older messages exist beyond the cached ones
  s.summary = "older things";
  auto p = build_prompt(s, std::nullopt, 1000);
  EXPECT_TRUE(p.summary_used);
}

TEST(ChatContext, ToolResultsNeverLoseTheirCall) {
  ContextSnapshot s;
  s.messages.push_back(msg(1, "user", "question"));
  auto call = msg(2, "assistant", "");
  call.content.clear();
  call.tool_calls = json::array({{{"id", "call_1"}, {"type", "function"}, {"function", {{"name", "f"}, {"arguments", "{}"}}}}});
  s.messages.push_back(call);
  auto result = msg(3, "tool", "result");
  result.tool_call_id = "call_1";
  s.messages.push_back(result);
  s.messages.push_back(msg(4, "assistant", "answer"));
  // Room for the last two only: the tool result would start the prompt without its call, so it goes too.
  auto p = build_prompt(s, std::nullopt, 24);
  ASSERT_EQ(p.included, 1);
  EXPECT_EQ(p.messages[0]["role"], "assistant");
  // With room for all: the call keeps content null and carries its tool_calls.
  auto all = build_prompt(s, std::nullopt, 1000);
  ASSERT_EQ(all.included, 4);
  EXPECT_TRUE(all.messages[1]["content"].is_null());
  EXPECT_EQ(all.messages[1]["tool_calls"][0]["id"], "call_1");
  EXPECT_EQ(all.messages[2]["tool_call_id"], "call_1");
}

TEST(ChatContext, OrphanedToolResultsAndIncompleteAnswersStayOut) {
  ContextSnapshot s;
  s.messages.push_back(msg(1, "user", "question"));
  auto orphan = msg(2, "tool", "result of a deleted call");
  orphan.tool_call_id = "call_gone";
  s.messages.push_back(orphan);
  auto broken = msg(3, "assistant", "half an ans");
  broken.incomplete = true;
  s.messages.push_back(broken);
  s.messages.push_back(msg(4, "user", "again"));
  auto p = build_prompt(s, std::nullopt, 1000);
  EXPECT_EQ(contents(p), (std::vector<std::string>{"que", "aga"}));
}

TEST(ChatContext, AMessageTooLongForTheWindowDoesNotFit) {
  auto s = conversation(1);
  EXPECT_FALSE(build_prompt(s, std::nullopt, 11).fits);
  EXPECT_TRUE(build_prompt(s, std::nullopt, 12).fits);
}

TEST(ChatContext, SnapshotsSurviveTheirJson) {
  auto s = conversation(3);
  s.version = 42;
  s.complete = false;
  s.summary = "sum";
  s.messages[1].tool_calls = json::array({{{"id", "c"}}});
  s.messages[2].tool_call_id = "c";
  s.messages[2].incomplete = true;
  auto back = snapshot_from_json(snapshot_to_json(s));
  ASSERT_TRUE(back);
  EXPECT_EQ(snapshot_to_json(*back), snapshot_to_json(s));
  EXPECT_FALSE(snapshot_from_json(json{{"v", "x"}}));
  EXPECT_FALSE(snapshot_from_json(json::array()));
}

TEST(ChatInput, TitlesComeFromTheFirstLine) {
  EXPECT_EQ(title_from("  How do I   reset\tthe switch?\nDetails follow"), "How do I reset the switch?");
  EXPECT_EQ(title_from("   \n  "), "New conversation");
  std::string longer = "Please explain how spanning tree protocol elects the root bridge in a campus network";
  std::string t = title_from(longer);
  EXPECT_EQ(t, "Please explain how spanning tree protocol elects the root…");
  std::string utf8(70, 'x');
  utf8 += "é";
  EXPECT_EQ(title_from(utf8).size(), 60 + std::string("…").size());
}

TEST(ChatInput, ModelReferences) {
  for (const char* ok : {"auto", "tier:0", "tier:3", "openai/gpt-4o", "openrouter/anthropic/claude-3.5-sonnet"})
    EXPECT_TRUE(valid_model_ref(ok)) << ok;
  for (const char* bad : {"", "tier:4", "tier:", "has space", "a\"b"}) EXPECT_FALSE(valid_model_ref(bad)) << bad;
}

TEST(ChatInput, SendNeedsAMessageOrToolResults) {
  EXPECT_THROW(parse_send(json::object()), AppError);
  EXPECT_THROW(parse_send({{"toolResults", {{{"toolCallId", "c"}, {"content", "x"}}}}}), AppError);  // no conversation
  auto in = parse_send({{"toolResults", {{{"toolCallId", "c"}, {"content", {{"a", 1}}}}}},
                        {"conversationId", "00000000-0000-4000-8000-000000000001"}});
  ASSERT_EQ(in.tool_results.size(), 1u);
  EXPECT_EQ(in.tool_results[0].content, "{\"a\":1}");
  auto full = parse_send({{"message", "hi"}, {"temperature", 0.5}, {"maxTokens", 100}, {"stream", true}});
  EXPECT_EQ(*full.message, "hi");
  EXPECT_EQ(*full.max_tokens, 100);
  EXPECT_TRUE(full.stream);
  try {
    parse_send({{"message", 1}, {"tools", json::array({{{"type", "function"}}})}, {"stream", "yes"}});
    FAIL();
  } catch (const AppError& e) {
    EXPECT_EQ(e.details()["errors"].size(), 3u) << e.details().dump();
  }
}

TEST(ChatInput, ConversationPatchKeepsTheServersKeys) {
  auto p = parse_conversation_patch({{"title", "t"}, {"id", "ignored"}, {"metadata", {{"summary", "x"}, {"team", "noc"}}}});
  ASSERT_TRUE(p.metadata);
  EXPECT_EQ(*p.metadata, (json{{"team", "noc"}}));
  EXPECT_THROW(parse_conversation_patch({{"status", "deleted"}}), AppError);
  EXPECT_THROW(parse_conversation_patch({{"colour", "red"}}), AppError);
  EXPECT_THROW(parse_new_conversation({{"metadata", {{"summaryThroughSeq", 3}}}}), AppError);
}

TEST(ChatContext, CallsTheClientNeverAnsweredGoAsText) {
  ContextSnapshot s;
  s.messages.push_back(msg(1, "user", "look it up"));
  auto call = msg(2, "assistant", "let me check");
  call.content = "let me check";
  call.tool_calls = json::array({{{"id", "a"}, {"type", "function"}, {"function", {{"name", "f"}, {"arguments", "{}"}}}},
                                 {{"id", "b"}, {"type", "function"}, {"function", {{"name", "g"}, {"arguments", "{}"}}}}});
  s.messages.push_back(call);
  auto only_a = msg(3, "tool", "result a");
  only_a.tool_call_id = "a";
  s.messages.push_back(only_a);  // b was never answered
  s.messages.push_back(msg(4, "user", "never mind"));
  auto p = build_prompt(s, std::nullopt, 1000);
  ASSERT_EQ(p.messages.size(), 3u) << p.messages.dump();
  EXPECT_EQ(p.messages[1], (json{{"role", "assistant"}, {"content", "let me check"}}));  // no tool_calls
  EXPECT_EQ(p.messages[2]["content"].get<std::string>().substr(0, 5), "never");       // result a left out
  // A call without text and without its results is left out whole.
  s.messages[1].content.clear();
  auto q = build_prompt(s, std::nullopt, 1000);
  ASSERT_EQ(q.messages.size(), 2u) << q.messages.dump();
  EXPECT_EQ(q.messages[0]["role"], "user");
  EXPECT_EQ(q.messages[1]["role"], "user");
}
