#include <gtest/gtest.h>

#include "core/error.hpp"
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
