// Inventory sessions from outside: a session over a location subtree with found, moved, missing and unknown
// items, idempotent (also concurrent) double scans, close with and without applyMoves, the session state
// table, validation and permissions — the real binary on a fresh database.
#include <algorithm>
#include <atomic>
#include <thread>

#include "assets_fixture.hpp"

using namespace assets_test;

class Inventory : public AssetsApi {
 protected:
  static void SetUpTestSuite() { start("inventory"); }

  json session(const std::string& location, const std::string& name = "") {
    auto r = as_admin("POST", "/api/v1/inventory", {{"name", name.empty() ? unique("count") : name},
                                                    {"locationId", location}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  static std::string base(const json& s) { return "/api/v1/inventory/" + s["id"].get<std::string>(); }
  json started(const std::string& location) {
    auto s = session(location);
    auto r = as_admin("POST", base(s) + "/start");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  HttpResponse scan(const json& s, json body, bool as_plain_user = false) {
    return as_plain_user ? as_user("POST", base(s) + "/scan", body) : as_admin("POST", base(s) + "/scan", body);
  }
  std::string count_events(const json& asset, const std::string& type) {
    return sql("SELECT count(*) FROM asset_events WHERE asset_id = '" + asset["id"].get<std::string>() +
               "' AND event_type = '" + type + "'");
  }
  std::string location_of(const json& asset) {
    return sql("SELECT location_id FROM assets WHERE id = '" + asset["id"].get<std::string>() + "'");
  }
};

TEST_F(Inventory, SubtreeSessionReportsFoundMovedMissingUnknownAndDoubleScansChangeNothing) {
  auto c = seed_catalog("-inv1");
  auto a1 = create({{"locationId", c.room}});
  auto a2 = create({{"locationId", c.floor}, {"serialNo", unique("SN")}});
  auto a3 = create({{"locationId", c.hq}});                             // never scanned: missing
  auto a4 = create({{"locationId", c.room}, {"status", "disposed"}});  // disposed: not expected
  auto a5 = create({{"locationId", c.branch}});                         // outside the subtree
  auto a6 = create({{"locationId", c.room}});                           // scanned on the floor: moved
  auto s = session(c.hq);
  EXPECT_EQ(s["status"], "draft");
  EXPECT_EQ(scan(s, {{"assetCode", a1["assetCode"]}, {"scannedLocationId", c.room}}).status, 409);  // not started

  auto st = as_admin("POST", base(s) + "/start");
  ASSERT_EQ(st.status, 200) << st.body;
  EXPECT_EQ(st.json()["status"], "in_progress");
  EXPECT_EQ(st.json()["expectedItems"], 4);
  EXPECT_FALSE(st.json()["startedAt"].is_null());
  auto sid = s["id"].get<std::string>();
  EXPECT_EQ(sql("SELECT count(*) FROM inventory_items WHERE session_id = '" + sid + "' AND status = 'missing'"), "4");
  EXPECT_EQ(sql("SELECT count(*) FROM inventory_items WHERE session_id = '" + sid + "' AND asset_id = '" +
                a4["id"].get<std::string>() + "'"),
            "0");
  EXPECT_EQ(sql("SELECT expected_location_id FROM inventory_items WHERE session_id = '" + sid + "' AND asset_id = '" +
                a6["id"].get<std::string>() + "'"),
            c.room);

  auto r1 = scan(s, {{"assetCode", a1["assetCode"]}, {"scannedLocationId", c.room}}, /*as_plain_user=*/true);
  ASSERT_EQ(r1.status, 200) << r1.body;
  EXPECT_EQ(r1.json()["status"], "found");
  EXPECT_EQ(r1.json()["duplicate"], false);
  auto again = scan(s, {{"assetCode", a1["assetCode"]}, {"scannedLocationId", c.room}}, true);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["status"], "found");
  EXPECT_EQ(again.json()["duplicate"], true);
  EXPECT_EQ(again.json()["id"], r1.json()["id"]);
  EXPECT_EQ(again.json()["scannedAt"], r1.json()["scannedAt"]);  // nothing changed, not even the time

  auto r2 = scan(s, {{"serialNo", a2["serialNo"]}, {"scannedLocationId", c.floor}, {"note", "shelf 2"}});
  ASSERT_EQ(r2.status, 200) << r2.body;
  EXPECT_EQ(r2.json()["status"], "found");
  EXPECT_EQ(r2.json()["note"], "shelf 2");
  auto r6 = scan(s, {{"assetId", a6["id"]}, {"scannedLocationId", c.floor}});
  ASSERT_EQ(r6.status, 200) << r6.body;
  EXPECT_EQ(r6.json()["status"], "moved");
  EXPECT_EQ(r6.json()["expectedLocationId"], c.room);
  EXPECT_EQ(r6.json()["scannedLocationId"], c.floor);
  auto r5 = scan(s, {{"assetCode", a5["assetCode"]}, {"scannedLocationId", c.room}});
  ASSERT_EQ(r5.status, 200) << r5.body;
  EXPECT_EQ(r5.json()["status"], "moved");
  EXPECT_EQ(r5.json()["expected"], false);
  EXPECT_EQ(r5.json()["expectedLocationId"], c.branch);
  auto r5b = scan(s, {{"assetCode", a5["assetCode"]}, {"scannedLocationId", c.room}});
  EXPECT_EQ(r5b.json()["duplicate"], true);
  auto code = unique("NOPE");
  auto ru = scan(s, {{"assetCode", code}, {"scannedLocationId", c.room}}, true);
  ASSERT_EQ(ru.status, 200) << ru.body;
  EXPECT_EQ(ru.json()["status"], "unknown");
  EXPECT_EQ(ru.json()["scannedCode"], code);
  EXPECT_TRUE(ru.json()["assetId"].is_null());
  EXPECT_EQ(scan(s, {{"assetCode", code}, {"scannedLocationId", c.room}}, true).json()["duplicate"], true);
  EXPECT_EQ(sql("SELECT count(*) FROM inventory_items WHERE session_id = '" + sid + "'"), "6");

  auto rep = as_user("GET", base(s) + "/report");
  ASSERT_EQ(rep.status, 200) << rep.body;
  auto counts = rep.json()["counts"];
  EXPECT_EQ(counts, json({{"found", 2}, {"moved", 2}, {"missing", 1}, {"unknown", 1}, {"total", 6}}));
  EXPECT_EQ(rep.json()["data"].size(), 6u);
  EXPECT_EQ(rep.json()["meta"]["total"], 6);
  auto missing = as_user("GET", base(s) + "/report?status=missing");
  ASSERT_EQ(missing.status, 200);
  ASSERT_EQ(missing.json()["data"].size(), 1u);
  EXPECT_EQ(missing.json()["data"][0]["assetId"], a3["id"]);
  EXPECT_EQ(missing.json()["data"][0]["assetCode"], a3["assetCode"]);
  EXPECT_EQ(missing.json()["meta"]["total"], 1);
  auto paged = as_user("GET", base(s) + "/report?pageSize=4&page=2");
  EXPECT_EQ(paged.json()["data"].size(), 2u);
  auto csv = as_user("GET", base(s) + "/report?format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.header("content-type").find("text/csv"), std::string::npos);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 7);  // header + 6 items
  EXPECT_NE(csv.body.find(a3["assetCode"].get<std::string>()), std::string::npos);
  EXPECT_NE(csv.body.find(code), std::string::npos);
  EXPECT_EQ(as_user("GET", base(s) + "/report?status=lost").status, 400);
  auto get = as_user("GET", base(s));
  EXPECT_EQ(get.json()["counts"]["found"], 2);

  auto closed = client.request("POST", base(s) + "/close", "", [&] {
    auto h = bearer(admin_);
    h.emplace_back("X-Request-Id", "inv-close-" + sid);
    return h;
  }());
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json()["status"], "closed");
  EXPECT_EQ(closed.json()["events"], 5);  // a1, a2, a3, a5, a6 (the unknown code is no asset)
  EXPECT_EQ(closed.json()["movedAssets"], 0);
  EXPECT_EQ(count_events(a1, "INVENTORY_FOUND"), "1");
  EXPECT_EQ(count_events(a2, "INVENTORY_FOUND"), "1");
  EXPECT_EQ(count_events(a3, "INVENTORY_MISSING"), "1");
  EXPECT_EQ(count_events(a5, "INVENTORY_MOVED"), "1");
  EXPECT_EQ(count_events(a6, "INVENTORY_MOVED"), "1");
  EXPECT_EQ(count_events(a4, "INVENTORY_MISSING"), "0");
  EXPECT_EQ(location_of(a6), c.room);  // no applyMoves: the register is not changed
  EXPECT_EQ(count_events(a6, "MOVED"), "0");
  // The same shape as every other asset event: actor and the close request's correlation id.
  EXPECT_EQ(sql("SELECT count(*) FROM asset_events WHERE event_type LIKE 'INVENTORY_%' AND correlation_id = 'inv-close-" +
                sid + "' AND actor_user_id = '" + admin_id_ + "' AND payload->>'sessionId' = '" + sid + "'"),
            "5");
  auto ev = events(a6);
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev[0]["eventType"], "INVENTORY_MOVED");
  EXPECT_EQ(ev[0]["payload"]["scannedLocationId"], c.floor);
  EXPECT_EQ(sql("SELECT count(*) FROM audit_logs WHERE resource = 'inventory_session:" + sid + "'"), "3");

  // Frozen: scans, edits and transitions are refused.
  auto late = scan(s, {{"assetCode", a3["assetCode"]}, {"scannedLocationId", c.hq}});
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.json()["error"]["code"], "CONFLICT");
  EXPECT_EQ(as_admin("PATCH", base(s), {{"name", "renamed"}}).status, 409);
  EXPECT_EQ(as_admin("POST", base(s) + "/cancel").status, 409);
  EXPECT_EQ(as_admin("POST", base(s) + "/close").status, 409);
  EXPECT_EQ(as_admin("DELETE", base(s)).status, 409);
  EXPECT_EQ(as_user("GET", base(s) + "/report").json()["counts"]["missing"], 1);
}

TEST_F(Inventory, CloseWithApplyMovesFixesTheRegister) {
  auto c = seed_catalog("-inv2");
  auto moved = create({{"locationId", c.room}});
  auto stays = create({{"locationId", c.floor}});
  auto s = started(c.hq);
  ASSERT_EQ(scan(s, {{"assetCode", moved["assetCode"]}, {"scannedLocationId", c.floor}}).json()["status"], "moved");
  ASSERT_EQ(scan(s, {{"assetCode", stays["assetCode"]}, {"scannedLocationId", c.floor}}).json()["status"], "found");
  auto r = as_admin("POST", base(s) + "/close?applyMoves=true");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["movedAssets"], 1);
  EXPECT_EQ(location_of(moved), c.floor);
  EXPECT_EQ(location_of(stays), c.floor);
  EXPECT_EQ(count_events(moved, "MOVED"), "1");
  EXPECT_EQ(count_events(moved, "INVENTORY_MOVED"), "1");
  EXPECT_EQ(count_events(stays, "MOVED"), "0");
  auto ev = events(moved);
  bool saw = false;
  for (auto& e : ev)
    if (e["eventType"] == "MOVED") {
      saw = true;
      EXPECT_EQ(e["payload"]["changes"]["locationId"], json({{"before", c.room}, {"after", c.floor}}));
    }
  EXPECT_TRUE(saw);
  auto asset = as_admin("GET", path_of(moved));
  EXPECT_EQ(asset.json()["locationId"], c.floor);
}

TEST_F(Inventory, ConcurrentDoubleScansCountOnce) {
  auto c = seed_catalog("-inv3");
  auto a = create({{"locationId", c.room}});
  auto s = started(c.hq);
  auto code = unique("GHOST");
  std::atomic<int> ok{0}, other{0};
  auto worker = [&](bool known) {
    HttpClient cl(server_->port());
    json body = {{"assetCode", known ? a["assetCode"].get<std::string>() : code}, {"scannedLocationId", c.room}};
    auto r = cl.request("POST", base(s) + "/scan", body.dump(), bearer(user_));
    (r.status == 200 ? ok : other)++;
  };
  std::vector<std::thread> ts;
  for (int i = 0; i < 8; ++i) ts.emplace_back(worker, i % 2 == 0);
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(other.load(), 0);
  auto sid = s["id"].get<std::string>();
  EXPECT_EQ(sql("SELECT count(*) FROM inventory_items WHERE session_id = '" + sid + "'"), "2");
  auto counts = as_user("GET", base(s) + "/report").json()["counts"];
  EXPECT_EQ(counts["found"], 1);
  EXPECT_EQ(counts["unknown"], 1);
}

TEST_F(Inventory, StateTableAndValidation) {
  auto c = seed_catalog("-inv4");
  auto a = create({{"locationId", c.room}});
  auto s = session(c.hq);
  // draft: rename, cancel, delete; no close
  auto renamed = as_admin("PATCH", base(s), {{"name", "Q4 count"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json()["name"], "Q4 count");
  auto stale = as_admin("PATCH", base(s), {{"name", "x"}}, {{"If-Match", "W/\"stale\""}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(as_admin("POST", base(s) + "/close").status, 409);
  auto st = as_admin("POST", base(s) + "/start");
  ASSERT_EQ(st.status, 200);
  auto twice = as_admin("POST", base(s) + "/start");
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.json()["error"]["details"]["allowed"], json({"close", "cancel"}));
  EXPECT_EQ(as_admin("DELETE", base(s)).status, 409);
  // scans: exactly one identifier, a scanned location that exists
  EXPECT_EQ(scan(s, {{"assetCode", a["assetCode"]}, {"assetId", a["id"]}, {"scannedLocationId", c.room}}).status, 400);
  EXPECT_EQ(scan(s, {{"scannedLocationId", c.room}}).status, 400);
  auto no_loc = scan(s, {{"assetCode", a["assetCode"]}});
  EXPECT_EQ(no_loc.status, 400);
  EXPECT_EQ(no_loc.json()["error"]["details"]["errors"][0]["field"], "scannedLocationId");
  EXPECT_EQ(scan(s, {{"assetCode", a["assetCode"]}, {"scannedLocationId", netops::new_uuid()}}).status, 422);
  EXPECT_EQ(scan(s, {{"assetId", "nope"}, {"scannedLocationId", c.room}}).status, 400);
  EXPECT_EQ(scan(s, {{"assetCode", a["assetCode"]}, {"scannedLocationId", c.room}, {"colour", "red"}}).status, 400);
  // cancel freezes too
  auto canceled = as_admin("POST", base(s) + "/cancel");
  ASSERT_EQ(canceled.status, 200);
  EXPECT_EQ(canceled.json()["status"], "canceled");
  EXPECT_EQ(scan(s, {{"assetCode", a["assetCode"]}, {"scannedLocationId", c.room}}).status, 409);
  EXPECT_EQ(as_admin("POST", base(s) + "/start").status, 409);
  EXPECT_EQ(count_events(a, "INVENTORY_MISSING"), "0");  // a canceled session writes no asset events
  EXPECT_EQ(as_admin("DELETE", base(s)).status, 204);
  EXPECT_EQ(as_admin("GET", base(s)).status, 404);
  // creation
  auto bad = as_admin("POST", "/api/v1/inventory", json::object());
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["details"]["errors"].size(), 2u);
  EXPECT_EQ(as_admin("POST", "/api/v1/inventory", {{"name", "x"}, {"locationId", netops::new_uuid()}}).status, 422);
  EXPECT_EQ(as_admin("POST", "/api/v1/inventory", {{"name", "x"}, {"locationId", "here"}}).status, 400);
  // list and filters
  auto mine = session(c.branch);
  auto list = as_user("GET", "/api/v1/inventory?status=draft&locationId=" + c.branch);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json()["data"].size(), 1u);
  EXPECT_EQ(list.json()["data"][0]["id"], mine["id"]);
  EXPECT_EQ(as_user("GET", "/api/v1/inventory?status=open").status, 400);
  EXPECT_EQ(as_user("GET", "/api/v1/inventory?sort=colour").status, 400);
}

TEST_F(Inventory, Permissions) {
  auto c = seed_catalog("-inv5");
  auto s = session(c.hq);
  EXPECT_EQ(client.get("/api/v1/inventory").status, 401);
  EXPECT_EQ(as_user("GET", "/api/v1/inventory").status, 200);
  EXPECT_EQ(as_user("GET", base(s)).status, 200);
  EXPECT_EQ(as_user("GET", base(s) + "/report").status, 200);
  EXPECT_EQ(as_user("POST", "/api/v1/inventory", {{"name", "x"}, {"locationId", c.hq}}).status, 403);
  EXPECT_EQ(as_user("PATCH", base(s), {{"name", "x"}}).status, 403);
  EXPECT_EQ(as_user("POST", base(s) + "/start").status, 403);
  EXPECT_EQ(as_user("POST", base(s) + "/close").status, 403);
  EXPECT_EQ(as_user("POST", base(s) + "/cancel").status, 403);
  EXPECT_EQ(as_user("DELETE", base(s)).status, 403);
  // a user scans (409 here only because the session is a draft: the role was accepted)
  EXPECT_EQ(as_user("POST", base(s) + "/scan", {{"assetCode", "X"}, {"scannedLocationId", c.hq}}).status, 409);
  EXPECT_EQ(as_user("GET", "/api/v1/inventory/" + netops::new_uuid()).status, 404);
}
