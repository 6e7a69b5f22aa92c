#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/json.hpp"
#include "http/pipeline.hpp"
#include "http/request.hpp"

using namespace netops;
using namespace netops::http;

TEST(Request, ParsesQueryStringsWithEscapes) {
  auto q = parse_query("a=1&b=x%20y&c=a+b&flag&&d=%zz");
  ASSERT_EQ(q.size(), 5u);
  EXPECT_EQ(q[1].second, "x y");
  EXPECT_EQ(q[2].second, "a b");
  EXPECT_EQ(q[3].first, "flag");
  EXPECT_EQ(q[4].second, "%zz");
}

TEST(Request, TypedQueryParametersValidateRanges) {
  Request r;
  r.query_params = {{"page", "2"}, {"pageSize", "5000"}, {"x", "abc"}, {"b", "true"}};
  EXPECT_EQ(r.query_int("page", 1, 1, 100000), 2);
  EXPECT_EQ(r.query_int("missing", 7, 1, 10), 7);
  EXPECT_THROW(r.query_int("pageSize", 50, 1, 1000), AppError);
  EXPECT_THROW(r.query_int("x", 1, 1, 10), AppError);
  EXPECT_EQ(r.query_bool("b"), true);
}

TEST(Request, JsonBodyMustBeAWellFormedObject) {
  Request r;
  r.body = R"({"a":1})";
  EXPECT_EQ(r.json()["a"], 1);
  for (const char* bad : {"{", "[1,2]", "", "nul"}) {
    Request b;
    b.body = bad;
    try {
      b.json();
      FAIL() << bad;
    } catch (const AppError& e) {
      EXPECT_EQ(e.code(), ErrorCode::validation) << bad;
    }
  }
}

// Bodies are lexed by simdjson and handed on as nlohmann values: the same values, and the same refusals, as
// nlohmann's own parser — including its edge cases.
TEST(Request, JsonBodiesParseExactlyAsNlohmannDoes) {
  const std::string big_string(100 * 1024, 'x');  // beyond the fast path's size: nlohmann alone
  for (std::string text : {
           std::string(R"({"a":1,"b":-2,"c":18446744073709551615,"d":1.5e3,"e":[true,false,null],"f":{"g":"h"}})"),
           std::string(R"({"k":1,"k":2})"),                           // a repeated key: the last one counts
           std::string(R"({"n":123456789012345678901234567890})"),  // beyond 64 bits: a double
           std::string(R"({"s":"caf\u00e9 \ud83d\ude00 \\\" \/ \n", "t":"日本"})"),
           std::string(R"({"x":0.1,"y":1E-7,"z":-0.0,"w":9007199254740993})"),
           std::string(R"(  {"pad":"ding"}   )"),
           R"({"long":")" + big_string + R"("})",
       }) {
    auto expected = nlohmann::json::parse(text);
    auto got = parse_json_object(text);
    EXPECT_EQ(got, expected) << text.substr(0, 120);
    EXPECT_EQ(got.dump(), expected.dump()) << text.substr(0, 120);
  }
  auto types = parse_json_object(R"({"u":5,"i":-5,"f":5.0})");
  EXPECT_TRUE(types["u"].is_number_unsigned());
  EXPECT_TRUE(types["i"].is_number_integer() && !types["i"].is_number_unsigned());
  EXPECT_TRUE(types["f"].is_number_float());
  for (std::string bad : {std::string(R"({"a":1} x)"), std::string(R"({"a":"\ud800"})"), std::string("{\"a\":\"\x01\"}"),
                          std::string("{\"a\":\"\xff\"}"), std::string(R"({"a":1e400})"), std::string(R"({"a":01})"),
                          std::string(R"({"a":NaN})"), std::string(R"({"a":[1,]})"), std::string(R"({'a':1})")}) {
    EXPECT_TRUE(nlohmann::json::parse(bad, nullptr, false).is_discarded()) << "nlohmann accepts " << bad;
    EXPECT_THROW(parse_json_object(bad), AppError) << bad;
  }
}

TEST(Request, PathUuidIsValidated) {
  Request r;
  r.path_params = {{"id", "3F2504E0-4F89-11D3-9A0C-0305E82C3301"}, {"bad", "123"}};
  EXPECT_EQ(r.path_uuid("id"), "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
  EXPECT_THROW(r.path_uuid("bad"), AppError);
}

TEST(Request, RequestIdsAreValidatedBeforeEcho) {
  EXPECT_TRUE(valid_request_id("abc-123_x.y:z"));
  EXPECT_FALSE(valid_request_id(""));
  EXPECT_FALSE(valid_request_id("has space"));
  EXPECT_FALSE(valid_request_id(std::string(129, 'a')));
  EXPECT_FALSE(valid_request_id("inject\r\nX: y"));
}
