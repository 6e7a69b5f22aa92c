// The spec engine over a whole values document: every error at once with its key, defaults,
// required keys, unknown and inactive keys, read-only keys, and the hand-off to Validation.
#include "spec_engine_support.hpp"

using namespace spec_test;
using netops::specs::Result;
using netops::specs::validate_values;
using netops::specs::ValidateOptions;

namespace {

json J(const char* text) { return json::parse(text); }

// A small switch model: the kind of version an asset category would publish.
std::vector<FieldDef> switch_schema() {
  return {
      D("integer", "ports").req().val("1", "96").order(1),
      D("mac", "baseMac").order(2),
      D("ip", "mgmtIp").order(3),
      D("enum", "formFactor").enums(J(R"(["1U","2U"])")).def("1U").order(4),
      D("multi_enum", "features").enums(J(R"(["poe","stacking","l3"])")).order(5),
      D("string", "firmware").req().len(1, 32).pat(R"(\d+\.\d+(\.\d+)?)").order(6),
      D("number", "powerW").val("0").step("0.5").order(7),
      D("string", "assetTag").ro().order(8),
      D("boolean", "legacy").off().order(9),
  };
}

}  // namespace

TEST(SpecDocument, ValidValuesAreNormalizedWithDefaults) {
  auto r = validate_values(switch_schema(), J(R"({
    "ports": 48.0, "baseMac": "00AA.BBCC.DDEE", "mgmtIp": "2001:DB8::10",
    "features": ["l3", "poe", "l3"], "firmware": "17.9.4", "powerW": 350.5, "assetTag": null
  })"));
  ASSERT_TRUE(r.ok()) << joined(r.issues);
  EXPECT_EQ(r.normalized, J(R"({
    "ports": 48, "baseMac": "00:aa:bb:cc:dd:ee", "mgmtIp": "2001:db8::10", "formFactor": "1U",
    "features": ["poe", "l3"], "firmware": "17.9.4", "powerW": 350.5
  })"));
  EXPECT_TRUE(r.normalized["ports"].is_number_integer());
}

TEST(SpecDocument, EveryErrorAtOnceInDefinitionOrderThenUnknownKeys) {
  ValidateOptions opts;
  opts.version = 3;
  auto r = validate_values(switch_schema(), J(R"({
    "zeta": 1, "baseMac": "nope", "mgmtIp": "300.1.1.1", "formFactor": "3U",
    "firmware": "x", "powerW": 1.25, "legacy": true, "alpha": "?"
  })"), opts);
  std::vector<Issue> expected = {
      {"ports", "is required"},
      {"baseMac", "must be a MAC address: aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabb.ccdd.eeff"},
      {"mgmtIp", "must be an IPv4 or IPv6 address"},
      {"formFactor", "must be one of 1U, 2U"},
      {"firmware", "must match the pattern \\d+\\.\\d+(\\.\\d+)?"},
      {"powerW", "must be a multiple of 0.5 counted from 0"},
      {"alpha", "is not in schema version 3"},
      {"legacy", "is no longer active in schema version 3"},
      {"zeta", "is not in schema version 3"},
  };
  EXPECT_EQ(r.issues, expected) << joined(r.issues);
}

TEST(SpecDocument, SeveralIssuesForOneKey) {
  auto r = validate_values({D("string").len(3).pat("[0-9]+")}, J(R"({"f":"a"})"));
  EXPECT_EQ(r.issues,
            (std::vector<Issue>{{"f", "must have at least 3 characters"}, {"f", "must match the pattern [0-9]+"}}));
}

TEST(SpecDocument, RequiredNullAndDefaults) {
  std::vector<FieldDef> defs = {
      D("string", "a").req(),                        // required, no default
      D("string", "b").req().def("dflt"),            // required, default fills it
      D("integer", "c").def(7),                      // optional with default
      D("string", "d"),                              // optional, nothing
      D("mac", "e").def("AA-BB-CC-DD-EE-FF"),        // defaults are normalized too
  };
  struct Case {
    const char* values;
    const char* issues;
    const char* normalized;
  };
  const Case cases[] = {
      {R"({})", "a: is required", nullptr},
      {R"({"a": null})", "a: is required", nullptr},
      {R"({"a": "", "b": null})", "a: must not be empty", nullptr},
      {R"({"a": "x"})", "", R"({"a":"x","b":"dflt","c":7,"e":"aa:bb:cc:dd:ee:ff"})"},
      {R"({"a": "x", "b": "y", "c": null, "d": null})", "", R"({"a":"x","b":"y","c":7,"e":"aa:bb:cc:dd:ee:ff"})"},
      {R"({"a": "x", "c": 8, "d": "z", "e": "00:11:22:33:44:55"})", "",
       R"({"a":"x","b":"dflt","c":8,"d":"z","e":"00:11:22:33:44:55"})"},
      {R"(null)", "a: is required", nullptr},  // no values at all reads as an empty object
      {R"([1])", "$: must be an object", nullptr},
      {R"("x")", "$: must be an object", nullptr},
  };
  for (auto& c : cases) {
    auto r = validate_values(defs, J(c.values));
    EXPECT_EQ(joined(r.issues), c.issues) << c.values;
    if (c.normalized) {
      EXPECT_EQ(r.normalized, J(c.normalized)) << c.values;
    }
  }
}

TEST(SpecDocument, AnInvalidDefaultIsBlamedOnTheKey) {
  auto r = validate_values({D("integer").def("seven")}, json::object());
  EXPECT_EQ(joined(r.issues), "f: has an invalid default: must be an integer");
}

TEST(SpecDocument, ReadOnlyKeys) {
  std::vector<FieldDef> defs = {D("string", "serial").ro().req(), D("string", "note"), D("integer", "rev").ro().def(1)};
  // Callers may not set read-only keys, and are not blamed when the system-owned ones are missing.
  auto caller = validate_values(defs, J(R"({"serial":"S1","note":"n"})"), /*allow_readonly=*/false);
  EXPECT_EQ(joined(caller.issues), "serial: is read-only");
  auto missing = validate_values(defs, J(R"({"note":"n"})"), false);
  EXPECT_TRUE(missing.ok()) << joined(missing.issues);
  EXPECT_EQ(missing.normalized, J(R"({"note":"n","rev":1})"));
  auto cleared = validate_values(defs, J(R"({"serial":null})"), false);
  EXPECT_TRUE(cleared.ok()) << joined(cleared.issues);
  // The system itself (allow_readonly, the default) sets them and must satisfy required.
  auto system = validate_values(defs, J(R"({"serial":"S1","rev":2})"));
  EXPECT_TRUE(system.ok()) << joined(system.issues);
  EXPECT_EQ(system.normalized, J(R"({"serial":"S1","rev":2})"));
  EXPECT_EQ(joined(validate_values(defs, J("{}")).issues), "serial: is required");
}

TEST(SpecDocument, UnknownKeysWithoutAVersionAndEmptySchemas) {
  EXPECT_EQ(joined(validate_values({}, J(R"({"x":1})")).issues), "x: is not in the schema");
  auto empty = validate_values({}, J("{}"));
  EXPECT_TRUE(empty.ok());
  EXPECT_EQ(empty.normalized, json::object());
  // Only active definitions count: an inactive duplicate of an active key does not shadow it.
  auto r = validate_values({D("string", "k").off(), D("integer", "k")}, J(R"({"k":5})"));
  EXPECT_TRUE(r.ok()) << joined(r.issues);
}

TEST(SpecDocument, SortOrderThenKeyDecidesIssueOrder) {
  std::vector<FieldDef> defs = {D("string", "b").req().order(2), D("string", "c").req().order(1),
                                D("string", "a").req().order(2)};
  EXPECT_EQ(joined(validate_values(defs, J("{}")).issues), "c: is required | a: is required | b: is required");
}

TEST(SpecDocument, ReportFeedsValidationWithAPrefix) {
  netops::Validation v;
  auto r = validate_values({D("integer", "ports").req()}, J(R"({"x":1})"));
  netops::specs::report(r.issues, v, "spec.");
  EXPECT_EQ(v.errors(), J(R"([{"field":"spec.ports","issue":"is required"},
                              {"field":"spec.x","issue":"is not in the schema"}])"));
  try {
    v.throw_if_any();
    FAIL() << "expected a validation error";
  } catch (const netops::AppError& e) {
    EXPECT_EQ(e.status(), 400);
  }
}

TEST(SpecDocument, RepeatedValidationReusesCompiledPatterns) {
  auto defs = std::vector<FieldDef>{D("string").pat("[a-z]{3}")};
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(validate_values(defs, J(R"({"f":"abc"})")).ok());
  EXPECT_FALSE(validate_values(defs, J(R"({"f":"abcd"})")).ok());
}
