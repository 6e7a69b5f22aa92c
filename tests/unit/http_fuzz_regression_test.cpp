// Regression tests for what the request-body fuzz targets (tests/fuzz/asset_body_fuzz.cpp, …) found.
// Each input is also in the target's corpus (tests/fuzz/corpus/<target>/crash-*).
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

#include "core/error.hpp"
#include "http/body.hpp"

using namespace netops;
using json = nlohmann::json;

// An unsigned JSON integer beyond INT64_MAX was read as long long, i.e. wrapped: 18446744073709551615 became -1
// and passed any range that allows -1.
TEST(HttpFuzzRegression, IntegerBeyondInt64IsRefusedNotWrapped) {
  json body = json::parse(R"({"delta":18446744073709551615,"qty":9223372036854775808})");
  Validation v;
  http::BodyReader b(body, v);
  std::optional<long long> delta;
  long long qty = 7;
  b.opt_integer("delta", delta, -1000, 1000);
  b.integer("qty", qty, INT64_MIN, INT64_MAX, true);
  EXPECT_FALSE(delta.has_value());
  EXPECT_EQ(qty, 7);
  ASSERT_EQ(v.errors().size(), 2u) << v.errors().dump();
  EXPECT_EQ(v.errors()[0]["field"], "delta");
  EXPECT_EQ(v.errors()[1]["field"], "qty");
}

TEST(HttpFuzzRegression, IntegersAtTheEdgesStillRead) {
  json body = json::parse(R"({"a":9223372036854775807,"b":-9223372036854775808,"c":0})");
  Validation v;
  http::BodyReader b(body, v);
  long long a = 0, bb = 0, c = 1;
  b.integer("a", a, INT64_MIN, INT64_MAX, true);
  b.integer("b", bb, INT64_MIN, INT64_MAX, true);
  b.integer("c", c, -5, 5, true);
  EXPECT_TRUE(v.empty()) << v.errors().dump();
  EXPECT_EQ(a, INT64_MAX);
  EXPECT_EQ(bb, INT64_MIN);
  EXPECT_EQ(c, 0);
}
