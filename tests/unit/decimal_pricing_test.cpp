#include <gtest/gtest.h>

#include <stdexcept>

#include "llm/decimal.hpp"
#include "llm/pricing.hpp"

using namespace netops;
using json = nlohmann::json;

namespace {
Decimal D(const char* s) { return Decimal::parse(s); }
}  // namespace

TEST(DecimalParse, AcceptsPlainNotation) {
  struct Case {
    const char* in;
    std::int64_t raw;
  };
  const Case cases[] = {
      {"0", 0},
      {"12", 12'000'000'000'000},
      {"-1.5", -1'500'000'000'000},
      {"+2.25", 2'250'000'000'000},
      {"0.000150", 150'000'000},
      {"0.000000000001", 1},
      {"1.100000000000000", 1'100'000'000'000},  // NUMERIC(20,15) output: zeros beyond 12 decimals are exact
      {"9223372.036854775807", 9'223'372'036'854'775'807},
      {"-9223372.036854775808", std::numeric_limits<std::int64_t>::min()},
  };
  for (const auto& c : cases) EXPECT_EQ(Decimal::parse(c.in).raw(), c.raw) << c.in;
}

TEST(DecimalParse, RefusesJunk) {
  for (const char* junk : {"", "-", "+", ".5", "1.", "1e-3", "1,5", " 1", "1 ", "abc", "1.2.3", "--1", "0x10",
                           "0.0000000000001", "1.0000000000009"})
    EXPECT_THROW(Decimal::parse(junk), std::invalid_argument) << '"' << junk << '"';
  EXPECT_THROW(Decimal::parse("9223372.036854775808"), std::out_of_range);
  EXPECT_THROW(Decimal::parse("99999999999999999999999"), std::out_of_range);
}

TEST(DecimalFormat, RoundsHalfAwayFromZeroAtTheRequestedScale) {
  struct Case {
    const char* in;
    int scale;
    const char* out;
  };
  const Case cases[] = {
      {"0.000185185100", 6, "0.000185"}, {"0.0000005", 6, "0.000001"},  {"0.00000049", 6, "0.000000"},
      {"-0.0000005", 6, "-0.000001"},    {"-0.0000004", 6, "0.000000"}, {"12", 6, "12.000000"},
      {"12.5", 0, "13"},                 {"-12.5", 0, "-13"},           {"1.999999999999", 2, "2.00"},
      {"0.000000000001", 12, "0.000000000001"},                          {"123.456", 3, "123.456"},
  };
  for (const auto& c : cases) EXPECT_EQ(D(c.in).to_string(c.scale), c.out) << c.in << " @" << c.scale;
  EXPECT_EQ(Decimal().to_string(), "0.000000");
  EXPECT_THROW(D("1").to_string(13), std::invalid_argument);
  EXPECT_THROW(D("1").to_string(-1), std::invalid_argument);
}

TEST(DecimalArithmetic, IsExactWhereDoublesDrift) {
  EXPECT_EQ(D("0.1") + D("0.2"), D("0.3"));
  Decimal sum;
  for (int i = 0; i < 1'000'000; ++i) sum += D("0.000001");
  EXPECT_EQ(sum, D("1"));
  EXPECT_EQ(D("1") - D("0.000001"), D("0.999999"));
  EXPECT_EQ(-D("2.5"), D("-2.5"));
  EXPECT_LT(D("0.000001"), D("0.00001"));
  EXPECT_GT(D("-1"), D("-2"));
  EXPECT_EQ(D("0.000150").times(3), D("0.00045"));
  EXPECT_EQ(D("1").divided_by(3).to_string(12), "0.333333333333");
  EXPECT_EQ(D("2").divided_by(3).to_string(12), "0.666666666667");  // half-up at the last pico
  EXPECT_EQ(D("-2").divided_by(3).to_string(12), "-0.666666666667");
  EXPECT_EQ(D("1").divided_by(-4), D("-0.25"));
  EXPECT_EQ(Decimal::from_int(7), D("7"));
  EXPECT_THROW(D("1").divided_by(0), std::domain_error);
  EXPECT_THROW(D("9000000").times(2), std::overflow_error);
  EXPECT_THROW(D("9000000") + D("9000000"), std::overflow_error);
}

TEST(PricingCost, MultipliesFirstAndDividesOnce) {
  Usage u;
  u.prompt_tokens = 1'234'567;
  // 1,234,567 × $0.000150 per 1k = 0.18518505 exactly; 0.185185 at scale 6.
  EXPECT_EQ(cost(u, {D("0.000150"), {}, {}, {}}).to_string(12), "0.185185050000");
  EXPECT_EQ(cost(u, {D("0.000150"), {}, {}, {}}).to_string(6), "0.185185");
  // At $0.00000015 per 1k (= $0.15 per 1M): 0.000185185050 → 0.000185 at scale 6.
  EXPECT_EQ(cost(u, {D("0.00000015"), {}, {}, {}}).to_string(12), "0.000185185050");
  EXPECT_EQ(cost(u, {D("0.00000015"), {}, {}, {}}).to_string(6), "0.000185");
  u.completion_tokens = 1000;
  EXPECT_EQ(cost(u, {D("0.000150"), D("0.000600"), {}, {}}).to_string(12), "0.185785050000");
  // A price of one pico-dollar per 1k: one token costs 0.001 pico (rounds to 0), 1000 tokens exactly 1
  // pico — dividing once, after summing every part, is what keeps sub-pico parts from vanishing.
  Usage parts;
  parts.prompt_tokens = 500;
  parts.completion_tokens = 500;
  Prices pico{D("0.000000000001"), D("0.000000000001"), {}, {}};
  EXPECT_EQ(cost(parts, pico).raw(), 1);
  Usage one;
  one.prompt_tokens = 1;
  EXPECT_EQ(cost(one, pico).raw(), 0);
  // Sums of exact costs never drift: 10,000 calls of 1,234 tokens at $0.000150/1k.
  Usage call;
  call.prompt_tokens = 1234;
  Decimal total;
  for (int i = 0; i < 10'000; ++i) total += cost(call, {D("0.000150"), {}, {}, {}});
  EXPECT_EQ(total.to_string(12), "1.851000000000");
}

TEST(PricingCost, PricesCacheTokensSeparatelyWithInputFallback) {
  Usage u;
  u.prompt_tokens = 1000;
  u.completion_tokens = 500;
  u.cache_read_tokens = 2000;
  u.cache_write_tokens = 400;
  struct Case {
    Prices prices;
    const char* expected;
  };
  const Case cases[] = {
      // 1000×3 + 500×15 + 2000×0.3 + 400×3.75 = 3000 + 7500 + 600 + 1500 = 12600 → /1000 = 12.6 (per-1k $)
      {{D("3"), D("15"), D("0.3"), D("3.75")}, "12.600000"},
      // no cache prices: cache tokens at the input price → (3000 + 7500 + 6000 + 1200) / 1000
      {{D("3"), D("15"), {}, {}}, "17.700000"},
      // missing output price: that part costs nothing
      {{D("3"), {}, D("0.3"), D("3.75")}, "5.100000"},
      {{{}, {}, {}, {}}, "0.000000"},
  };
  for (const auto& c : cases) EXPECT_EQ(cost(u, c.prices).to_string(), c.expected);
  EXPECT_EQ(estimate_cost(1000, 2000, {D("0.01"), D("0.03"), {}, {}}).to_string(), "0.070000");
}

TEST(PricingEstimate, CountsCodePointsNotBytes) {
  EXPECT_EQ(estimate_tokens(""), 0);
  EXPECT_EQ(estimate_tokens("abc"), 1);
  EXPECT_EQ(estimate_tokens("abcd"), 1);
  EXPECT_EQ(estimate_tokens("abcde"), 2);
  EXPECT_EQ(estimate_tokens("привет"), 2);        // 6 code points, 12 bytes
  EXPECT_EQ(estimate_tokens("日本語のテキスト"), 2);  // 8 code points, 24 bytes
  EXPECT_EQ(estimate_tokens("🙂🙂🙂🙂🙂"), 2);       // 5 code points, 20 bytes
}

TEST(PricingEstimate, PromptTokensAddTextToolCallsImagesAndOverhead) {
  json messages = json::parse(R"([
    {"role":"system","content":"abcdefgh"},
    {"role":"user","content":[{"type":"text","text":"abcd"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},
    {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"lookup","arguments":"{\"a\":1}"}}]},
    {"role":"tool","tool_call_id":"c1","content":"ok"}
  ])");
  // system 2+3, user 1+85+3, assistant ceil(13/4)=4+3, tool 1+3
  EXPECT_EQ(estimate_prompt_tokens(messages), 5 + 89 + 7 + 4);
  EXPECT_EQ(estimate_prompt_tokens(json::array()), 0);
  EXPECT_EQ(estimate_prompt_tokens(json("junk")), 0);
}
