// Assets from outside: CRUD, validation, permissions, If-Match, the status table, assignments (also
// concurrent), moves and events — the real binary on a fresh database.
#include <thread>

#include "assets_fixture.hpp"

using namespace assets_test;

class Assets : public AssetsApi {
 protected:
  static void SetUpTestSuite() { start("assets"); }
};

TEST_F(Assets, CreateNormalizesAndGetShowsEverything) {
  auto a = create({{"serialNo", " SN-1 "}, {"macAddress", "AA-BB-CC-00-11-22"}, {"mgmtIp", "2001:DB8::1"},
                   {"hostname", "Core-SW-01.Example.com"}, {"vlanId", 120}, {"modelId", cat_.model},
                   {"locationId", cat_.room}, {"vendorId", cat_.vendor}, {"purchaseDate", "2024-01-31"},
                   {"warrantyEnd", "2027-01-31"}, {"notes", "rack 4"}});
  EXPECT_EQ(a["status"], "in_stock");
  EXPECT_EQ(a["serialNo"], "SN-1");
  EXPECT_EQ(a["macAddress"], "aa:bb:cc:00:11:22");
  EXPECT_EQ(a["mgmtIp"], "2001:db8::1");
  EXPECT_EQ(a["hostname"], "core-sw-01.example.com");
  EXPECT_EQ(a["vlanId"], 120);
  auto r = as_user("GET", path_of(a));
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = r.json();
  EXPECT_FALSE(r.header("etag").empty());
  EXPECT_EQ(d["model"]["name"], "C9300-48P");
  EXPECT_EQ(d["model"]["brand"], "Cisco");
  EXPECT_EQ(d["category"]["name"], "Switch");
  EXPECT_EQ(d["vendor"]["name"], "Cisco");
  EXPECT_EQ(d["location"]["name"], "Room 101");
  EXPECT_EQ(d["location"]["namePath"], "HQ/Floor 1/Room 101");
  EXPECT_EQ(d["location"]["path"].get<std::string>().rfind("/" + cat_.hq + "/", 0), 0u);
  EXPECT_TRUE(d["openAssignment"].is_null());
  ASSERT_EQ(d["recentEvents"].size(), 1u);
  EXPECT_EQ(d["recentEvents"][0]["eventType"], "CREATED");
  EXPECT_EQ(d["allowedStatuses"], json({"in_use", "in_repair", "retired", "disposed", "lost"}));
}

TEST_F(Assets, CreateReportsEveryFieldErrorAtOnce) {
  auto r = as_admin("POST", "/api/v1/assets",
                    {{"macAddress", "zz"}, {"mgmtIp", "10.0.0.300"}, {"hostname", "bad_host"}, {"vlanId", 5000},
                     {"status", "broken"}, {"purchaseDate", "2024-02-30"}, {"colour", "red"}, {"serialNo", 5}});
  ASSERT_EQ(r.status, 400) << r.body;
  std::set<std::string> fields;
  auto body = r.json();
  for (auto& e : body["error"]["details"]["errors"]) fields.insert(e["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"assetCode", "macAddress", "mgmtIp", "hostname", "vlanId", "status",
                                           "purchaseDate", "colour", "serialNo"}));
  auto dates = as_admin("POST", "/api/v1/assets",
                        {{"assetCode", unique("D")}, {"purchaseDate", "2024-01-02"}, {"warrantyEnd", "2024-01-01"}});
  ASSERT_EQ(dates.status, 400);
  EXPECT_EQ(dates.json()["error"]["details"]["errors"][0]["field"], "warrantyEnd");
}

TEST_F(Assets, UnknownReferencesAre422AndDuplicatesAre409) {
  auto r = as_admin("POST", "/api/v1/assets",
                    {{"assetCode", unique("R")}, {"modelId", netops::new_uuid()}, {"locationId", netops::new_uuid()},
                     {"vendorId", cat_.vendor}});
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "UNPROCESSABLE");
  auto errs = r.json()["error"]["details"]["errors"];
  ASSERT_EQ(errs.size(), 2u);
  EXPECT_EQ(errs[0]["field"], "modelId");
  EXPECT_EQ(errs[1]["field"], "locationId");
  auto a = create({});
  auto dup = as_admin("POST", "/api/v1/assets", {{"assetCode", a["assetCode"]}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.json()["error"]["code"], "CONFLICT");
}

TEST_F(Assets, PermissionsAndMissingThings) {
  auto a = create({});
  EXPECT_EQ(client.get("/api/v1/assets").status, 401);
  EXPECT_EQ(as_user("GET", "/api/v1/assets").status, 200);
  EXPECT_EQ(as_user("GET", path_of(a) + "/events").status, 200);
  EXPECT_EQ(as_user("POST", "/api/v1/assets", {{"assetCode", unique("U")}}).status, 403);
  EXPECT_EQ(as_user("PATCH", path_of(a), {{"notes", "x"}}).status, 403);
  EXPECT_EQ(as_user("DELETE", path_of(a)).status, 403);
  EXPECT_EQ(as_user("POST", path_of(a) + "/status", {{"status", "in_use"}}).status, 403);
  EXPECT_EQ(as_user("POST", path_of(a) + "/assign", {{"assigneeType", "person"}, {"assigneeId", "u1"}, {"assigneeName", "U"}}).status, 403);
  EXPECT_EQ(as_user("POST", path_of(a) + "/move", {{"locationId", cat_.hq}}).status, 403);
  auto missing = "/api/v1/assets/" + netops::new_uuid();
  EXPECT_EQ(as_admin("GET", missing).status, 404);
  EXPECT_EQ(as_admin("PATCH", missing, {{"notes", "x"}}).status, 404);
  EXPECT_EQ(as_admin("POST", missing + "/status", {{"status", "in_use"}}).status, 404);
  EXPECT_EQ(as_admin("GET", missing + "/events").status, 404);
  EXPECT_EQ(as_admin("GET", "/api/v1/assets/not-a-uuid").status, 400);
  json person = {{"assigneeType", "person"}, {"assigneeId", "u1"}, {"assigneeName", "U"}};
  EXPECT_EQ(as_admin("POST", missing + "/assign", person).status, 404);
  EXPECT_EQ(as_admin("POST", missing + "/return").status, 404);
  EXPECT_EQ(as_admin("POST", missing + "/move", {{"locationId", cat_.hq}}).status, 404);
  EXPECT_EQ(as_admin("GET", missing + "/assignments").status, 404);
  EXPECT_EQ(as_admin("GET", missing + "/attachments").status, 404);
  EXPECT_EQ(as_admin("DELETE", missing + "/attachments/" + netops::new_uuid()).status, 404);
  EXPECT_EQ(as_user("POST", path_of(a) + "/return").status, 403);
  EXPECT_EQ(client.get("/api/v1/assets/status-counts").status, 401);
  EXPECT_EQ(client.get("/api/v1/assets/export").status, 401);
  EXPECT_EQ(client.get(path_of(a) + "/events").status, 401);
}

TEST_F(Assets, PatchHonoursIfMatchAndRecordsOnlyChanges) {
  auto a = create({{"serialNo", "S1"}, {"hostname", "h1"}});
  auto get = as_admin("GET", path_of(a));
  auto etag = get.header("etag");
  auto r = as_admin("PATCH", path_of(a), {{"serialNo", "S2"}, {"hostname", "h1"}, {"notes", nullptr}}, {{"If-Match", etag}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["serialNo"], "S2");
  EXPECT_NE(r.header("etag"), etag);
  auto stale = as_admin("PATCH", path_of(a), {{"serialNo", "S3"}}, {{"If-Match", etag}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(stale.json()["error"]["code"], "PRECONDITION_FAILED");
  EXPECT_EQ(as_admin("POST", path_of(a) + "/status", {{"status", "in_use"}}, {{"If-Match", etag}}).status, 412);
  auto evs = events(a);
  ASSERT_EQ(event_types(evs), (std::vector<std::string>{"UPDATED", "CREATED"}));
  EXPECT_EQ(evs[0]["payload"]["changes"], json({{"serialNo", {{"before", "S1"}, {"after", "S2"}}}}));
  EXPECT_EQ(evs[0]["actorUserId"], admin_id_);
  // Nothing changes: no event, same ETag. PUT of the read representation is accepted.
  auto same = as_admin("PUT", path_of(a), r.json());
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(same.header("etag"), r.header("etag"));
  EXPECT_EQ(events(a).size(), 2u);
  auto status = as_admin("PATCH", path_of(a), {{"status", "retired"}});
  ASSERT_EQ(status.status, 400);
  EXPECT_EQ(status.json()["error"]["details"]["errors"][0]["field"], "status");
  auto moved = as_admin("PATCH", path_of(a), {{"locationId", cat_.floor}, {"notes", "moved"}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(event_types(events(a)), (std::vector<std::string>{"UPDATED", "MOVED", "UPDATED", "CREATED"}));
  EXPECT_EQ(as_admin("PATCH", path_of(a), {{"vendorId", netops::new_uuid()}}).status, 422);
}

TEST_F(Assets, EveryStatusTransitionFollowsTheTable) {
  const std::vector<std::string> statuses = {"in_stock", "in_use", "in_repair", "retired", "disposed", "lost"};
  const std::map<std::string, std::vector<std::string>> allowed = {
      {"in_stock", {"in_use", "in_repair", "retired", "disposed", "lost"}},
      {"in_use", {"in_stock", "in_repair", "retired", "disposed", "lost"}},
      {"in_repair", {"in_stock", "in_use", "retired", "disposed", "lost"}},
      {"retired", {"disposed"}},
      {"disposed", {}},
      {"lost", {"in_stock"}}};
  for (auto& from : statuses) {
    for (auto& to : statuses) {
      auto a = create({{"status", from}});
      auto r = as_admin("POST", path_of(a) + "/status", {{"status", to}, {"note", "table"}});
      auto& ok = allowed.at(from);
      if (std::find(ok.begin(), ok.end(), to) != ok.end()) {
        ASSERT_EQ(r.status, 200) << from << " → " << to << ": " << r.body;
        EXPECT_EQ(r.json()["status"], to);
        auto ev = events(a)[0];
        EXPECT_EQ(ev["eventType"], "STATUS_CHANGED");
        EXPECT_EQ(ev["payload"]["changes"]["status"], json({{"before", from}, {"after", to}}));
        EXPECT_EQ(ev["payload"]["note"], "table");
      } else {
        ASSERT_EQ(r.status, 409) << from << " → " << to << ": " << r.body;
        EXPECT_EQ(r.json()["error"]["details"]["allowed"], json(ok)) << from;
      }
    }
  }
  auto a = create({});
  EXPECT_EQ(as_admin("POST", path_of(a) + "/status", {{"status", "gone"}}).status, 400);
  EXPECT_EQ(as_admin("POST", path_of(a) + "/status", json::object()).status, 400);
}

TEST_F(Assets, AssignReassignReturn) {
  auto a = create({});
  json person = {{"assigneeType", "person"}, {"assigneeId", "u-1"}, {"assigneeName", "Lan"}, {"note", "laptop"}};
  auto r1 = as_admin("POST", path_of(a) + "/assign", person);
  ASSERT_EQ(r1.status, 200) << r1.body;
  EXPECT_EQ(r1.json()["asset"]["status"], "in_use");
  EXPECT_EQ(r1.json()["assignment"]["assigneeName"], "Lan");
  json dept = {{"assigneeType", "department"}, {"assigneeId", "d-7"}, {"assigneeName", "NOC"}};
  auto r2 = as_admin("POST", path_of(a) + "/assign", dept);
  ASSERT_EQ(r2.status, 200) << r2.body;
  EXPECT_EQ(as_admin("GET", path_of(a)).json()["openAssignment"]["assigneeName"], "NOC");
  EXPECT_EQ(event_types(events(a)), (std::vector<std::string>{"ASSIGNED", "UNASSIGNED", "ASSIGNED", "CREATED"}));
  EXPECT_EQ(events(a)[2]["payload"]["note"], "laptop");  // the first ASSIGNED keeps its note at the top level
  EXPECT_EQ(as_admin("POST", path_of(a) + "/status", {{"status", "retired"}}).status, 409);  // return it first
  auto back = as_admin("POST", path_of(a) + "/return", {{"note", "end of project"}});
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.json()["asset"]["status"], "in_stock");
  EXPECT_FALSE(back.json()["assignment"]["returnedAt"].is_null());
  auto last = events(a)[0];
  EXPECT_EQ(last["eventType"], "UNASSIGNED");
  EXPECT_EQ(last["payload"]["changes"]["status"], json({{"before", "in_use"}, {"after", "in_stock"}}));
  auto again = as_admin("POST", path_of(a) + "/return");
  EXPECT_EQ(again.status, 409);
  auto hist = as_user("GET", path_of(a) + "/assignments");
  ASSERT_EQ(hist.status, 200);
  EXPECT_EQ(hist.json()["meta"]["total"], 2);
  EXPECT_EQ(hist.json()["data"][0]["assigneeName"], "NOC");
  auto bad = as_admin("POST", path_of(a) + "/assign", {{"assigneeType", "robot"}});
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["details"]["errors"].size(), 3u);
  auto gone = create({{"status", "disposed"}});
  auto refused = as_admin("POST", path_of(gone) + "/assign", person);
  EXPECT_EQ(refused.status, 409);
  EXPECT_TRUE(refused.json()["error"]["details"]["allowed"].empty());
}

TEST_F(Assets, ConcurrentAssignsSerialize) {
  auto a = create({});
  const int kRounds = 15;
  std::atomic<int> ok{0}, conflicts{0}, other{0};
  auto worker = [&](int who) {
    HttpClient c(server_->port());
    for (int i = 0; i < kRounds; ++i) {
      json body = {{"assigneeType", "person"}, {"assigneeId", "p" + std::to_string(who)}, {"assigneeName", "P"}};
      auto r = c.request("POST", path_of(a) + "/assign", body.dump(), bearer(admin_));
      if (r.status == 200) ++ok;
      else if (r.status == 409) ++conflicts;
      else ++other;
    }
  };
  std::thread t1(worker, 1), t2(worker, 2);
  t1.join();
  t2.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(ok + conflicts, 2 * kRounds);
  auto id = a["id"].get<std::string>();
  EXPECT_EQ(sql("SELECT count(*) FROM asset_assignments WHERE asset_id = '" + id + "' AND returned_at IS NULL"), "1");
  EXPECT_EQ(sql("SELECT count(*) FROM asset_assignments WHERE asset_id = '" + id + "'"), std::to_string(ok.load()));
  EXPECT_EQ(sql("SELECT count(*) FROM asset_events WHERE asset_id = '" + id + "' AND event_type = 'ASSIGNED'"),
            std::to_string(ok.load()));
  EXPECT_EQ(sql("SELECT count(*) FROM asset_events WHERE asset_id = '" + id + "' AND event_type = 'UNASSIGNED'"),
            std::to_string(ok.load() - 1));
}

TEST_F(Assets, MoveRecordsTheLocationChange) {
  auto a = create({{"locationId", cat_.hq}});
  auto r = as_admin("POST", path_of(a) + "/move", {{"locationId", cat_.branch}, {"note", "relocated"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["locationId"], cat_.branch);
  auto ev = events(a)[0];
  EXPECT_EQ(ev["eventType"], "MOVED");
  EXPECT_EQ(ev["payload"]["changes"]["locationId"], json({{"before", cat_.hq}, {"after", cat_.branch}}));
  EXPECT_EQ(as_admin("POST", path_of(a) + "/move", {{"locationId", netops::new_uuid()}}).status, 422);
  EXPECT_EQ(as_admin("POST", path_of(a) + "/move", json::object()).status, 400);
}

TEST_F(Assets, EventsCarryActorAndCorrelationIdNewestFirst) {
  auto r = as_admin("POST", "/api/v1/assets", {{"assetCode", unique("E")}}, {{"X-Request-Id", "req-assets-123"}});
  ASSERT_EQ(r.status, 201);
  auto a = r.json();
  for (int i = 0; i < 3; ++i) as_admin("PATCH", path_of(a), {{"notes", "n" + std::to_string(i)}});
  auto page = as_user("GET", path_of(a) + "/events?pageSize=2&page=2");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.json()["meta"]["total"], 4);
  ASSERT_EQ(page.json()["data"].size(), 2u);
  auto created = page.json()["data"][1];
  EXPECT_EQ(created["eventType"], "CREATED");
  EXPECT_EQ(created["correlationId"], "req-assets-123");
  EXPECT_EQ(created["actorUserId"], admin_id_);
  EXPECT_EQ(created["payload"]["after"]["assetCode"], a["assetCode"]);
  EXPECT_EQ(as_user("GET", path_of(a) + "/events?page=9").json()["meta"]["total"], 4);
}

TEST_F(Assets, DeleteRemovesTheAssetAndAuditsIt) {
  auto a = create({});
  auto etag = as_admin("GET", path_of(a)).header("etag");
  as_admin("PATCH", path_of(a), {{"notes", "changed"}});
  EXPECT_EQ(as_admin("DELETE", path_of(a), nullptr, {{"If-Match", etag}}).status, 412);
  EXPECT_EQ(as_admin("DELETE", path_of(a)).status, 204);
  EXPECT_EQ(as_admin("GET", path_of(a)).status, 404);
  EXPECT_EQ(as_admin("DELETE", path_of(a)).status, 404);
  auto logs = as_admin("GET", "/api/admin/audit-logs?action=asset.deleted&resource=asset:" + a["id"].get<std::string>());
  ASSERT_EQ(logs.status, 200);
  ASSERT_EQ(logs.json()["data"].size(), 1u);
  EXPECT_EQ(logs.json()["data"][0]["details"]["before"]["assetCode"], a["assetCode"]);
}

// The event is written in the change's own transaction: when the event insert fails, the change is gone too.
TEST_F(Assets, AFailedEventRollsBackTheChange) {
  auto a = create({{"notes", "before"}});
  auto id = a["id"].get<std::string>();
  sql("CREATE OR REPLACE FUNCTION fail_asset_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "IF NEW.asset_id = '" + id + "' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$");
  sql("CREATE TRIGGER fail_asset_event BEFORE INSERT ON asset_events FOR EACH ROW EXECUTE FUNCTION fail_asset_event()");
  auto patch = as_admin("PATCH", path_of(a), {{"notes", "after"}});
  auto status = as_admin("POST", path_of(a) + "/status", {{"status", "in_repair"}});
  auto assign = as_admin("POST", path_of(a) + "/assign",
                         {{"assigneeType", "person"}, {"assigneeId", "u-9"}, {"assigneeName", "Nobody"}});
  auto move = as_admin("POST", path_of(a) + "/move", {{"locationId", cat_.branch}});
  sql("DROP TRIGGER fail_asset_event ON asset_events");
  EXPECT_EQ(patch.status, 500);
  EXPECT_EQ(status.status, 500);
  EXPECT_EQ(assign.status, 500);
  EXPECT_EQ(move.status, 500);
  auto now = as_admin("GET", path_of(a)).json();
  EXPECT_EQ(now["notes"], "before");
  EXPECT_EQ(now["status"], "in_stock");
  EXPECT_TRUE(now["locationId"].is_null());
  EXPECT_TRUE(now["openAssignment"].is_null());
  EXPECT_EQ(sql("SELECT count(*) FROM asset_assignments WHERE asset_id = '" + id + "'"), "0");
  EXPECT_EQ(event_types(events(a)), std::vector<std::string>{"CREATED"});
}
