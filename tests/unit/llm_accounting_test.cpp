// Usage accounting's pure parts (issue #10 items 2 and 13): records clamped to what the columns hold,
// free-text fields sanitised for the retry of a refused record, batch sums that cannot overflow.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "modules/gateway/accounting.hpp"

using namespace netops;
using namespace netops::gateway;
using json = nlohmann::json;

namespace {
UsageRecord record(const std::string& cost) {
  UsageRecord r;
  r.user_id = "u1";
  r.model_id = "mock/echo";
  r.provider = "mock";
  r.request_id = "rid";
  r.prompt_tokens = 10;
  r.completion_tokens = 5;
  r.cost = Decimal::parse(cost);
  return r;
}
}  // namespace

TEST(AccountingSums, CostsBeyondDecimalRangeDoNotThrow) {
  // Four records of 3,000,000 USD: their sum (12,000,000) is beyond Decimal's ±9,223,372 range. Summing
  // them used to throw std::overflow_error, which the flusher took for a database failure and retried
  // forever, blocking every later record.
  std::vector<UsageRecord> batch(4, record("3000000"));
  std::string stats, providers;
  ASSERT_NO_THROW(stats = detail::stats_json(batch));
  ASSERT_NO_THROW(providers = detail::providers_json(batch));
  auto s = json::parse(stats);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0]["total_cost"], "12000000.000000");
  EXPECT_EQ(s[0]["total_tokens"], 60);
  EXPECT_EQ(s[0]["message_count"], 4);
  auto p = json::parse(providers);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0]["cost"], "12000000.000000000000");
  EXPECT_EQ(p[0]["tokens"], 60);
}

TEST(AccountingSums, StatsAddCostsAsTheLogStoresThem) {
  std::vector<UsageRecord> batch{record("0.0000004"), record("0.0000004"), record("0.0000015")};
  auto s = json::parse(detail::stats_json(batch));
  EXPECT_EQ(s[0]["total_cost"], "0.000002");  // 0.000000 + 0.000000 + 0.000002
  auto columns = detail::logs_columns(batch);
  EXPECT_EQ(columns.values().at(6), R"({"0.000000","0.000000","0.000002"})");  // total_cost
}

TEST(AccountingClamp, ValuesBeyondTheColumnsAreClamped) {
  UsageRecord r = record("0.5");
  EXPECT_FALSE(clamp_to_columns(r));
  r.prompt_tokens = std::numeric_limits<std::int64_t>::max();
  r.completion_tokens = -5;
  r.cost = Decimal::from_raw(std::numeric_limits<std::int64_t>::max());
  r.quality_score = 7.0;
  r.tier = 9;
  r.latency_ms = -1;
  EXPECT_TRUE(clamp_to_columns(r));
  EXPECT_EQ(r.prompt_tokens, kMaxRecordTokens);
  EXPECT_EQ(r.completion_tokens, 0);
  EXPECT_EQ(r.cost.to_string(6), "9223372.036854");  // rounds to 6 decimals without leaving Decimal's range
  EXPECT_EQ(r.quality_score, 1.0);
  EXPECT_EQ(r.tier, 3);
  EXPECT_EQ(r.latency_ms, 0);
  r.quality_score = std::nan("");
  r.cost = Decimal::parse("-1");
  EXPECT_TRUE(clamp_to_columns(r));
  EXPECT_FALSE(r.quality_score.has_value());
  EXPECT_TRUE(r.cost.is_zero());
  // A batch of records at the limits still sums without overflow.
  std::vector<UsageRecord> batch(Accounting::kBatch, r);
  EXPECT_NO_THROW(detail::stats_json(batch));
  EXPECT_NO_THROW(detail::providers_json(batch));
}

TEST(AccountingSanitise, FreeTextFieldsFitTheirColumns) {
  UsageRecord r = record("1");
  r.request_id = std::string(128, 'a');
  r.error_code = "http_500\x01" + std::string(80, 'e');
  r.model_id = std::string(99, 'm') + "\xC3\xA9\xC3\xA9";  // 103 bytes: the cut must not split an é
  r.provider = std::string(300, 'p');
  r.conversation_id = "not-a-uuid";
  auto s = sanitised(r);
  EXPECT_EQ(s.request_id, std::string(100, 'a'));
  EXPECT_EQ(s.error_code.size(), 50u);
  EXPECT_EQ(s.error_code.find('\x01'), std::string::npos);
  EXPECT_EQ(s.model_id, std::string(99, 'm'));
  EXPECT_EQ(s.provider.size(), 100u);
  EXPECT_FALSE(s.conversation_id.has_value());
  EXPECT_EQ(s.total_tokens(), r.total_tokens());  // what it counts is kept
  EXPECT_EQ(s.cost, r.cost);
  EXPECT_EQ(detail::logs_columns({s}).values().at(17), "{\"" + std::string(100, 'a') + "\"}");  // request_id
}

#include <filesystem>
#include <unistd.h>

#include "modules/gateway/spill.hpp"

TEST(AccountingSpill, RecordsRoundTripThroughAFile) {
  UsageRecord r = record("1.234567890123");
  r.conversation_id = "0190a5b4-2c3d-7e8f-9a0b-1c2d3e4f5a6b";
  r.quality_score = 0.75;
  r.success = false;
  r.error_code = "SHUTDOWN";
  r.estimated = true;
  r.attempts = 3;
  r.cache_hit = true;
  UsageRecord plain = record("0");
  auto dir = (std::filesystem::temp_directory_path() / ("netops-spill-unit-" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(dir);
  auto path = spill::write_file(dir, {r, plain});
  auto files = spill::files(dir);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0], path);
  std::size_t bad = 0;
  auto back = spill::read_file(path, bad);
  EXPECT_EQ(bad, 0u);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(spill::to_line(back[0]), spill::to_line(r));
  EXPECT_EQ(spill::to_line(back[1]), spill::to_line(plain));
  EXPECT_EQ(back[0].cost, r.cost);
  EXPECT_TRUE(back[0].cache_hit);
  EXPECT_FALSE(back[1].cache_hit);
  EXPECT_EQ(back[0].at, std::chrono::time_point_cast<std::chrono::microseconds>(r.at));
  EXPECT_FALSE(spill::from_line("{\"user_id\": 1}").has_value());
  EXPECT_FALSE(spill::from_line("not json").has_value());
  std::filesystem::remove_all(dir);
}

#include "core/json_text.hpp"

// The usage rows travel as one array literal per column, in the statement's order: quoted text (quotes and
// backslashes escaped), NULL for what is absent, numbers and booleans bare.
TEST(AccountingLogsColumns, OneArrayPerColumnInTheStatementsOrder) {
  UsageRecord a = record("0.0123456");
  a.user_id = "u-1";
  a.model_id = "m/\"q\"\\";
  a.provider = "p";
  a.tier = 2;
  a.prompt_tokens = 7;
  a.completion_tokens = 5;
  a.request_id = "r,{1}";
  a.quality_score = 0.1 + 0.2;
  a.error_code = "http_500";
  a.conversation_id = "0190a5b4-2c3d-7e8f-9a0b-1c2d3e4f5a6b";
  a.usage_key = "0190a5b4-2c3d-7e8f-9a0b-1c2d3e4f5a6c";
  a.success = false;
  a.cache_hit = true;
  a.escalated = true;
  a.latency_ms = 12;
  a.upstream_latency_ms = 9;
  a.attempts = 2;
  a.at = std::chrono::sys_days{std::chrono::year{2026} / 12 / 4} + std::chrono::microseconds(3'723'000'042);
  UsageRecord b = record("1");
  b.prompt_tokens = kMaxRecordTokens;
  auto v = detail::logs_columns({a, b}).values();
  ASSERT_EQ(v.size(), 23u);
  const std::vector<std::string> want = {
      R"({"u-1",")" + b.user_id + R"("})",
      R"({"m/\"q\"\\",")" + b.model_id + R"("})",
      "{2," + std::to_string(b.tier) + "}",
      "{7," + std::to_string(kMaxRecordTokens) + "}",
      "{5," + std::to_string(b.completion_tokens) + "}",
      "{12," + std::to_string(b.total_tokens()) + "}",
      R"({"0.012346","1.000000"})",
      R"({"0.30000000000000004",NULL})",
      "{t,f}",
      R"({"p",")" + b.provider + R"("})",
      "{12,0}",
      "{9,0}",
      R"({"error","success"})",
      R"({"http_500",NULL})",
      "{f,f}",
      "{0,0}",
      "{0,0}",
      R"({"r,{1}",")" + b.request_id + R"("})",
      "{2,1}",
      R"({"0190a5b4-2c3d-7e8f-9a0b-1c2d3e4f5a6b",NULL})",
      R"({"2026-12-04T01:02:03.000042Z",")",  // b's time is now: only the prefix is fixed
      "{t,f}",
      R"({"0190a5b4-2c3d-7e8f-9a0b-1c2d3e4f5a6c",NULL})",
  };
  for (std::size_t i = 0; i < want.size(); ++i) {
    ASSERT_TRUE(v[i].has_value()) << i;
    if (i == 20)
      EXPECT_EQ(v[i]->substr(0, want[i].size()), want[i]);
    else
      EXPECT_EQ(*v[i], want[i]) << "column " << i;
  }
  EXPECT_EQ(detail::logs_columns({}).values().at(0), "{}");
}

TEST(JsonText, StringsAreWrittenAsNlohmannWritesThem) {
  for (std::string s : {std::string(""), std::string("plain ascii 123"), std::string("quote\" backslash\\"),
                        std::string("ctl \x01\x1f del \x7f"), std::string("utf8 é 日本"), std::string("bad \xC3 \xFF"),
                        std::string("nul \0 in", 8)}) {
    std::string out;
    append_json_string(out, s);
    EXPECT_EQ(out, json(s).dump(-1, ' ', false, json::error_handler_t::replace)) << s;
  }
}
