// The ai_registry module's pure input rules: exact decimals, ids, endpoints, rule conditions, patterns.
#include <gtest/gtest.h>

#include <re2/re2.h>

#include "modules/ai_registry/types.hpp"
#include "modules/ai_registry/model_body.hpp"
#include "modules/ai_registry/provider_body.hpp"
#include "modules/ai_registry/rule_body.hpp"

using namespace netops;
using namespace netops::ai_registry;
using nlohmann::json;

TEST(ModelsValidate, DecimalsAreExactTextNeverDoubles) {
  EXPECT_EQ(decimal_text("0.0025", 4, 6, false), "0.0025");
  EXPECT_EQ(decimal_text(0.01, 4, 6, false), "0.01");
  EXPECT_EQ(decimal_text(1e-05, 4, 6, false), "0.00001");
  EXPECT_EQ(decimal_text(3, 4, 6, false), "3");
  EXPECT_EQ(decimal_text("007.500000000", 4, 6, false), "7.5");  // trailing zeros beyond the scale are fine
  EXPECT_EQ(decimal_text("-12.5", 8, 4, true), "-12.5");
  EXPECT_FALSE(decimal_text("-1", 4, 6, false));
  EXPECT_FALSE(decimal_text("0.0000001", 4, 6, false));  // a 7th decimal would be rounded away by NUMERIC(10,6)
  EXPECT_FALSE(decimal_text("10000", 4, 6, false));
  EXPECT_FALSE(decimal_text("1e-3", 4, 6, false));
  EXPECT_FALSE(decimal_text(" 1", 4, 6, false));
  EXPECT_FALSE(decimal_text(".5", 4, 6, false));
  EXPECT_FALSE(decimal_text(true, 4, 6, false));
}

TEST(ModelsValidate, IdsAndEndpoints) {
  EXPECT_TRUE(valid_provider_id("openai"));
  EXPECT_TRUE(valid_provider_id("my-vllm_2"));
  EXPECT_FALSE(valid_provider_id("OpenAI"));
  EXPECT_FALSE(valid_provider_id("-x"));
  EXPECT_FALSE(valid_provider_id(std::string(51, 'a')));
  EXPECT_TRUE(valid_model_id("openai/gpt-4o"));
  EXPECT_TRUE(valid_model_id("gpt-4o"));
  EXPECT_TRUE(valid_model_id("openrouter/anthropic/claude-3.5-sonnet"));
  EXPECT_TRUE(valid_model_id("ollama/llama3:8b"));
  EXPECT_FALSE(valid_model_id("a/b/c/d"));
  EXPECT_FALSE(valid_model_id("a//b"));
  EXPECT_FALSE(valid_model_id("a/../b"));
  EXPECT_FALSE(valid_model_id("a/performance"));
  EXPECT_FALSE(valid_model_id("with space/x"));
  EXPECT_EQ(normalize_endpoint("https://api.openai.com/v1/"), "https://api.openai.com/v1");
  EXPECT_EQ(normalize_endpoint("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(normalize_endpoint("http://[::1]:9000/v1"), "http://[::1]:9000/v1");
  EXPECT_FALSE(normalize_endpoint("ftp://host"));
  EXPECT_FALSE(normalize_endpoint("https://user:pw@host/v1"));
  EXPECT_FALSE(normalize_endpoint("https://host/v1?key=x"));
  EXPECT_FALSE(normalize_endpoint("https://host/v 1"));
}

TEST(ModelsValidate, RulePatchesAreCheckedAsAWhole) {
  Rule r;
  Validation v;
  apply_rule({{"name", "r"}, {"strategy", "load_balance"}, {"modelSequence", {"a/x", "a/y"}},
              {"metadata", {{"weights", {{"a/x", 3}, {"a/y", 1}}}}}},
             r, true, v);
  ASSERT_TRUE(v.empty()) << v.errors().dump();
  Validation v2;
  Rule patched = r;
  apply_rule({{"modelSequence", {"a/x"}}}, patched, false, v2);  // weights now name a model outside the sequence
  ASSERT_EQ(v2.errors().size(), 1u);
  EXPECT_EQ(v2.errors()[0]["field"], "metadata.weights.a/y");
}

TEST(ModelsValidate, PatternsMatchCaseInsensitivelyWithinABoundedWindow) {
  Rule r;
  EXPECT_TRUE(r.pattern_matches("anything"));  // no pattern: no condition
  r.pattern = compile_rule_pattern("^/code\\b");
  EXPECT_TRUE(r.pattern_matches("/CODE please"));
  EXPECT_FALSE(r.pattern_matches("no code here"));
  std::string huge(Rule::kPatternWindow * 4, 'a');
  r.pattern = compile_rule_pattern("needle");
  EXPECT_FALSE(r.pattern_matches(huge + "needle"));  // only the first kPatternWindow bytes are searched
  EXPECT_TRUE(r.pattern_matches("NEEDLE" + huge));
}

// A pattern that backtracks exponentially (ECMAScript) is linear under RE2: this call used to take hours.
TEST(ModelsValidate, CatastrophicPatternsRunInLinearTime) {
  Rule r;
  r.pattern = compile_rule_pattern("^(\\w+\\s?)+$");
  ASSERT_TRUE(r.pattern->ok());
  EXPECT_FALSE(r.pattern_matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"));
  EXPECT_TRUE(r.pattern_matches("some words here"));
  std::string long_text(Rule::kPatternWindow, 'a');
  EXPECT_TRUE(r.pattern_matches(long_text));
  // Backreferences and lookaround are not RE2: refused at validation, never a rule that never matches.
  EXPECT_FALSE(compile_rule_pattern("(a)\\1")->ok());
  EXPECT_FALSE(compile_rule_pattern("(?=x)")->ok());
}

// Price text is read by hand, not by a regex: 50,000 digits used to crash std::regex (stack overflow).
TEST(ModelsValidate, HugeDecimalTextIsRefusedWithoutACrash) {
  std::string digits(50'000, '7');
  EXPECT_FALSE(decimal_text(digits, 4, 6, false));
  EXPECT_FALSE(decimal_text("1." + digits, 4, 6, false));
  EXPECT_FALSE(decimal_text("1.", 4, 6, false));
  EXPECT_FALSE(decimal_text("-", 4, 6, true));
  EXPECT_FALSE(decimal_text("1.2.3", 4, 6, false));
  EXPECT_FALSE(decimal_text("\xEF\xBC\x91", 4, 6, false));  // a full-width digit is not [0-9]
}

TEST(ModelsValidate, UpstreamModelName) {
  ModelConfig m;
  m.id = "openrouter/anthropic/claude-3.5-sonnet";
  EXPECT_EQ(m.upstream_model(), "anthropic/claude-3.5-sonnet");
  m.capabilities = {{"upstreamModel", "claude-x-2024"}};
  EXPECT_EQ(m.upstream_model(), "claude-x-2024");
  m.capabilities = json::object();
  m.id = "echo";
  EXPECT_EQ(m.upstream_model(), "echo");
}
