// The spec engine's definitions: the rules of one definition (table), lists of definitions, the
// camelCase API mapping, and the exact decimals underneath bounds and steps.
#include "specs/detail.hpp"
#include "spec_engine_support.hpp"

using namespace spec_test;
using netops::specs::def_from_json;
using netops::specs::def_to_json;
using netops::specs::validate_definition;
using netops::specs::validate_definitions;
using netops::specs::detail::BigDecimal;

namespace {

struct DefRow {
  FieldDef def;
  const char* key;     // nullptr: valid; else the key of the expected issue
  const char* expect;  // a substring of that issue
};

json J(const char* text) { return json::parse(text); }

}  // namespace

TEST(SpecDefinitions, RulesTable) {
  auto abc = J(R"(["a","b","c"])");
  const std::vector<DefRow> rows = {
      {D("string"), nullptr, nullptr},
      {D("string", "a"), nullptr, nullptr},
      {D("string", "cpu_Cores9"), nullptr, nullptr},
      {D("string", "a" + std::string(62, 'b')), nullptr, nullptr},
      {D("string", "a" + std::string(63, 'b')), "key", "must match ^[a-z][a-zA-Z0-9_]{0,62}$"},
      {D("string", ""), "key", "is required"},
      {D("string", "Foo"), "key", "must match"},
      {D("string", "1abc"), "key", "must match"},
      {D("string", "a-b"), "key", "must match"},
      {D("string", "_a"), "key", "must match"},
      {D("string").label(""), "label", "is required"},
      {D("string").label("  "), "label", "is required"},
      {D(""), "fieldType", "is required"},
      {D("text"), "fieldType", "must be one of string, number, integer"},
      // enum values
      {D("enum").enums(abc), nullptr, nullptr},
      {D("enum"), "enumValues", "must be a non-empty array of strings"},
      {D("enum").enums(J("[]")), "enumValues", "must be a non-empty array"},
      {D("enum").enums("a"), "enumValues", "must be a non-empty array"},
      {D("enum").enums(J(R"(["a","a"])")), "enumValues", "duplicate value 'a'"},
      {D("enum").enums(J(R"(["a",""])")), "enumValues", "item 1 must be a non-empty string"},
      {D("multi_enum").enums(J(R"(["a",1])")), "enumValues", "item 1 must be a non-empty string"},
      {D("multi_enum").enums(abc).len(3, 3), nullptr, nullptr},
      {D("multi_enum").enums(abc).len(4), "minLen", "exceeds the number of enum values"},
      {D("string").enums(J(R"(["a"])")), "enumValues", "does not apply to string fields"},
      {D("string").enums(J("[]")), nullptr, nullptr},  // an empty list is "none"
      // lengths
      {D("string").len(3, 3), nullptr, nullptr},
      {D("string").len(-1), "minLen", "must be between 0 and 2147483647"},
      {D("string").len(std::nullopt, 3000000000LL), "maxLen", "must be between 0 and"},
      {D("string").len(5, 3), "maxLen", "must be at least minLen"},
      {D("json").len(std::nullopt, 100), nullptr, nullptr},
      {D("json").len(1), "minLen", "does not apply to json fields"},
      {D("boolean").len(1), "minLen", "does not apply to boolean fields"},
      {D("number").len(std::nullopt, 1), "maxLen", "does not apply to number fields"},
      // values, steps, precision/scale
      {D("number").val("-1.5", "1e3").step("0.05").prec(6, 2), nullptr, nullptr},
      {D("number").val("10", "1"), "maxValue", "must be at least minValue"},
      {D("number").val("10", "10"), nullptr, nullptr},
      {D("number").val("abc"), "minValue", "must be a decimal number"},
      {D("number").val(nullptr, "1.2.3"), "maxValue", "must be a decimal number"},
      {D("number").step("0"), "stepValue", "must be greater than 0"},
      {D("number").step("-0.5"), "stepValue", "must be greater than 0"},
      {D("number").prec(0), "precision", "must be between 1 and 38"},
      {D("number").prec(39), "precision", "must be between 1 and 38"},
      {D("number").prec(38, 38), nullptr, nullptr},
      {D("number").prec(2, 3), "scale", "must not exceed precision"},
      {D("number").prec(std::nullopt, -1), "scale", "must be between 0 and 38"},
      {D("integer").step("0.5"), "stepValue", "must be a whole number for integer fields"},
      {D("integer").val("1.5"), "minValue", "must be a whole number"},
      {D("integer").prec(std::nullopt, 0), "scale", "does not apply to integer fields"},
      {D("port").val("1024", "65535"), nullptr, nullptr},
      {D("port").val("0"), "minValue", "must be between 1 and 65535"},
      {D("port").val(nullptr, "70000"), "maxValue", "must be between 1 and 65535"},
      {D("port").step("2"), "stepValue", "does not apply to port fields"},
      {D("date").val("20240101"), "minValue", "does not apply to date fields"},
      {D("ip").step("1"), "stepValue", "does not apply to ip fields"},
      {D("string").prec(5), "precision", "does not apply to string fields"},
      // patterns
      {D("string").pat("[a-z]+"), nullptr, nullptr},
      {D("email").pat(".+@corp\\.example"), nullptr, nullptr},
      {D("string").pat("("), "pattern", "does not compile: missing )"},
      {D("string").pat(R"((a)\1)"), "pattern", "does not compile"},  // RE2 has no backreferences
      {D("string").pat(""), "pattern", "must not be empty"},
      {D("string").pat(std::string(1001, 'a')), "pattern", "at most 1000 characters"},
      {D("number").pat("[0-9]+"), "pattern", "does not apply to number fields"},
      {D("mac").pat("[0-9a-f:]+"), "pattern", "does not apply to mac fields"},
      // defaults must validate against their own definition
      {D("string").len(1, 3).def("abc"), nullptr, nullptr},
      {D("string").len(1, 3).def("abcd"), "defaultValue", "must have at most 3 characters"},
      {D("string").def(5), "defaultValue", "must be a string"},
      {D("enum").enums(abc).def("z"), "defaultValue", "must be one of a, b, c"},
      {D("number").val("10").def(5), "defaultValue", "must be at least 10"},
      {D("mac").def("bad"), "defaultValue", "must be a MAC address"},
      {D("ip").def("10.0.0.1"), nullptr, nullptr},
      {D("multi_enum").enums(abc).def(J(R"(["b","a"])")), nullptr, nullptr},
      {D("json").def(J(R"({"k":[1,2]})")), nullptr, nullptr},
  };
  for (auto& row : rows) {
    auto issues = validate_definition(row.def);
    std::string what = row.def.field_type + " '" + row.def.key + "' → " + joined(issues);
    if (!row.key) {
      EXPECT_TRUE(issues.empty()) << what;
      continue;
    }
    bool found = false;
    for (auto& i : issues) found = found || (i.key == row.key && i.issue.find(row.expect) != std::string::npos);
    EXPECT_TRUE(found) << what << "\n  expected " << row.key << ": " << row.expect;
  }
}

TEST(SpecDefinitions, ReportsEveryProblemOfOneDefinition) {
  auto issues = validate_definition(D("boolean", "Bad").label("").len(1).pat("x").def("yes"));
  EXPECT_EQ(joined(issues),
            "key: must match ^[a-z][a-zA-Z0-9_]{0,62}$ (a lower-case letter, then letters, digits or _) | "
            "label: is required | minLen: does not apply to boolean fields | "
            "pattern: does not apply to boolean fields | defaultValue: must be true or false");
}

TEST(SpecDefinitions, ListPrefixesIndexesAndFindsDuplicateKeys) {
  std::vector<FieldDef> defs = {D("string", "a"), D("string", "b").label(""), D("number", "a"), D("ip", "c")};
  auto issues = validate_definitions(defs);
  ASSERT_EQ(issues.size(), 2u) << joined(issues);
  EXPECT_EQ(issues[0], (Issue{"defs[1].label", "is required"}));
  EXPECT_EQ(issues[1], (Issue{"defs[2].key", "duplicates defs[0].key"}));
  EXPECT_TRUE(validate_definitions({D("string", "a"), D("string", "aA")}).empty());  // keys are case-sensitive
  EXPECT_TRUE(validate_definitions({}).empty());
}

TEST(SpecMapping, ReadsTheApiBodyAndWritesItBack) {
  auto body = J(R"({
    "id": "d1", "versionId": "v1", "key": "speed", "label": "Speed", "fieldType": "number", "unit": "Gbps",
    "pattern": null, "helpText": "Line rate", "required": true, "enumValues": null, "minLen": null, "maxLen": null,
    "minValue": 0.05, "maxValue": "12345678901234567890.123456789", "stepValue": 1e-7, "precision": 30, "scale": 9,
    "defaultValue": 1, "sortOrder": 3, "isActive": true, "isReadonly": false, "isSearchable": true, "isFilterable": true
  })");
  auto parsed = def_from_json(body);
  ASSERT_TRUE(parsed.issues.empty()) << joined(parsed.issues);
  const auto& d = parsed.def;
  EXPECT_EQ(d.key, "speed");
  EXPECT_EQ(d.min_value, "0.05");
  EXPECT_EQ(d.max_value, "12345678901234567890.123456789");
  EXPECT_EQ(d.step_value, "0.0000001");  // plain notation, as NUMERIC reads it
  EXPECT_EQ(d.precision, 30);
  EXPECT_EQ(d.sort_order, 3);
  EXPECT_TRUE(validate_definition(d).empty()) << joined(validate_definition(d));

  auto out = def_to_json(d);
  EXPECT_EQ(out["minValue"].dump(), "0.05");  // a double holds it exactly → a number
  EXPECT_EQ(out["maxValue"], "12345678901234567890.123456789");  // it does not → the exact string
  EXPECT_EQ(out["stepValue"].dump(), "1e-07");
  EXPECT_EQ(out["helpText"], "Line rate");
  EXPECT_TRUE(out["pattern"].is_null());
  EXPECT_FALSE(out.contains("versionId"));
  auto again = def_from_json(out);
  EXPECT_TRUE(again.issues.empty()) << joined(again.issues);
  EXPECT_EQ(def_to_json(again.def), out);
}

TEST(SpecMapping, DefaultsAndIntegersOnTheWayOut) {
  auto parsed = def_from_json(J(R"({"key":"n","label":"N","fieldType":"integer","minValue":-5,"maxValue":"100.0"})"));
  ASSERT_TRUE(parsed.issues.empty()) << joined(parsed.issues);
  EXPECT_EQ(parsed.def.max_value, "100");
  EXPECT_FALSE(parsed.def.required);
  EXPECT_TRUE(parsed.def.is_active);
  auto out = def_to_json(parsed.def);
  EXPECT_EQ(out["minValue"].dump(), "-5");
  EXPECT_EQ(out["maxValue"].dump(), "100");
  EXPECT_TRUE(out["defaultValue"].is_null());
}

TEST(SpecMapping, CollectsEveryShapeError) {
  auto parsed = def_from_json(J(R"({
    "key": 5, "label": "L", "fieldType": "string", "minLen": "3", "maxLen": 2.5, "required": "yes",
    "minValue": "abc", "enumValues": "a", "precision": 1e10, "unit": 3, "type": "string", "sortOrder": "x"
  })"));
  std::vector<Issue> expected = {
      {"enumValues", "must be an array of strings or null"}, {"key", "must be a string"},
      {"maxLen", "must be an integer"},  {"minLen", "must be an integer"},
      {"minValue", "must be a number"},  {"precision", "must be an integer"},
      {"required", "must be true or false"}, {"sortOrder", "must be an integer"},
      {"type", "is not a field definition attribute"}, {"unit", "must be a string or null"},
  };
  EXPECT_EQ(parsed.issues, expected) << joined(parsed.issues);
  EXPECT_EQ(def_from_json(J("[1]")).issues, (std::vector<Issue>{{"$", "must be an object"}}));
}

TEST(SpecDecimal, ParsesToCanonicalPlainText) {
  const std::pair<const char*, const char*> ok[] = {
      {"0", "0"},        {"-0", "0"},       {"+1", "1"},          {"1.50", "1.5"},    {"0.05", "0.05"},
      {"100", "100"},    {"1e3", "1000"},   {"1.5E-3", "0.0015"}, {"-12.340", "-12.34"}, {"000.100", "0.1"},
      {"1e-07", "0.0000001"}, {"12345678901234567890.123456789", "12345678901234567890.123456789"},
  };
  for (auto [in, out] : ok) {
    auto d = BigDecimal::parse(in);
    ASSERT_TRUE(d) << in;
    EXPECT_EQ(d->str(), out) << in;
  }
  for (const char* bad : {"", "-", ".5", "5.", "1e", "1e+", "abc", "1.2.3", " 1", "1 ", "0x10", "1e1001", "NaN"})
    EXPECT_FALSE(BigDecimal::parse(bad)) << bad;
}

TEST(SpecDecimal, ComparesSubtractsAndDividesExactly) {
  auto d = [](const char* s) { return *BigDecimal::parse(s); };
  EXPECT_LT(netops::specs::detail::compare(d("-2"), d("-1.5")), 0);
  EXPECT_GT(netops::specs::detail::compare(d("0.1"), d("0.099999")), 0);
  EXPECT_EQ(netops::specs::detail::compare(d("1.0"), d("1")), 0);
  EXPECT_EQ(netops::specs::detail::subtract(d("0.3"), d("0.05")).str(), "0.25");
  EXPECT_EQ(netops::specs::detail::subtract(d("-1"), d("2.5")).str(), "-3.5");
  EXPECT_EQ(netops::specs::detail::subtract(d("1"), d("-2.5")).str(), "3.5");
  EXPECT_EQ(netops::specs::detail::subtract(d("0.05"), d("0.3")).str(), "-0.25");
  EXPECT_TRUE(netops::specs::detail::is_multiple(d("0.3"), d("0.1")));
  EXPECT_TRUE(netops::specs::detail::is_multiple(d("-0.35"), d("0.05")));
  EXPECT_TRUE(netops::specs::detail::is_multiple(d("0"), d("0.05")));
  EXPECT_FALSE(netops::specs::detail::is_multiple(d("0.30000000000000004"), d("0.1")));
  EXPECT_TRUE(netops::specs::detail::is_multiple(d("1e300"), d("0.05")));
  EXPECT_EQ(d("123.45").int_digits(), 3);
  EXPECT_EQ(d("123.45").frac_digits(), 2);
  EXPECT_EQ(d("0.05").int_digits(), 0);
}
