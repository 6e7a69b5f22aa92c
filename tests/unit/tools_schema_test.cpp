// The JSON Schema subset of tool arguments (modules/tools/schema.hpp): every keyword, every error at once,
// paths naming the argument, and the depth / error-count caps.
#include <gtest/gtest.h>

#include "modules/tools/schema.hpp"

using namespace netops::tools;
using json = nlohmann::json;

namespace {

const json kSchema = {
    {"type", "object"},
    {"properties",
     {{"query", {{"type", "string"}, {"minLength", 2}, {"maxLength", 5}}},
      {"code", {{"type", "string"}, {"pattern", "^[A-Z]{2}-[0-9]+$"}}},
      {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 50}}},
      {"ratio", {{"type", "number"}}},
      {"flag", {{"type", "boolean"}}},
      {"status", {{"type", "array"}, {"maxItems", 2}, {"items", {{"type", "string"}, {"enum", {"a", "b"}}}}}},
      {"inner", {{"type", "object"}, {"required", {"x"}}, {"properties", {{"x", {{"type", "integer"}}}}}}},
      {"maybe", {{"type", {"string", "null"}}}}}},
    {"required", {"query"}},
    {"additionalProperties", false}};

std::vector<std::string> paths(const std::vector<SchemaError>& e) {
  std::vector<std::string> out;
  for (const auto& x : e) out.push_back(x.path);
  return out;
}

}  // namespace

TEST(ToolsSchema, AcceptsAValidValue) {
  json v = {{"query", "sw1"}, {"code", "AB-12"}, {"limit", 3}, {"ratio", 0.5}, {"flag", true},
            {"status", {"a", "b"}}, {"inner", {{"x", 1}}}, {"maybe", nullptr}};
  EXPECT_TRUE(validate(kSchema, v).empty()) << describe(validate(kSchema, v));
  EXPECT_TRUE(validate(kSchema, json{{"query", "ab"}, {"limit", 2.0}}).empty());  // 2.0 is an integer
}

TEST(ToolsSchema, ReportsEveryProblemWithItsPath) {
  json v = {{"limit", 0}, {"code", "ab-1"}, {"status", {"a", "z"}}, {"inner", json::object()}, {"extra", 1},
            {"flag", "yes"}, {"maybe", 3}};
  auto e = validate(kSchema, v);
  auto p = paths(e);
  for (const char* want : {"arguments.query", "arguments.limit", "arguments.code", "arguments.status[1]",
                           "arguments.inner.x", "arguments.extra", "arguments.flag", "arguments.maybe"})
    EXPECT_NE(std::find(p.begin(), p.end(), want), p.end()) << want << " in " << describe(e);
  EXPECT_NE(describe(e).find("arguments.limit: must be at least 1"), std::string::npos) << describe(e);
  auto j = to_json(e);
  EXPECT_EQ(j[0].size(), 2u);
  EXPECT_TRUE(j[0].contains("field") && j[0].contains("message"));
}

TEST(ToolsSchema, LengthsCountCharactersAndTypesAreStrict) {
  EXPECT_TRUE(validate(kSchema, json{{"query", "ééééé"}}).empty());  // 5 characters, 10 bytes
  EXPECT_FALSE(validate(kSchema, json{{"query", "éééééé"}}).empty());
  EXPECT_FALSE(validate(kSchema, json{{"query", "ab"}, {"limit", 1.5}}).empty());
  EXPECT_FALSE(validate(kSchema, json{{"query", "ab"}, {"status", {"a", "a", "b"}}}).empty());  // maxItems
  EXPECT_FALSE(validate(kSchema, json::array()).empty());
  EXPECT_EQ(validate(kSchema, "text")[0].message, "must be an object");
}

TEST(ToolsSchema, DepthAndErrorCountAreCapped) {
  json deep = {{"type", "object"}, {"additionalProperties", {{"type", "object"}}}};
  json schema = {{"type", "object"}};
  json* s = &schema;
  for (int i = 0; i < 40; ++i) {
    (*s)["properties"] = {{"n", {{"type", "object"}}}};
    s = &(*s)["properties"]["n"];
  }
  json v = json::object();
  json* x = &v;
  for (int i = 0; i < 40; ++i) {
    (*x)["n"] = json::object();
    x = &(*x)["n"];
  }
  auto e = validate(schema, v);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].message, "is nested too deeply");
  json many = json::object();
  for (int i = 0; i < 200; ++i) many["k" + std::to_string(i)] = i;
  EXPECT_EQ(validate(json{{"type", "object"}, {"additionalProperties", false}}, many).size(), kMaxErrors);
  (void)deep;
}
