// CSV import/export and attachments from outside: dry run vs real, atomic vs skipInvalid, upsert,
// RFC 4180 edge cases, export → import round trip, byte-exact attachments and their failure paths.
#include <set>
#include <filesystem>
#include <random>

#include "assets_fixture.hpp"
#include "core/csv.hpp"

using namespace assets_test;

namespace {
const std::string kBoundary = "----netops-test-7d1f0c";
std::string multipart(const std::string& field, const std::string& filename, const std::string& type,
                      const std::string& bytes) {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename +
         "\"\r\nContent-Type: " + type + "\r\n\r\n" + bytes + "\r\n--" + kBoundary + "--\r\n";
}
Headers multipart_headers(const std::string& token) {
  return {{"Authorization", "Bearer " + token}, {"Content-Type", "multipart/form-data; boundary=" + kBoundary}};
}
std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng() & 0xFF);
  return out;
}
}  // namespace

class AssetFiles : public AssetsApi {
 protected:
  static void SetUpTestSuite() {
    start("assets_csv", {{"NETOPS_ATTACHMENT_LIMIT", std::to_string(kLimit)},
                         // a stalled upload is cut off (and HttpClient::raw returns) after 2 s
                         {"NETOPS_BODY_TIMEOUT_MS", "2000"}});
  }
  static constexpr std::size_t kLimit = 1 << 20;

  HttpResponse import(const std::string& csv, const std::string& query = "", const std::string& type = "text/csv") {
    return client.request("POST", "/api/v1/assets/import?" + query, csv,
                          {{"Authorization", "Bearer " + admin_}, {"Content-Type", type}});
  }
  long long count(const std::string& query) {
    return as_admin("GET", "/api/v1/assets?pageSize=1&" + query).json()["meta"]["total"].get<long long>();
  }
  static std::size_t stored_files() {
    std::filesystem::path dir = "/tmp/netops-test-storage-" + std::to_string(server_->port());
    std::size_t n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != std::filesystem::end(it); ++it)
      n += it->is_regular_file();
    return n;
  }
};

TEST_F(AssetFiles, DryRunWritesNothingThenTheRealImportDoes) {
  auto p = unique("IMP");
  std::string csv =
      "assetCode,model,vendor,location,serialNo,macAddress,mgmtIp,hostname,vlanId,status,purchaseDate,warrantyEnd,notes\n" +
      p + "-1,C9300-48P,Cisco,HQ/Floor 1,S1,AA-BB-CC-DD-EE-01,10.9.0.1,Imp-1,10,in_use,2024-01-01,2027-01-01,\"rack 1, \"\"A\"\"\"\n" +
      p + "-2,MX204,Juniper,Branch,S2,,,,,,,,\n" + p + "-3,,,,,,,,,,,,\n";
  auto dry = import(csv, "dryRun=true");
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(dry.json()["dryRun"], true);
  EXPECT_EQ(dry.json()["created"], 3);
  EXPECT_EQ(count("search=" + p), 0);
  auto real = import(csv);
  ASSERT_EQ(real.status, 200) << real.body;
  auto rep = real.json();
  EXPECT_EQ(rep["rows"], 3);
  EXPECT_EQ(rep["created"], 3);
  EXPECT_EQ(rep["errors"], json::array());
  EXPECT_EQ(count("search=" + p), 3);
  auto list = as_admin("GET", "/api/v1/assets?search=" + p + "-1").json()["data"][0];
  EXPECT_EQ(list["modelId"], cat_.model);
  EXPECT_EQ(list["locationId"], cat_.floor);
  EXPECT_EQ(list["macAddress"], "aa:bb:cc:dd:ee:01");
  EXPECT_EQ(list["hostname"], "imp-1");
  EXPECT_EQ(list["notes"], "rack 1, \"A\"");
  EXPECT_EQ(list["status"], "in_use");
  auto ev = events(list)[0];
  EXPECT_EQ(ev["eventType"], "IMPORTED");
  EXPECT_EQ(ev["payload"]["action"], "created");
  EXPECT_EQ(ev["payload"]["row"], 2);
  EXPECT_EQ(as_admin("GET", "/api/v1/assets?search=" + p + "-3").json()["data"][0]["status"], "in_stock");
}

// Rows are validated in ranges of 10,000 (the next range while the database writes the last) and written
// in statements of 1,000, each row with its IMPORTED event in the same statement. Atomic: a bad row in a
// later range leaves nothing written. skipInvalid: across batch and range boundaries, with a refused row
// shifting the written ones, every asset gets exactly one event carrying its own row number and values.
TEST_F(AssetFiles, EveryRowOfAFileOfSeveralBatchesGetsItsOwnEvent) {
  auto p = unique("BAT");
  constexpr int kRows = 12345, kBad = 10500;  // data row kBad (CSV row kBad + 1) has an invalid VLAN
  auto code_of = [&](int i) {  // zero-padded: a code's search matches that code only
    auto n = std::to_string(i);
    return p + "-" + std::string(5 - n.size(), '0') + n;
  };
  std::string csv = "assetCode,serialNo,vlanId\n";
  for (int i = 1; i <= kRows; ++i)
    csv += code_of(i) + ",SER-" + std::to_string(i) + "," + (i == kBad ? "99999" : std::to_string(1 + i % 4000)) + "\n";
  auto atomic = import(csv);
  ASSERT_EQ(atomic.status, 422) << atomic.body;
  EXPECT_EQ(atomic.json()["error"]["details"]["errors"][0]["row"], kBad + 1);
  EXPECT_EQ(count("search=" + p), 0);
  auto r = import(csv, "mode=skipInvalid");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["created"], kRows - 1);
  EXPECT_EQ(r.json()["errorCount"], 1);
  EXPECT_EQ(r.json()["errors"][0]["row"], kBad + 1);
  for (int i : {1, 999, 1000, 1001, 9999, 10000, 10001, kBad - 1, kBad + 1, kRows}) {
    auto code = code_of(i);
    auto list = as_admin("GET", "/api/v1/assets?search=" + code).json()["data"];
    json asset;
    for (auto& a : list)
      if (a["assetCode"] == code) asset = a;
    ASSERT_FALSE(asset.is_null()) << code;
    auto evs = events(asset);
    ASSERT_EQ(evs.size(), 1u) << code;
    EXPECT_EQ(evs[0]["eventType"], "IMPORTED");
    EXPECT_EQ(evs[0]["payload"]["action"], "created");
    EXPECT_EQ(evs[0]["payload"]["row"], i + 1) << code;
    EXPECT_EQ(evs[0]["payload"]["after"]["assetCode"], code);
    EXPECT_EQ(evs[0]["payload"]["after"]["serialNo"], "SER-" + std::to_string(i));
    EXPECT_EQ(evs[0]["payload"]["after"]["status"], "in_stock");
  }
}

TEST_F(AssetFiles, AtomicRefusesEverythingSkipInvalidKeepsTheGoodRows) {
  auto p = unique("ATM");
  std::string csv = "assetCode,model,macAddress,vlanId\n" + p + "-1,,,\n" + p + "-2,NoSuchModel,zz,9999\n" + p + "-3,,,\n";
  auto atomic = import(csv);
  ASSERT_EQ(atomic.status, 422) << atomic.body;
  auto rep = atomic.json()["error"]["details"];
  EXPECT_EQ(rep["mode"], "atomic");
  EXPECT_EQ(rep["created"], 0);
  EXPECT_EQ(rep["skipped"], 3);
  ASSERT_EQ(rep["errors"].size(), 3u);
  std::set<std::string> columns;
  for (auto& e : rep["errors"]) {
    EXPECT_EQ(e["row"], 3);
    columns.insert(e["column"]);
  }
  EXPECT_EQ(columns, (std::set<std::string>{"model", "macAddress", "vlanId"}));
  EXPECT_EQ(count("search=" + p), 0);
  auto dry = import(csv, "dryRun=true");  // a dry run answers what the real run would
  ASSERT_EQ(dry.status, 422) << dry.body;
  EXPECT_EQ(dry.json()["error"]["details"]["dryRun"], true);
  EXPECT_EQ(dry.json()["error"]["details"]["errorCount"], 3);
  auto dry_skip = import(csv, "mode=skipInvalid&dryRun=true");
  ASSERT_EQ(dry_skip.status, 200) << dry_skip.body;
  EXPECT_EQ(dry_skip.json()["created"], 2);
  EXPECT_EQ(count("search=" + p), 0);
  auto skip = import(csv, "mode=skipInvalid");
  ASSERT_EQ(skip.status, 200) << skip.body;
  EXPECT_EQ(skip.json()["created"], 2);
  EXPECT_EQ(skip.json()["skipped"], 1);
  EXPECT_EQ(skip.json()["invalid"], 1);
  EXPECT_EQ(count("search=" + p), 2);
}

TEST_F(AssetFiles, UpsertByAssetCodeReportsCreatedUpdatedUnchanged) {
  auto p = unique("UPS");
  ASSERT_EQ(import("assetCode,serialNo,status\n" + p + "-1,S1,in_use\n" + p + "-2,S2,disposed\n").status, 200);
  std::string next = "assetCode,serialNo\n" + p + "-1,S1-NEW\n" + p + "-2,S2\n" + p + "-3,S3\n";
  auto refused = import(next);
  ASSERT_EQ(refused.status, 422);
  EXPECT_EQ(refused.json()["error"]["details"]["errorCount"], 2);
  auto up = import(next, "upsertBy=assetCode");
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(up.json()["created"], 1);
  EXPECT_EQ(up.json()["updated"], 1);
  EXPECT_EQ(up.json()["unchanged"], 1);
  auto a1 = as_admin("GET", "/api/v1/assets?search=" + p + "-1").json()["data"][0];
  EXPECT_EQ(a1["serialNo"], "S1-NEW");
  auto ev = events(a1)[0];
  EXPECT_EQ(ev["payload"]["changes"], json({{"serialNo", {{"before", "S1"}, {"after", "S1-NEW"}}}}));
  auto illegal = import("assetCode,status\n" + p + "-2,in_use\n", "upsertBy=assetCode");
  ASSERT_EQ(illegal.status, 422);
  EXPECT_EQ(illegal.json()["error"]["details"]["errors"][0]["column"], "status");
}

TEST_F(AssetFiles, Rfc4180EdgeCasesAndRequestErrors) {
  auto p = unique("EDGE");
  // BOM, CRLF, snake_case headers, quoted commas/quotes/line breaks, a spec column equal to the model's.
  std::string csv = "\xEF\xBB\xBF" "asset_code,serial_no,notes,model,spec.ports\r\n" + p +
                    "-1,\"S,1\",\"line 1\r\nline \"\"2\"\", done\",C9300-48P,48\r\n" + p + "-2,S2,,,\r\n";
  auto r = client.request("POST", "/api/v1/assets/import", multipart("file", "a.csv", "text/csv", csv),
                          multipart_headers(admin_));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["created"], 2);
  auto a = as_admin("GET", "/api/v1/assets?search=" + p + "-1").json()["data"][0];
  EXPECT_EQ(a["serialNo"], "S,1");
  EXPECT_EQ(a["notes"], "line 1\r\nline \"2\", done");
  auto spec = import("assetCode,model,spec.ports\n" + unique("SP") + ",C9300-48P,24\n");
  ASSERT_EQ(spec.status, 422);
  EXPECT_EQ(spec.json()["error"]["details"]["errors"][0]["column"], "spec.ports");
  auto header = import("assetCode,colour\nX,red\n");
  ASSERT_EQ(header.status, 422);
  EXPECT_EQ(header.json()["error"]["details"]["errors"][0]["row"], 1);
  auto syntax = import("assetCode\n\"open\n");
  ASSERT_EQ(syntax.status, 422);
  EXPECT_EQ(syntax.json()["error"]["details"]["errors"][0]["line"], 2);
  // A file saved in another encoding (Windows-1252 "ü") is refused as a whole, naming the line.
  auto latin = import("assetCode,notes\n" + unique("L1") + ",ok\n" + unique("L2") + ",B\xFCro\n");
  ASSERT_EQ(latin.status, 422) << latin.body;
  EXPECT_EQ(latin.json()["error"]["details"]["errors"][0]["line"], 3);
  EXPECT_NE(latin.body.find("UTF-8"), std::string::npos);
  EXPECT_EQ(import("").status, 400);
  EXPECT_EQ(import("{}", "", "application/json").status, 415);
  EXPECT_EQ(import("assetCode\nX\n", "mode=fast").status, 400);
  EXPECT_EQ(client.request("POST", "/api/v1/assets/import", "assetCode\nX\n",
                           {{"Authorization", "Bearer " + user_}, {"Content-Type", "text/csv"}}).status, 403);
}

TEST_F(AssetFiles, ExportThenReimportIsANoOp) {
  auto root = location("RoundTrip");
  auto sub = location("Sub, \"quoted\"", root);
  auto dup1 = sql("INSERT INTO asset_models (model) VALUES ('Twin') RETURNING id");
  sql("INSERT INTO asset_models (model) VALUES ('Twin')");  // an ambiguous name: exported as the id
  create({{"locationId", root}, {"modelId", cat_.model}, {"vendorId", cat_.vendor}, {"serialNo", "RT-1"},
          {"notes", "commas, \"quotes\"\nand lines ✓"}, {"mgmtIp", "2001:db8::7"}, {"vlanId", 7},
          {"purchaseDate", "2023-05-01"}, {"warrantyEnd", "2026-05-01"}, {"status", "in_repair"}});
  create({{"locationId", sub}, {"modelId", dup1}, {"macAddress", "00:11:22:33:44:55"}, {"hostname", "rt-2"}});
  create({{"locationId", sub}});
  auto exp = as_user("GET", "/api/v1/assets/export?locationId=" + root);
  ASSERT_EQ(exp.status, 200) << exp.body;
  EXPECT_EQ(exp.header("content-type"), "text/csv; charset=utf-8");
  auto records = netops::csv::parse(exp.body);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0], (std::vector<std::string>{"assetCode", "model", "serialNo", "macAddress", "mgmtIp", "hostname",
                                                  "vlanId", "switchName", "switchPort", "location", "status",
                                                  "purchaseDate", "warrantyEnd", "vendor", "notes"}));
  bool saw_path = false, saw_id = false;
  for (auto& rec : records) {
    saw_path |= rec[9] == "RoundTrip/Sub, \"quoted\"";
    saw_id |= rec[1] == dup1;
  }
  EXPECT_TRUE(saw_path);
  EXPECT_TRUE(saw_id);
  auto again = import(exp.body, "upsertBy=assetCode");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["rows"], 3);
  EXPECT_EQ(again.json()["unchanged"], 3);
  EXPECT_EQ(again.json()["created"], 0);
  EXPECT_EQ(again.json()["updated"], 0);
}

TEST_F(AssetFiles, ExportOfSelectedIdsHoldsThoseAssetsAndReimportsUnchanged) {
  auto root = location("Selection");
  auto a = create({{"locationId", root}, {"serialNo", "SEL-1"}});
  auto b = create({{"locationId", root}, {"hostname", "sel-2"}});
  create({{"locationId", root}});  // not selected
  std::string ids = a["id"].get<std::string>() + "," + b["id"].get<std::string>();
  auto exp = as_user("GET", "/api/v1/assets/export?ids=" + ids);
  ASSERT_EQ(exp.status, 200) << exp.body;
  auto records = netops::csv::parse(exp.body);
  ASSERT_EQ(records.size(), 3u) << exp.body;
  std::set<std::string> codes{records[1][0], records[2][0]};
  EXPECT_EQ(codes, (std::set<std::string>{a["assetCode"].get<std::string>(), b["assetCode"].get<std::string>()}));
  auto again = import(exp.body, "upsertBy=assetCode");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["unchanged"], 2);
  // The list takes the same filter; a malformed id is a 400 naming the parameter.
  auto list = as_user("GET", "/api/v1/assets?ids=" + ids);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json()["data"].size(), 2u);
  auto bad = as_user("GET", "/api/v1/assets/export?ids=" + a["id"].get<std::string>() + ",nope");
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.json()["error"]["details"]["errors"][0]["field"], "ids");
}

TEST_F(AssetFiles, AttachmentsAreByteExactVersionedAndDeletable) {
  auto a = create({});
  auto base = path_of(a) + "/attachments";
  auto files_before = stored_files();
  auto bytes = random_bytes(300000, 7);
  auto r1 = client.request("POST", base, multipart("file", "report \\\"v1\\\".bin", "image/png", bytes),
                           multipart_headers(admin_));
  ASSERT_EQ(r1.status, 201) << r1.body;
  auto att = r1.json();
  EXPECT_EQ(att["sizeBytes"], 300000);
  EXPECT_EQ(att["sha256"], netops::sha256_hex(bytes));
  EXPECT_EQ(att["mimeType"], "application/octet-stream");  // the client's image/png is not trusted
  EXPECT_EQ(att["fileName"], "report \"v1\".bin");
  EXPECT_EQ(att["version"], 1);
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + random_bytes(1000, 8);
  auto r2 = client.request("POST", base, multipart("file", "photo.dat", "text/plain", png), multipart_headers(admin_));
  ASSERT_EQ(r2.status, 201) << r2.body;
  EXPECT_EQ(r2.json()["mimeType"], "image/png");
  EXPECT_EQ(r2.json()["version"], 2);
  EXPECT_EQ(stored_files(), files_before + 2);
  auto list = as_user("GET", base);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["meta"]["total"], 2);
  EXPECT_EQ(list.json()["data"][0]["version"], 2);
  auto dl = as_user("GET", base + "/" + att["id"].get<std::string>() + "/download");
  ASSERT_EQ(dl.status, 200);
  EXPECT_TRUE(dl.body == bytes) << "downloaded bytes differ";
  EXPECT_EQ(dl.header("content-type"), "application/octet-stream");
  EXPECT_EQ(dl.header("content-disposition"),
            "attachment; filename=\"report _v1_.bin\"; filename*=UTF-8''report%20%22v1%22.bin");
  EXPECT_EQ(event_types(events(a))[0], "ATTACHMENT_ADDED");
  auto one = base + "/" + att["id"].get<std::string>();
  EXPECT_EQ(as_user("DELETE", one).status, 403);
  EXPECT_EQ(as_admin("DELETE", one).status, 204);
  EXPECT_EQ(stored_files(), files_before + 1);
  EXPECT_EQ(as_user("GET", one + "/download").status, 404);
  EXPECT_EQ(as_admin("DELETE", one).status, 404);
  EXPECT_EQ(as_admin("DELETE", path_of(a)).status, 204);  // the asset takes its files with it
  EXPECT_EQ(stored_files(), files_before);
}

TEST_F(AssetFiles, AttachmentLimitsAndFailuresLeaveNothingBehind) {
  auto a = create({});
  auto base = path_of(a) + "/attachments";
  auto before = stored_files();
  // Over the route limit: refused from Content-Length before the body is read.
  auto raw = client.raw("POST " + base + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin_ +
                        "\r\nContent-Type: multipart/form-data; boundary=" + kBoundary +
                        "\r\nContent-Length: 5000000\r\n\r\n--" + kBoundary);
  EXPECT_NE(raw.find(" 413 "), std::string::npos) << raw.substr(0, 200);
  // Within the route limit but the file itself is one byte too big.
  auto big = client.request("POST", base, multipart("file", "big.bin", "application/octet-stream",
                                                    std::string(kLimit + 1, 'x')), multipart_headers(admin_));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.json()["error"]["code"], "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(as_admin("POST", base, {{"file", "not multipart"}}).status, 415);
  EXPECT_EQ(client.request("POST", base, multipart("other", "x.txt", "text/plain", "x"), multipart_headers(admin_)).status, 400);
  EXPECT_EQ(client.request("POST", "/api/v1/assets/" + netops::new_uuid() + "/attachments",
                           multipart("file", "x.txt", "text/plain", "x"), multipart_headers(admin_)).status, 404);
  EXPECT_EQ(client.request("POST", base, multipart("file", "x.txt", "text/plain", "x"), multipart_headers(user_)).status, 403);
  // The client stops in the middle of the body and goes away: no row, no file, and the server carries on.
  auto cut = client.raw("POST " + base + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin_ +
                        "\r\nContent-Type: multipart/form-data; boundary=" + kBoundary +
                        "\r\nContent-Length: 200000\r\n\r\n" +
                        multipart("file", "cut.bin", "application/octet-stream", random_bytes(100000, 10)).substr(0, 60000),
                        300);
  EXPECT_EQ(cut.find("201"), std::string::npos) << cut.substr(0, 200);
  EXPECT_EQ(as_admin("GET", base).json()["meta"]["total"], 0);
  EXPECT_EQ(stored_files(), before);
  // The row insert fails after the file was written: the file must go too.
  auto id = a["id"].get<std::string>();
  sql("CREATE OR REPLACE FUNCTION fail_attachment() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "IF NEW.asset_id = '" + id + "' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$");
  sql("CREATE TRIGGER fail_attachment BEFORE INSERT ON asset_attachments FOR EACH ROW EXECUTE FUNCTION fail_attachment()");
  auto failed = client.request("POST", base, multipart("file", "x.bin", "text/plain", random_bytes(5000, 9)),
                               multipart_headers(admin_));
  sql("DROP TRIGGER fail_attachment ON asset_attachments");
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(sql("SELECT count(*) FROM asset_attachments WHERE asset_id = '" + id + "'"), "0");
  EXPECT_EQ(stored_files(), before);
  EXPECT_EQ(event_types(events(a)), std::vector<std::string>{"CREATED"});
}
