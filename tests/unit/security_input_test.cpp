// Inputs that used to stop the process or take unbounded memory (issue #10): deep JSON, huge budgets in
// the configuration, CSV files of commas, LIKE wildcards in searches, private text in audit rows.
#include <gtest/gtest.h>

#include "app/configuration.hpp"
#include "core/config.hpp"
#include "modules/gateway/gateway_settings.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "db/query.hpp"
#include "modules/assets/import_plan.hpp"
#include "modules/chat/types.hpp"

using namespace netops;
using nlohmann::json;

namespace {
std::string nested(std::size_t depth, char open = '[', char close = ']') {
  return std::string(depth, open) + std::string(depth, close);
}
std::map<std::string, std::string> base_env() {
  return {{"NETOPS_DATABASE_URL", "postgresql://x/y"},
          {"NETOPS_JWT_SECRET", std::string(40, 's')},
          {"NETOPS_MASTER_KEY", std::string(64, 'a')}};
}
}  // namespace

TEST(JsonDepth, BoundedAtParseTime) {
  EXPECT_TRUE(json_depth_within(nested(kMaxJsonDepth)));
  EXPECT_FALSE(json_depth_within(nested(kMaxJsonDepth + 1)));
  EXPECT_TRUE(parse_json(nested(kMaxJsonDepth + 1)).is_discarded());
  EXPECT_EQ(parse_json(nested(3)), json::parse("[[[]]]"));
  // 60,000 levels (~120 KB) used to overflow a worker's stack when the value was copied or dumped.
  auto deep = "{\"scopes\":" + nested(60'000) + "}";
  EXPECT_TRUE(parse_json(deep).is_discarded());
  try {
    parse_json_object(deep);
    FAIL() << "a deep body must be refused";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::validation);
    EXPECT_NE(e.details().dump().find("deeper than 64"), std::string::npos) << e.details().dump();
  }
  auto objects = std::string();
  for (int i = 0; i < 100; ++i) objects += "{\"a\":";
  objects += "1" + std::string(100, '}');
  EXPECT_TRUE(parse_json(objects).is_discarded());
}

TEST(JsonDepth, BracketsInsideStringsDoNotCount) {
  std::string s = "{\"a\":\"" + std::string(1000, '[') + "\"}";
  EXPECT_TRUE(json_depth_within(s));
  EXPECT_EQ(parse_json(s)["a"].get<std::string>().size(), 1000u);
  // An escaped quote does not end the string; an escaped backslash before a quote does.
  EXPECT_TRUE(json_depth_within(R"(["\"[[[[", 1])", 2));
  EXPECT_FALSE(json_depth_within(R"(["\\", [[1]]])", 2));
  EXPECT_TRUE(json_depth_within(R"(["\\\"[[[", 1])", 1));
}

TEST(JsonDepth, ObjectBodiesSayWhatIsWrong) {
  auto message = [](std::string_view body) {
    try {
      parse_json_object(body);
    } catch (const AppError& e) {
      return e.details().dump();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message("{\"a\":1}"), "accepted");
  EXPECT_NE(message("").find("is required"), std::string::npos);
  EXPECT_NE(message("{").find("malformed"), std::string::npos);
  EXPECT_NE(message("[1]").find("JSON object"), std::string::npos);
}

TEST(ConfigLimits, BudgetsBeyondWhatTheGatewayCanHoldAreRefused) {
  auto env = base_env();
  env["NETOPS_BUDGET_PRO_MONTHLY_USD"] = "10000000";  // wrapped into "0.000000 of -8446744.073710"
  try {
    load_configuration(env);
    FAIL() << "10,000,000 USD cannot be represented and must stop the start";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("NETOPS_BUDGET_PRO_MONTHLY_USD"), std::string::npos) << e.what();
  }
  env["NETOPS_BUDGET_PRO_MONTHLY_USD"] = "9223372.036854";
  EXPECT_EQ(load_section(load_configuration(env), gateway::gateway_section()).budget_pro.monthly_micro_usd, 9'223'372'036'854LL);
  env["NETOPS_BUDGET_PRO_MONTHLY_USD"] = "9223372.036855";
  EXPECT_THROW(load_configuration(env), ConfigError);
  env["NETOPS_BUDGET_PRO_MONTHLY_USD"] = "999999999999";
  EXPECT_THROW(load_configuration(env), ConfigError);
  env.erase("NETOPS_BUDGET_PRO_MONTHLY_USD");
  env["NETOPS_IMPORT_MAX_ROWS"] = "0";
  EXPECT_THROW(load_configuration(env), ConfigError);
}

TEST(CsvLimits, ReaderKeepsAtMostNFieldsButCountsThemAll) {
  csv::Reader r("a,b,c,d,e\n1,2\n");
  r.keep_at_most(2);
  std::vector<std::string> f;
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.fields_in_record(), 5u);
  ASSERT_TRUE(r.next(f));
  EXPECT_EQ(r.fields_in_record(), 2u);
}

TEST(CsvLimits, ImportFilesAreBoundedInRowsColumnsAndFields) {
  using assets::parse_file;
  assets::ParseLimits lim;
  lim.max_rows = 3;
  auto ok = parse_file("assetCode\nA\nB\nC\n", lim);
  EXPECT_TRUE(ok.fatal.empty());
  EXPECT_EQ(ok.records.size(), 3u);
  auto rows = parse_file("assetCode\nA\nB\nC\nD\n", lim);
  ASSERT_EQ(rows.fatal.size(), 1u);
  EXPECT_NE(rows.fatal[0].reason.find("more than 3 data rows"), std::string::npos) << rows.fatal[0].reason;
  EXPECT_TRUE(rows.records.empty());

  std::string wide_header = "assetCode";
  for (int i = 0; i < 300; ++i) wide_header += ",spec.k" + std::to_string(i);
  auto cols = parse_file(wide_header + "\nA\n");
  ASSERT_EQ(cols.fatal.size(), 1u);
  EXPECT_NE(cols.fatal[0].reason.find("more than 256 columns"), std::string::npos);

  // A record of a million commas keeps two fields in memory and says how wide it really was.
  auto commas = parse_file("assetCode\n" + std::string(1'000'000, ',') + "\n");
  ASSERT_TRUE(commas.fatal.empty());
  ASSERT_EQ(commas.records.size(), 1u);
  EXPECT_EQ(commas.records[0].size(), 2u);
  EXPECT_EQ(commas.widths.at(0), 1'000'001u);

  lim.max_rows = 1'000'000;
  lim.max_cells = 10;
  auto cells = parse_file("assetCode,serialNo\n" + std::string(6, '\n') + "a,b\nc,d\ne,f\ng,h\ni,j\nk,l\n", lim);
  ASSERT_EQ(cells.fatal.size(), 1u);
  EXPECT_NE(cells.fatal[0].reason.find("more than 10 fields"), std::string::npos);
}

TEST(LikeEscape, WildcardsAreLiteral) {
  EXPECT_EQ(db::like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
  EXPECT_EQ(db::like_contains("%"), "%\\%%");
  EXPECT_EQ(db::like_contains("plain"), "%plain%");
}

TEST(ChatAudit, PrivateTextIsAFactNotTheText) {
  auto f = chat::text_fact("héllo secret");
  EXPECT_EQ(f["length"], 12);
  EXPECT_EQ(f["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(f.dump().find("secret"), std::string::npos);
  chat::Conversation c;
  c.id = "00000000-0000-0000-0000-000000000001";
  c.title = "my secret title";
  c.metadata = {{"systemPrompt", "secret prompt"}, {"summary", {{"text", "secret summary"}}}};
  auto v = chat::audit_view(c);
  EXPECT_EQ(v.dump().find("secret"), std::string::npos) << v.dump();
  EXPECT_EQ(v["title"]["length"], 15);
  EXPECT_TRUE(v["metadata"].contains("systemPrompt"));
}

TEST(JsonNul, OnlyAnUnescapedBackslashMakesANul) {
  EXPECT_TRUE(json_has_nul(R"({"a":"x\u0000"})"));
  EXPECT_TRUE(json_has_nul(R"({"a":"\\\u0000"})"));   // \\ then \u0000
  EXPECT_FALSE(json_has_nul(R"({"a":"\\u0000"})"));   // an escaped backslash, then text
  EXPECT_FALSE(json_has_nul(R"({"a":"u0000"})"));
  EXPECT_TRUE(json_has_nul(R"({"a":"\u00001"})"));  // NUL, then "1"
}

TEST(CleanText, InvalidBytesAndNulBecomeQuestionMarksWithinTheLimit) {
  EXPECT_EQ(clean_text("agent\xff\xfe 1.0", 100), "agent?? 1.0");
  EXPECT_EQ(clean_text(std::string("a\0b", 3), 100), "a?b");
  EXPECT_EQ(clean_text("h\xC3\xA9llo", 100), "h\xC3\xA9llo");
  EXPECT_EQ(clean_text("h\xC3\xA9llo", 2), "h");  // never half a character
  EXPECT_EQ(clean_text(std::string(1000, 'x'), 512).size(), 512u);
}
