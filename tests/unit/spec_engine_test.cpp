// The spec engine, value by value: one table per field type of (definition, value, expected issue
// substring or OK, expected normalized form). Definitions, the API mapping and decimals are in
// spec_engine_defs_test.cpp; whole documents (defaults, unknown keys, read-only) in spec_engine_doc_test.cpp.
#include <cmath>

#include "spec_engine_support.hpp"

using namespace spec_test;
using netops::specs::validate_values;

namespace {

struct Row {
  FieldDef def;
  json value;
  const char* expect;   // nullptr: valid; else a substring of the issues
  json norm = nullptr;  // the normalized value when valid; null: the input unchanged
};

json J(const char* text) { return json::parse(text); }
std::string show(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

void run(const std::vector<Row>& rows) {
  for (auto& row : rows) {
    json values = json::object();
    values[row.def.key] = row.value;
    auto r = validate_values({row.def}, values);
    std::string what = row.def.field_type + " " + show(row.value) + " → " + joined(r.issues);
    if (!row.expect) {
      EXPECT_TRUE(r.ok()) << what;
      // Dumps compare the JSON types too: 3 and 3.0 are equal as json values but not as stored text.
      EXPECT_EQ(show(r.normalized[row.def.key]), show(row.norm.is_null() ? row.value : row.norm)) << what;
    } else {
      EXPECT_FALSE(r.ok()) << what;
      EXPECT_NE(joined(r.issues).find(row.expect), std::string::npos) << what << "\n  expected: " << row.expect;
      for (auto& i : r.issues) EXPECT_EQ(i.key, row.def.key) << what;
    }
  }
}

}  // namespace

TEST(SpecValues, String) {
  run({
      {D("string"), "hello", nullptr},
      {D("string"), "", nullptr},
      {D("string").req(), "", "must not be empty"},
      {D("string"), 42, "must be a string"},
      {D("string"), true, "must be a string"},
      {D("string"), J(R"(["a"])"), "must be a string"},
      {D("string"), J(R"({"a":1})"), "must be a string"},
      {D("string").len(2, 4), "a", "must have at least 2 characters"},
      {D("string").len(2, 4), "ab", nullptr},
      {D("string").len(2, 4), "abcd", nullptr},
      {D("string").len(2, 4), "abcde", "must have at most 4 characters"},
      {D("string").len(0, 0), "", nullptr},
      // Lengths count code points, not bytes: é is 2 bytes, 日 3, 😀 4.
      {D("string").len(0, 3), "héé", nullptr},
      {D("string").len(0, 3), "日本語", nullptr},
      {D("string").len(0, 3), "😀😀😀", nullptr},
      {D("string").len(0, 3), "日本語x", "at most 3 characters"},
      {D("string").len(2), "é", "at least 2 characters"},
      {D("string"), std::string("\xff"), "not valid UTF-8"},
      {D("string"), std::string("\xc0\xaf"), "not valid UTF-8"},      // overlong '/'
      {D("string"), std::string("\xed\xa0\x80"), "not valid UTF-8"},  // a surrogate
      {D("string").pat(R"([A-Z]{2}\d{3})"), "AB123", nullptr},
      {D("string").pat(R"([A-Z]{2}\d{3})"), "AB1234", "must match the pattern"},  // full match, not search
      {D("string").pat(R"([A-Z]{2}\d{3})"), "xAB123", "must match the pattern"},
      {D("string").pat(R"(\p{L}+)"), "Grüße", nullptr},
      {D("string").pat("a|b"), "b", nullptr},  // alternation is anchored as a whole
      {D("string").pat("a|b"), "ab", "must match the pattern"},
  });
}

TEST(SpecValues, Number) {
  run({
      {D("number"), 1.5, nullptr},
      {D("number"), 0, nullptr},
      {D("number"), -3, nullptr},
      {D("number"), 1e300, nullptr},
      {D("number"), "1.5", "must be a number"},
      {D("number"), true, "must be a number"},
      {D("number"), J("[1]"), "must be a number"},
      {D("number"), std::nan(""), "must be a finite number"},
      {D("number").val("0", "100"), -0.5, "must be at least 0"},
      {D("number").val("0", "100"), 100.0001, "must be at most 100"},
      {D("number").val("0", "100"), 100, nullptr},
      {D("number").val("0", "100"), 0, nullptr},
      {D("number").val("-1.5", nullptr), -1.5, nullptr},
      {D("number").val("-1.5", nullptr), -1.50001, "must be at least -1.5"},
      // Steps are exact decimals: 0.15 and 0.3 are multiples of 0.05 although no double is.
      {D("number").step("0.05"), 0.15, nullptr},
      {D("number").step("0.05"), 0.3, nullptr},
      {D("number").step("0.05"), -0.35, nullptr},
      {D("number").step("0.05"), 1e300, nullptr},
      {D("number").step("0.05"), 0.07, "must be a multiple of 0.05"},
      {D("number").step("0.1"), 0.1 + 0.2, "must be a multiple of 0.1"},  // 0.30000000000000004
      {D("number").step("0.05").val("0.01"), 0.06, nullptr},
      {D("number").step("0.05").val("0.01"), 0.11, nullptr},
      {D("number").step("0.05").val("0.01"), 0.05, "must be a multiple of 0.05 counted from 0.01"},
      {D("number").step("2.5").val("-5"), 0, nullptr},
      {D("number").step("2.5").val("-5"), 1, "multiple of 2.5"},
      // precision/scale: NUMERIC(5,2) holds 3 digits before the point and 2 after.
      {D("number").prec(5, 2), 123.45, nullptr},
      {D("number").prec(5, 2), -999.99, nullptr},
      {D("number").prec(5, 2), 0.05, nullptr},
      {D("number").prec(5, 2), 1234.5, "at most 3 digits before the decimal point"},
      {D("number").prec(5, 2), 1.234, "at most 2 digits after the decimal point"},
      {D("number").prec(3), 12.5, nullptr},
      {D("number").prec(3), 0.001, nullptr},
      {D("number").prec(3), 1.234, "must have at most 3 digits"},
      {D("number").prec(3), 1000, "must have at most 3 digits"},
      {D("number").prec(std::nullopt, 0), 5, nullptr},
      {D("number").prec(std::nullopt, 0), 5.5, "at most 0 digits after the decimal point"},
      {D("number").prec(2, 2), 0.99, nullptr},
      {D("number").prec(2, 2), 1, "at most 0 digits before the decimal point"},
  });
}

TEST(SpecValues, Integer) {
  run({
      {D("integer"), 42, nullptr},
      {D("integer"), -7, nullptr},
      {D("integer"), 3.0, nullptr, 3},  // an integral float is stored as an integer
      {D("integer"), 3.5, "must be an integer"},
      {D("integer"), "3", "must be an integer"},
      {D("integer"), false, "must be an integer"},
      {D("integer"), 1e20, "is out of range"},
      {D("integer"), 18446744073709551615ULL, "is out of range"},
      {D("integer"), INT64_MIN, nullptr},
      {D("integer"), 9223372036854775807ULL, nullptr},
      {D("integer").val("1", "10"), 0, "must be at least 1"},
      {D("integer").val("1", "10"), 11, "must be at most 10"},
      {D("integer").val("1", "10"), 10, nullptr},
      {D("integer").step("5"), 15, nullptr},
      {D("integer").step("5"), -15, nullptr},
      {D("integer").step("5"), 17, "must be a multiple of 5"},
      {D("integer").step("5").val("2"), 7, nullptr},
      {D("integer").step("5").val("2"), 10, "multiple of 5 counted from 2"},
      {D("integer").prec(3), 999, nullptr},
      {D("integer").prec(3), -999, nullptr},
      {D("integer").prec(3), 1000, "at most 3 digits"},
  });
}

TEST(SpecValues, BooleanEnumMultiEnum) {
  auto abc = J(R"(["a","b","c"])");
  auto xyz = J(R"(["x","y","z"])");
  run({
      {D("boolean"), true, nullptr},
      {D("boolean"), false, nullptr},
      {D("boolean"), "true", "must be true or false"},
      {D("boolean"), 1, "must be true or false"},
      {D("enum").enums(abc), "a", nullptr},
      {D("enum").enums(abc), "d", "must be one of a, b, c"},
      {D("enum").enums(abc), "A", "must be one of"},  // case-sensitive
      {D("enum").enums(abc), "", "must be one of"},
      {D("enum").enums(abc), 1, "must be one of"},
      {D("enum").enums(abc), J(R"(["a"])"), "must be one of"},
      {D("multi_enum").enums(xyz), J(R"(["z","x"])"), nullptr, J(R"(["x","z"])")},  // definition order
      {D("multi_enum").enums(xyz), J(R"(["x","x","y"])"), nullptr, J(R"(["x","y"])")},  // duplicates collapse
      {D("multi_enum").enums(xyz), J("[]"), nullptr},
      {D("multi_enum").enums(xyz).req(), J("[]"), "must not be empty"},
      {D("multi_enum").enums(xyz), J(R"(["w"])"), R"(contains "w", which is not one of x, y, z)"},
      {D("multi_enum").enums(xyz), J(R"(["x",1])"), "contains 1"},
      {D("multi_enum").enums(xyz), "x", "must be an array"},
      {D("multi_enum").enums(xyz).len(2, 2), J(R"(["x"])"), "must have at least 2 values"},
      {D("multi_enum").enums(xyz).len(2, 2), J(R"(["x","x"])"), "must have at least 2 values"},
      {D("multi_enum").enums(xyz).len(2, 2), J(R"(["y","x"])"), nullptr, J(R"(["x","y"])")},
      {D("multi_enum").enums(xyz).len(2, 2), J(R"(["x","y","z"])"), "must have at most 2 values"},
  });
}

TEST(SpecValues, DateAndDatetime) {
  run({
      {D("date"), "2024-02-29", nullptr},
      {D("date"), "2000-02-29", nullptr},  // divisible by 400: leap
      {D("date"), "2023-02-29", "is not a calendar date"},
      {D("date"), "1900-02-29", "is not a calendar date"},  // divisible by 100: not leap
      {D("date"), "2024-04-31", "is not a calendar date"},
      {D("date"), "2024-13-01", "is not a calendar date"},
      {D("date"), "2024-00-10", "is not a calendar date"},
      {D("date"), "0000-01-01", "is not a calendar date"},
      {D("date"), "2024-4-1", "YYYY-MM-DD"},
      {D("date"), "2024/04/01", "YYYY-MM-DD"},
      {D("date"), "2024-04-01T00:00:00Z", "YYYY-MM-DD"},
      {D("date"), "", "YYYY-MM-DD"},
      {D("date"), 20240101, "must be a string"},
      {D("datetime"), "2024-05-01T12:30:00Z", nullptr},
      {D("datetime"), "2024-05-01t12:30:00z", nullptr, "2024-05-01T12:30:00Z"},
      {D("datetime"), "2024-05-01T12:30:00.123+02:00", nullptr, "2024-05-01T10:30:00.123Z"},
      {D("datetime"), "2024-01-01T01:00:00+05:30", nullptr, "2023-12-31T19:30:00Z"},
      {D("datetime"), "2024-02-28T23:00:00-01:30", nullptr, "2024-02-29T00:30:00Z"},
      {D("datetime"), "2024-05-01T12:30:00-00:00", nullptr, "2024-05-01T12:30:00Z"},
      {D("datetime"), "2024-05-01T12:30:00.123456789Z", nullptr},
      {D("datetime"), "2024-05-01T12:30:00.1234567891Z", "RFC 3339"},
      {D("datetime"), "2024-05-01T12:30:00", "RFC 3339"},  // no time zone
      {D("datetime"), "2024-05-01 12:30:00Z", "RFC 3339"},
      {D("datetime"), "2024-05-01T12:30Z", "RFC 3339"},
      {D("datetime"), "2024-05-01T12:30:00.Z", "RFC 3339"},
      {D("datetime"), "2024-05-01T12:30:00+0200", "RFC 3339"},
      {D("datetime"), "2024-05-01T24:00:00Z", "is not a valid time of day"},
      {D("datetime"), "2024-05-01T23:59:60Z", "is not a valid time of day"},
      {D("datetime"), "2023-02-29T00:00:00Z", "is not a calendar date"},
      {D("datetime"), "2024-05-01T12:30:00+24:00", "invalid UTC offset"},
      {D("datetime"), "9999-12-31T23:00:00-02:00", "out of range"},
      {D("datetime"), 1714566600, "must be a string"},
  });
}

TEST(SpecValues, IpAndCidr) {
  run({
      {D("ip"), "192.168.1.1", nullptr},
      {D("ip"), "0.0.0.0", nullptr},
      {D("ip"), "::1", nullptr},
      {D("ip"), "::", nullptr},
      {D("ip"), "2001:DB8::1", nullptr, "2001:db8::1"},
      {D("ip"), "2001:0db8:0000:0000:0000:0000:0000:0001", nullptr, "2001:db8::1"},
      {D("ip"), "::ffff:192.0.2.1", nullptr},
      {D("ip"), "fe80::1%eth0", "IPv4 or IPv6"},  // zone ids are host-local, not an address
      {D("ip"), "256.1.1.1", "IPv4 or IPv6"},
      {D("ip"), "1.2.3", "IPv4 or IPv6"},
      {D("ip"), "01.2.3.4", "IPv4 or IPv6"},  // leading zeros read as octal by some tools
      {D("ip"), " 1.2.3.4", "IPv4 or IPv6"},
      {D("ip"), "1:2:3:4:5:6:7:8:9", "IPv4 or IPv6"},
      {D("ip"), "1.2.3.4/32", "IPv4 or IPv6"},
      {D("ip"), "", "IPv4 or IPv6"},
      {D("ip"), 3232235777, "must be a string"},
      {D("cidr"), "10.0.0.0/8", nullptr},
      {D("cidr"), "0.0.0.0/0", nullptr},
      {D("cidr"), "192.168.1.1/32", nullptr},
      {D("cidr"), "10.1.2.3/8", "host bits set; the network is 10.0.0.0/8"},
      {D("cidr"), "10.0.0.0/33", "prefix length must be 0-32 for IPv4"},
      {D("cidr"), "10.0.0.0/08", "prefix length must be"},
      {D("cidr"), "10.0.0.0/-1", "prefix length must be"},
      {D("cidr"), "10.0.0.0/", "prefix length must be"},
      {D("cidr"), "10.0.0.0/8/8", "prefix length must be"},
      {D("cidr"), "10.0.0.0", "CIDR notation"},
      {D("cidr"), "10.0.0/8", "CIDR notation"},
      {D("cidr"), "2001:db8::/32", nullptr},
      {D("cidr"), "2001:DB8:0::/48", nullptr, "2001:db8::/48"},
      {D("cidr"), "2001:db8::1/128", nullptr},
      {D("cidr"), "::/0", nullptr},
      {D("cidr"), "2001:db8::1/64", "the network is 2001:db8::/64"},
      {D("cidr"), "::/129", "prefix length must be 0-128 for IPv6"},
  });
}

TEST(SpecValues, MacAndHostname) {
  std::string l63(63, 'a'), l64(64, 'a');
  std::string long_name = l63 + "." + l63 + "." + l63 + "." + std::string(62, 'a');  // 254
  run({
      {D("mac"), "AA:BB:CC:DD:EE:FF", nullptr, "aa:bb:cc:dd:ee:ff"},
      {D("mac"), "aa-bb-cc-dd-ee-0f", nullptr, "aa:bb:cc:dd:ee:0f"},
      {D("mac"), "aabb.ccdd.eeff", nullptr, "aa:bb:cc:dd:ee:ff"},
      {D("mac"), "AABB.CCDD.EEFF", nullptr, "aa:bb:cc:dd:ee:ff"},
      {D("mac"), "aa:bb-cc:dd:ee:ff", "must be a MAC address"},  // mixed separators
      {D("mac"), "aa:bb:cc:dd:ee", "must be a MAC address"},
      {D("mac"), "aa:bb:cc:dd:ee:fg", "must be a MAC address"},
      {D("mac"), "aa:bb:cc:dd:ee:ff:00", "must be a MAC address"},
      {D("mac"), "aabbccddeeff", "must be a MAC address"},
      {D("mac"), "a:b:c:d:e:f", "must be a MAC address"},
      {D("mac"), "aabb:ccdd:eeff", "must be a MAC address"},
      {D("mac"), "", "must be a MAC address"},
      {D("hostname"), "Switch01.Example.COM", nullptr, "switch01.example.com"},
      {D("hostname"), "localhost", nullptr},
      {D("hostname"), "a-b.c", nullptr},
      {D("hostname"), "1host.example", nullptr},  // RFC 1123 allows a leading digit
      {D("hostname"), "xn--bcher-kva.example", nullptr},
      {D("hostname"), l63 + ".com", nullptr},
      {D("hostname"), l64 + ".com", "label longer than 63"},
      {D("hostname"), long_name.substr(1), nullptr},  // 253
      {D("hostname"), long_name, "longer than 253"},
      {D("hostname"), "-ab.com", "starts or ends with '-'"},
      {D("hostname"), "ab-.com", "starts or ends with '-'"},
      {D("hostname"), "a..b", "empty label"},
      {D("hostname"), "a.b.", "empty label"},  // no trailing root dot
      {D("hostname"), "10.0.0.1", "all-numeric top-level label"},
      {D("hostname"), "under_score.com", "may only contain"},
      {D("hostname"), "bücher.de", "may only contain"},
      {D("hostname"), "", "is empty"},
      {D("hostname").len(std::nullopt, 9), "abc.local", nullptr},
      {D("hostname").len(std::nullopt, 8), "abc.local", "at most 8 characters"},
      {D("hostname").pat(R"(sw-[a-z0-9]+\.corp)"), "SW-01.CORP", nullptr, "sw-01.corp"},  // matched lower-case
  });
}

TEST(SpecValues, PortUrlEmailJson) {
  std::string local64(64, 'a'), local65(65, 'a');
  run({
      {D("port"), 22, nullptr},
      {D("port"), 65535, nullptr},
      {D("port"), 22.0, nullptr, 22},
      {D("port"), 0, "from 1 to 65535"},
      {D("port"), 65536, "from 1 to 65535"},
      {D("port"), -1, "from 1 to 65535"},
      {D("port"), 22.5, "from 1 to 65535"},
      {D("port"), "22", "from 1 to 65535"},
      {D("port").val("1024", "49151"), 80, "must be at least 1024"},
      {D("port").val("1024", "49151"), 50000, "must be at most 49151"},
      {D("url"), "https://example.com", nullptr},
      {D("url"), "http://example.com:8080/path?q=1&r=%41#frag", nullptr},
      {D("url"), "ftp://files.example.com/pub/file.iso", nullptr},
      {D("url"), "HTTPS://Example.com/", nullptr},
      {D("url"), "http://[2001:db8::1]:8080/", nullptr},
      {D("url"), "http://[::1]", nullptr},
      {D("url"), "http://192.168.0.1/", nullptr},
      {D("url"), "mailto:a@b.com", "missing scheme"},
      {D("url"), "file:///etc/passwd", "scheme must be http, https or ftp"},
      {D("url"), "javascript://x", "scheme must be"},
      {D("url"), "http://", "missing host"},
      {D("url"), "http:///path", "missing host"},
      {D("url"), "http://user:pw@host.example/", "credentials are not allowed"},
      {D("url"), "http://example.com:0/", "port must be 1-65535"},
      {D("url"), "http://example.com:99999/", "port must be 1-65535"},
      {D("url"), "http://example.com:/", "empty port"},
      {D("url"), "http://exa mple.com/", "host may only contain"},
      {D("url"), "http://-bad.com/", "host has a label that starts or ends"},
      {D("url"), "http://example.com/a b", "character not allowed"},
      {D("url"), "http://example.com/ü", "character not allowed"},
      {D("url"), "http://example.com/%zz", "invalid percent-encoding"},
      {D("url"), "http://example.com/%4", "invalid percent-encoding"},
      {D("url"), "http://[::1", "unclosed IPv6 host"},
      {D("url"), "http://[zz::1]/", "invalid IPv6 host"},
      {D("url"), "http://[::1]x/", "invalid host"},
      {D("url").len(std::nullopt, 10), "http://a.b/c", "at most 10 characters"},
      {D("email"), "Ops.Team+x@Example.COM", nullptr, "Ops.Team+x@example.com"},
      {D("email"), "a@b.co", nullptr},
      {D("email"), local64 + "@b.co", nullptr},
      {D("email"), local65 + "@b.co", "must be 1-64 characters"},
      {D("email"), "a@localhost", "the domain needs a '.'"},
      {D("email"), "@b.com", "must be 1-64 characters"},
      {D("email"), "a.@b.com", "misplaced '.'"},
      {D("email"), ".a@b.com", "misplaced '.'"},
      {D("email"), "a..b@c.com", "misplaced '.'"},
      {D("email"), "a b@c.com", "character not allowed before '@'"},
      {D("email"), "a@@b.com", "character not allowed before '@'"},
      {D("email"), "a@b_c.com", "the domain may only contain"},
      {D("email"), "no-at.example", "missing '@'"},
      {D("email").pat(R"(.+@corp\.example)"), "Joe@CORP.example", nullptr, "Joe@corp.example"},
      {D("json"), J(R"({"a":1})"), nullptr},
      {D("json"), J("[1,2]"), nullptr},
      {D("json"), "text", nullptr},
      {D("json"), false, nullptr},
      {D("json").len(std::nullopt, 7), J("[1,2,3]"), nullptr},
      {D("json").len(std::nullopt, 10), J(R"({"a":"xxxxxxxx"})"), "at most 10 bytes when serialized"},
  });
}
