// Pure rules of the assets module: transitions, value checks, search planning, multipart, sniffing,
// Content-Disposition and the import's parse/validate phases.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "modules/assets/csv_names.hpp"
#include "modules/assets/import_plan.hpp"
#include "http/multipart.hpp"
#include "modules/assets/asset_rules.hpp"

using namespace netops::assets;
using netops::http::content_disposition;
using netops::http::find_part;
using netops::http::multipart_boundary;
using netops::http::parse_multipart;
using netops::http::sniff_mime;

TEST(AssetRules, TransitionTable) {
  for (auto from : {"in_stock", "in_use", "in_repair"}) {
    for (auto to : {"in_stock", "in_use", "in_repair", "retired", "disposed", "lost"})
      EXPECT_EQ(transition_allowed(from, to), std::string_view(from) != to) << from << " → " << to;
  }
  EXPECT_EQ(allowed_next("retired"), (std::vector<std::string>{"disposed"}));
  EXPECT_EQ(allowed_next("lost"), (std::vector<std::string>{"in_stock"}));
  EXPECT_TRUE(allowed_next("disposed").empty());
  try {
    check_transition("disposed", "in_use");
    FAIL();
  } catch (const netops::AppError& e) {
    EXPECT_EQ(e.status(), 409);
    EXPECT_TRUE(e.details()["allowed"].empty());
  }
}

TEST(AssetRules, MacAddressesAreNormalized) {
  for (auto in : {"AA:BB:CC:DD:EE:FF", "aa-bb-cc-dd-ee-ff", "aabb.ccdd.eeff", "AABBCCDDEEFF"})
    EXPECT_EQ(normalize_mac(in), "aa:bb:cc:dd:ee:ff") << in;
  for (auto bad : {"aa:bb:cc:dd:ee", "aa:bb-cc:dd:ee:ff", "gg:bb:cc:dd:ee:ff", "aabbccddeef", ""})
    EXPECT_FALSE(normalize_mac(bad)) << bad;
}

TEST(AssetRules, IpAddressesHostnamesDatesVlans) {
  EXPECT_EQ(normalize_ip("10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(normalize_ip("2001:DB8:0:0::1"), "2001:db8::1");
  EXPECT_FALSE(normalize_ip("10.0.0.256"));
  EXPECT_FALSE(normalize_ip("10.0.0.1/24"));
  EXPECT_EQ(normalize_cidr("10.1.0.0/16"), "10.1.0.0/16");
  EXPECT_FALSE(normalize_cidr("10.1.0.0/33"));
  EXPECT_TRUE(valid_hostname("core-sw-01.example.com"));
  EXPECT_TRUE(valid_hostname("sw1"));
  EXPECT_FALSE(valid_hostname("-sw1"));
  EXPECT_FALSE(valid_hostname("sw_1"));
  EXPECT_FALSE(valid_hostname("10.0.0.1"));
  EXPECT_FALSE(valid_hostname(std::string(64, 'a')));
  EXPECT_TRUE(valid_date("2024-02-29"));
  EXPECT_FALSE(valid_date("2023-02-29"));
  EXPECT_FALSE(valid_date("2024-13-01"));
  EXPECT_FALSE(valid_date("24-01-01"));
  auto vlan = *column_by_api("vlanId");
  EXPECT_EQ(check_value(vlan, "4094").value, "4094");
  EXPECT_FALSE(check_value(vlan, "0").ok());
  EXPECT_FALSE(check_value(vlan, "4095").ok());
  EXPECT_FALSE(check_value(*column_by_api("serialNo"), "bad\x01").ok());
  EXPECT_FALSE(check_value(*column_by_api("serialNo"), "\xC3\x28").ok());  // invalid UTF-8
  EXPECT_EQ(check_value(*column_by_api("hostname"), " SW1.Example.COM ").value, "sw1.example.com");
  EXPECT_EQ(check_value(*column_by_api("notes"), " keep\nspaces ").value, " keep\nspaces ");
}

TEST(AssetRules, SearchTermsBecomeIndexFriendlyConditions) {
  auto ip = plan_search("10.1.2.3");
  EXPECT_EQ(ip.cidr, "10.1.2.3/32");
  EXPECT_EQ(plan_search("10.1.0.0/16").cidr, "10.1.0.0/16");
  EXPECT_EQ(plan_search("2001:db8::/32").cidr, "2001:db8::/32");
  auto prefix = plan_search("10.1.2.");
  ASSERT_EQ(prefix.ip_ranges.size(), 1u);
  EXPECT_EQ(prefix.ip_ranges[0], (std::pair<std::string, std::string>{"10.1.2.0", "10.1.2.255"}));
  auto partial = plan_search("10.1.2");  // 10.1.2.*, 10.1.20-29.*, 10.1.200-255.*
  ASSERT_EQ(partial.ip_ranges.size(), 3u);
  EXPECT_EQ(partial.ip_ranges[1], (std::pair<std::string, std::string>{"10.1.20.0", "10.1.29.255"}));
  EXPECT_EQ(partial.ip_ranges[2], (std::pair<std::string, std::string>{"10.1.200.0", "10.1.255.255"}));
  EXPECT_TRUE(plan_search("10").ip_ranges.empty());  // no dot: not an address prefix
  EXPECT_TRUE(plan_search("sw-01.example").ip_ranges.empty());
  EXPECT_EQ(plan_search("AA-BB-CC-DD-EE-FF").mac, "aa:bb:cc:dd:ee:ff");
  EXPECT_EQ(plan_search("AA-BB-CC").mac_prefix, "aa:bb:cc");
  EXPECT_FALSE(plan_search("SN123").mac_prefix);
  EXPECT_EQ(plan_search("  SN-ABC ").text, "sn-abc");
  EXPECT_EQ(netops::db::like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
}

TEST(Multipart, ParsesPartsAndFileNames) {
  std::string ct = "multipart/form-data; boundary=\"XyZ\"";
  auto b = multipart_boundary(ct);
  ASSERT_EQ(b, "XyZ");
  std::string body =
      "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\docs\\\\a \\\"b\\\".png\"\r\n"
      "Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n--XyZ-not-a-delimiter\r\n--XyZ--\r\nepilogue";
  auto parts = parse_multipart(body, *b);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "note");
  EXPECT_EQ(parts[0].body, "hello");
  auto* f = find_part(parts, "file");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->filename, "a \"b\".png");
  EXPECT_EQ(f->content_type, "image/png");
  EXPECT_EQ(f->body, std::string_view("\x89PNG\r\n\x1a\n--XyZ-not-a-delimiter"));
  auto ext = parse_multipart(
      "--b\r\nContent-Disposition: form-data; name=file; filename=x; filename*=UTF-8''H%C3%A0%20N%E1%BB%99i.txt\r\n\r\n"
      "x\r\n--b--",
      "b");
  EXPECT_EQ(ext[0].filename, "Hà Nội.txt");
}

TEST(Multipart, RefusesMalformedBodies) {
  EXPECT_FALSE(multipart_boundary("application/json"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')));
  for (std::string bad : {std::string("no delimiter"), std::string("--b\r\nContent-Disposition: form-data; name=a\r\n\r\nx"),
                          std::string("--b\r\n\r\nx\r\n--b--"), std::string("--b\r\nX-Other: 1\r\n\r\nx\r\n--b--"),
                          std::string("--b--")})
    EXPECT_THROW(parse_multipart(bad, "b"), netops::AppError) << bad;
}

TEST(Multipart, SniffsTypesFromContentNotNames) {
  EXPECT_EQ(sniff_mime("\x89PNG\r\n\x1a\nrest"), "image/png");
  EXPECT_EQ(sniff_mime("\xFF\xD8\xFF\xE0"), "image/jpeg");
  EXPECT_EQ(sniff_mime("GIF89a..."), "image/gif");
  EXPECT_EQ(sniff_mime("%PDF-1.7\n"), "application/pdf");
  EXPECT_EQ(sniff_mime(std::string("PK\x03\x04", 4) + "....word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(sniff_mime(std::string("PK\x03\x04", 4) + "....xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(sniff_mime(std::string("PK\x03\x04", 4) + "plain.zip"), "application/zip");
  EXPECT_EQ(sniff_mime("\x1F\x8B\x08"), "application/gzip");
  EXPECT_EQ(sniff_mime("a,b,c\n1,2,3\n4,5,6\n"), "text/csv");
  EXPECT_EQ(sniff_mime("hello world\nsecond line"), "text/plain");
  EXPECT_EQ(sniff_mime(std::string("\x00\x01\x02", 3)), "application/octet-stream");
  EXPECT_EQ(sniff_mime(""), "application/octet-stream");
}

TEST(Multipart, ContentDispositionIsAlwaysSafe) {
  EXPECT_EQ(content_disposition("report.pdf"), "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
  EXPECT_EQ(content_disposition("a \"b\"\\\r\n.txt"),
            "attachment; filename=\"a _b____.txt\"; filename*=UTF-8''a%20%22b%22%5C%0D%0A.txt");
  EXPECT_EQ(content_disposition("Hà.txt"), "attachment; filename=\"H__.txt\"; filename*=UTF-8''H%C3%A0.txt");
}

namespace {
CsvNames sample_catalog() {
  CsvNames c;
  c.add_model("00000000-0000-4000-8000-000000000001", "C9300", {{"ports", 48}});
  c.add_vendor("00000000-0000-4000-8000-000000000002", "Cisco");
  c.add_location("00000000-0000-4000-8000-00000000000a", "HQ", "/00000000-0000-4000-8000-00000000000a/");
  c.add_location("00000000-0000-4000-8000-00000000000b", "Floor 1",
                 "/00000000-0000-4000-8000-00000000000a/00000000-0000-4000-8000-00000000000b/");
  c.add_location("00000000-0000-4000-8000-00000000000c", "Branch", "/00000000-0000-4000-8000-00000000000c/");
  c.add_location("00000000-0000-4000-8000-00000000000d", "Floor 1",
                 "/00000000-0000-4000-8000-00000000000c/00000000-0000-4000-8000-00000000000d/");
  c.finish();
  return c;
}
}  // namespace

TEST(ImportPlan, CatalogResolvesNamesPathsAndIds) {
  auto c = sample_catalog();
  EXPECT_EQ(c.location("HQ/Floor 1").id, "00000000-0000-4000-8000-00000000000b");
  EXPECT_FALSE(c.location("Floor 1").id);  // two of them
  EXPECT_NE(c.location("Floor 1").error.find("use the path"), std::string::npos);
  EXPECT_EQ(c.location("Branch").id, "00000000-0000-4000-8000-00000000000c");
  EXPECT_EQ(c.model("c9300").id, "00000000-0000-4000-8000-000000000001");  // case-insensitive fallback
  EXPECT_EQ(c.vendor("00000000-0000-4000-8000-000000000002").id, "00000000-0000-4000-8000-000000000002");
  EXPECT_FALSE(c.vendor("Juniper").id);
  EXPECT_EQ(c.location_text("00000000-0000-4000-8000-00000000000d"), "Branch/Floor 1");
}

TEST(ImportPlan, HeaderProblemsAreFatal) {
  auto f = parse_file("serial_no,colour,serialNo\nX,red,Y\n");
  ASSERT_EQ(f.fatal.size(), 3u);  // unknown column, duplicate column, no assetCode
  EXPECT_EQ(f.fatal[0].column, "colour");
  EXPECT_EQ(f.fatal[1].reason, "duplicate column");
  auto syntax = parse_file("assetCode\nA\n\"B\n");
  ASSERT_EQ(syntax.fatal.size(), 1u);
  EXPECT_EQ(syntax.fatal[0].line, 3u);
}

TEST(ImportPlan, EveryRowAndColumnIsJudged) {
  auto c = sample_catalog();
  auto file = parse_file(
      "asset_code,Model,location,macAddress,vlanId,purchaseDate,warrantyEnd,spec.ports,status\n"
      "A1,C9300,HQ/Floor 1,AA-BB-CC-DD-EE-FF,10,2024-01-01,2027-01-01,48,\n"
      "A2,Nope,Floor 1,zz,0,2024-01-01,2023-01-01,24,in_use\n"
      "A1,,,,,,,,\n"
      ",,,,,,,,\n");
  ASSERT_TRUE(file.fatal.empty());
  ImportOptions o;
  auto plan = plan_import(file, c, {}, {}, o);
  EXPECT_EQ(plan.report.rows, 4u);
  EXPECT_EQ(plan.report.valid, 1u);
  EXPECT_EQ(plan.report.invalid, 3u);
  EXPECT_EQ(plan.rows[0].action, RowPlan::Action::create);
  EXPECT_EQ(*plan.rows[0].values.at("mac_address"), "aa:bb:cc:dd:ee:ff");
  EXPECT_EQ(plan.rows[0].values.count("status"), 0u);  // empty status: the default
  std::map<std::string, std::string> row2;
  for (auto& e : plan.report.errors)
    if (e.row == 3) row2[e.column] = e.reason;
  EXPECT_TRUE(row2.count("Model"));
  EXPECT_TRUE(row2.count("location"));
  EXPECT_TRUE(row2.count("macAddress"));
  EXPECT_TRUE(row2.count("vlanId"));
  EXPECT_TRUE(row2.count("spec.ports"));  // no model resolved
  bool duplicate = false, missing_code = false;
  for (auto& e : plan.report.errors) {
    duplicate |= e.row == 4 && e.reason.find("first at row 2") != std::string::npos;
    missing_code |= e.row == 5 && e.column == "asset_code";
  }
  EXPECT_TRUE(duplicate);
  EXPECT_TRUE(missing_code);
}

TEST(ImportPlan, UpsertComparesWithTheExistingRow) {
  auto c = sample_catalog();
  Asset a;
  a.id = "00000000-0000-4000-8000-0000000000ff";
  a.values = {{"asset_code", "A1"}, {"serial_no", "S1"}, {"status", "disposed"}, {"model_id", std::nullopt}};
  std::unordered_map<std::string, const Asset*> existing = {{"A1", &a}};
  ImportOptions o;
  auto refused = plan_import(parse_file("assetCode,serialNo\nA1,S1\n"), c, existing, {}, o);
  EXPECT_EQ(refused.report.invalid, 1u);  // exists, no upsertBy
  o.upsert = true;
  auto same = plan_import(parse_file("assetCode,serialNo\nA1,S1\n"), c, existing, {}, o);
  EXPECT_EQ(same.rows[0].action, RowPlan::Action::unchanged);
  auto changed = plan_import(parse_file("assetCode,serialNo\nA1,S2\n"), c, existing, {}, o);
  EXPECT_EQ(changed.rows[0].action, RowPlan::Action::update);
  EXPECT_EQ(changed.rows[0].changes["serialNo"]["before"], "S1");
  auto illegal = plan_import(parse_file("assetCode,status\nA1,in_use\n"), c, existing, {}, o);
  ASSERT_EQ(illegal.report.errors.size(), 1u);
  EXPECT_EQ(illegal.report.errors[0].column, "status");
}
