// Regression tests for what the SSE fuzz targets (tests/fuzz/sse_openai_fuzz.cpp, sse_anthropic_fuzz.cpp) found.
// Each input is also in the target's corpus (tests/fuzz/corpus/<target>/crash-*).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "llm/anthropic.hpp"
#include "llm/openai.hpp"

using namespace netops;
using json = nlohmann::json;

// A negative prompt_tokens made std::clamp's upper bound fall below its lower bound (undefined; in practice
// the cached count came out negative, and so would the price of the call).
TEST(LlmFuzzRegression, OpenAiNegativeCountsReadAsZero) {
  auto u = openai_usage(json::parse(R"({"prompt_tokens":-5,"completion_tokens":-2,
                                        "prompt_tokens_details":{"cached_tokens":3,"cache_write_tokens":-9}})"));
  EXPECT_TRUE(u.reported);
  EXPECT_EQ(u.prompt_tokens, 0);
  EXPECT_EQ(u.cache_read_tokens, 0);
  EXPECT_EQ(u.cache_write_tokens, 0);
  EXPECT_EQ(u.completion_tokens, 0);
  EXPECT_EQ(u.total(), 0);
}

// Counts near INT64_MAX overflowed Usage::total() (signed overflow: undefined behaviour) in the usage chunk
// written to the client and in accounting.
TEST(LlmFuzzRegression, HugeCountsCannotOverflowTotals) {
  auto o = openai_usage(json::parse(R"({"prompt_tokens":9223372036854775807,"completion_tokens":1e300,
                                        "prompt_tokens_details":{"cached_tokens":18446744073709551615}})"));
  EXPECT_GE(o.prompt_tokens, 0);
  EXPECT_GT(o.total(), 0);
  EXPECT_LE(o.total(), 4'000'000'000'000);

  auto a = anthropic_usage(json::parse(R"({"input_tokens":9223372036854775807,"output_tokens":9223372036854775807,
                                           "cache_read_input_tokens":9223372036854775807,
                                           "cache_creation_input_tokens":-1})"));
  EXPECT_EQ(a.cache_write_tokens, 0);
  EXPECT_GT(a.total(), 0);
  EXPECT_LE(a.total(), 4'000'000'000'000);
}

// The same through the stream translators, as an upstream would send it.
TEST(LlmFuzzRegression, StreamsWithHostileUsageStillTotalSanely) {
  OpenAiStream s(true);
  s.feed("", R"({"choices":[],"usage":{"prompt_tokens":-1,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":2}}})");
  EXPECT_GE(s.usage().cache_read_tokens, 0);
  EXPECT_EQ(s.usage().total(), 3);

  AnthropicStream a("m", true, 1);
  a.feed("message_start", R"({"type":"message_start","message":{"id":"x","usage":{"input_tokens":9223372036854775807}}})");
  auto out = a.feed("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},
                                          "usage":{"output_tokens":9223372036854775807}})");
  out += a.feed("message_stop", R"({"type":"message_stop"})");
  EXPECT_GT(a.usage().total(), 0);
  EXPECT_NE(out.find("\"total_tokens\":"), std::string::npos);
}
