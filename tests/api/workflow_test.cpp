// Workflow requests from outside: payloads validated at submit, four eyes, concurrent decisions, execution
// of every type through the asset rules, a refused effect rolling back, visibility and permissions — the
// real binary on a fresh database.
#include <atomic>
#include <set>
#include <thread>

#include "assets_fixture.hpp"

using namespace assets_test;

class Workflow : public AssetsApi {
 protected:
  static void SetUpTestSuite() {
    start("workflow");
    admin2_ = new_user(server_->port(), admin_, "admin");
    admin3_ = new_user(server_->port(), admin_, "admin");
    user2_ = new_user(server_->port(), admin_, "user");
  }
  static inline Session admin2_, admin3_, user2_;

  HttpResponse call(const std::string& token, const std::string& method, const std::string& path,
                    const json& body = nullptr) {
    return client.request(method, path, body.is_null() ? "" : body.dump(), bearer(token));
  }
  json submit(const std::string& token, json body) {
    auto r = call(token, "POST", "/api/v1/workflows", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  static std::string base(const json& w) { return "/api/v1/workflows/" + w["id"].get<std::string>(); }
  // Submitted by the plain user, approved by admin2: ready to execute.
  json approved(json body) {
    auto w = submit(user_, std::move(body));
    auto r = call(admin2_.token, "POST", base(w) + "/approve");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  json asset_row(const json& a) { return as_admin("GET", path_of(a)).json(); }
  std::string count_events(const json& asset, const std::string& type) {
    return sql("SELECT count(*) FROM asset_events WHERE asset_id = '" + asset["id"].get<std::string>() +
               "' AND event_type = '" + type + "'");
  }
  static json person() { return {{"assigneeType", "person"}, {"assigneeId", "u-42"}, {"assigneeName", "Ada"}}; }
};

TEST_F(Workflow, SubmitValidatesThePayloadOfEachType) {
  auto a = create({{"locationId", cat_.hq}});
  auto move = call(user_, "POST", "/api/v1/workflows", {{"requestType", "move"}, {"assetId", a["id"]}});
  ASSERT_EQ(move.status, 400) << move.body;
  EXPECT_EQ(move.json()["error"]["details"]["errors"][0]["field"], "payload.locationId");
  auto assign = call(user_, "POST", "/api/v1/workflows",
                     {{"requestType", "assign"}, {"assetId", a["id"]}, {"payload", {{"assigneeType", "robot"}}}});
  ASSERT_EQ(assign.status, 400);
  std::set<std::string> fields;
  auto assign_body = assign.json();  // named: a range-for over a member of a temporary dangles
  for (auto& e : assign_body["error"]["details"]["errors"]) fields.insert(e["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"payload.assigneeType", "payload.assigneeId", "payload.assigneeName"}));
  EXPECT_EQ(call(user_, "POST", "/api/v1/workflows", {{"requestType", "steal"}, {"assetId", a["id"]}}).status, 400);
  EXPECT_EQ(call(user_, "POST", "/api/v1/workflows", {{"requestType", "repair"}}).status, 400);
  EXPECT_EQ(call(user_, "POST", "/api/v1/workflows",
                 {{"requestType", "repair"}, {"assetId", a["id"]}, {"payload", {{"lastError", "x"}}}})
                .status,
            400);
  EXPECT_EQ(call(user_, "POST", "/api/v1/workflows",
                 {{"requestType", "move"}, {"assetId", a["id"]}, {"payload", {{"locationId", "here"}}}})
                .status,
            400);
  auto no_asset = call(user_, "POST", "/api/v1/workflows", {{"requestType", "repair"}, {"assetId", netops::new_uuid()}});
  EXPECT_EQ(no_asset.status, 422);
  EXPECT_EQ(no_asset.json()["error"]["details"]["errors"][0]["field"], "assetId");
  EXPECT_EQ(call(user_, "POST", "/api/v1/workflows",
                 {{"requestType", "move"}, {"assetId", a["id"]}, {"payload", {{"locationId", netops::new_uuid()}}}})
                .status,
            422);
  // A good one: stored normalised, submitted, REQUEST_SUBMITTED and an audit row.
  auto w = submit(user_, {{"type", "move"}, {"assetId", a["id"]}, {"fromDept", "IT"}, {"toDept", "Ops"},
                          {"payload", {{"locationId", cat_.branch}, {"note", "new office"}}}});
  EXPECT_EQ(w["status"], "submitted");
  EXPECT_EQ(w["requestType"], "move");
  EXPECT_EQ(w["requestedBy"], user_id_);
  EXPECT_EQ(w["payload"], json({{"locationId", cat_.branch}, {"note", "new office"}}));
  EXPECT_EQ(w["toDept"], "Ops");
  EXPECT_EQ(count_events(a, "REQUEST_SUBMITTED"), "1");
  EXPECT_EQ(sql("SELECT count(*) FROM audit_logs WHERE action = 'workflow.submitted' AND resource = 'workflow_request:" +
                w["id"].get<std::string>() + "'"),
            "1");
}

TEST_F(Workflow, FourEyesTheRequesterNeverDecidesUnlessSuperAdmin) {
  auto a = create({});
  auto w = submit(admin2_.token, {{"requestType", "repair"}, {"assetId", a["id"]}});
  auto own = call(admin2_.token, "POST", base(w) + "/approve");
  ASSERT_EQ(own.status, 403) << own.body;
  EXPECT_EQ(own.json()["error"]["code"], "FORBIDDEN");
  EXPECT_NE(own.json()["error"]["message"].get<std::string>().find("four-eyes"), std::string::npos);
  EXPECT_EQ(call(admin2_.token, "POST", base(w) + "/reject", {{"reason", "mine"}}).status, 403);
  EXPECT_EQ(call(admin2_.token, "GET", base(w)).json()["status"], "submitted");
  auto other = call(admin3_.token, "POST", base(w) + "/approve", {{"note", "ok"}});
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(other.json()["status"], "approved");
  EXPECT_EQ(other.json()["approvedBy"], admin3_.id);
  EXPECT_EQ(count_events(a, "REQUEST_APPROVED"), "1");
  // super_admin may approve their own
  auto mine = submit(admin_, {{"requestType", "repair"}, {"assetId", a["id"]}});
  EXPECT_EQ(call(admin_, "POST", base(mine) + "/approve").status, 200);
}

TEST_F(Workflow, RejectionKeepsThePayloadAndStoresTheReason) {
  auto a = create({});
  auto w = submit(user_, {{"requestType", "assign"}, {"assetId", a["id"]}, {"payload", person()}});
  auto r = call(admin2_.token, "POST", base(w) + "/reject", {{"reason", "no budget"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "rejected");
  EXPECT_EQ(r.json()["payload"]["rejectionReason"], "no budget");
  EXPECT_EQ(r.json()["payload"]["assigneeName"], "Ada");
  EXPECT_EQ(count_events(a, "REQUEST_REJECTED"), "1");
  EXPECT_EQ(call(admin2_.token, "POST", base(w) + "/approve").status, 409);
  EXPECT_EQ(call(admin2_.token, "POST", base(w) + "/execute").status, 409);
  EXPECT_EQ(call(user_, "POST", base(w) + "/cancel").status, 409);
}

TEST_F(Workflow, ConcurrentDecisionsExactlyOneWins) {
  auto a = create({});
  for (int round = 0; round < 4; ++round) {
    auto w = submit(user_, {{"requestType", "repair"}, {"assetId", a["id"]}});
    std::atomic<int> ok{0}, conflict{0}, other{0};
    auto fire = [&](std::string token, std::string action) {
      HttpClient c(server_->port());
      auto r = c.request("POST", base(w) + "/" + action, "", bearer(token));
      if (r.status == 200) ++ok;
      else if (r.status == 409) ++conflict;
      else ++other;
    };
    // rounds 0, 1: two approvals by two admins; rounds 2, 3: an approval and a rejection at once
    std::string second_action = round < 2 ? "approve" : "reject";
    std::thread t1(fire, admin2_.token, "approve"), t2(fire, admin3_.token, second_action);
    t1.join();
    t2.join();
    EXPECT_EQ(ok.load(), 1) << "round " << round;
    EXPECT_EQ(conflict.load(), 1) << "round " << round;
    EXPECT_EQ(other.load(), 0);
    auto id = w["id"].get<std::string>();
    EXPECT_EQ(sql("SELECT count(*) FROM asset_events WHERE payload->>'requestId' = '" + id +
                  "' AND event_type IN ('REQUEST_APPROVED', 'REQUEST_REJECTED')"),
              "1");
  }
}

TEST_F(Workflow, ConcurrentApproveAndCancelHaveOneWinner) {
  // The requester may withdraw a request only while it is submitted: a cancel racing an approval ends with
  // exactly one of them succeeding and the other answered 409, and the state says which one won.
  auto a = create({});
  for (int round = 0; round < 4; ++round) {
    auto w = submit(user_, {{"requestType", "repair"}, {"assetId", a["id"]}});
    std::atomic<int> approve_status{0}, cancel_status{0};
    std::thread t1([&] {
      HttpClient c(server_->port());
      approve_status = c.request("POST", base(w) + "/approve", "", bearer(admin2_.token)).status;
    });
    std::thread t2([&] {
      HttpClient c(server_->port());
      cancel_status = c.request("POST", base(w) + "/cancel", "", bearer(user_)).status;
    });
    t1.join();
    t2.join();
    EXPECT_TRUE((approve_status == 200 && cancel_status == 409) || (approve_status == 409 && cancel_status == 200))
        << approve_status << " " << cancel_status;
    EXPECT_EQ(call(admin2_.token, "GET", base(w)).json()["status"], approve_status == 200 ? "approved" : "canceled");
    auto id = w["id"].get<std::string>();
    EXPECT_EQ(sql("SELECT count(*) FROM asset_events WHERE payload->>'requestId' = '" + id +
                  "' AND event_type = 'REQUEST_APPROVED'"),
              approve_status == 200 ? "1" : "0");
  }
}

TEST_F(Workflow, AnApprovedRequestIsCanceledByAnAdminNotItsRequester) {
  auto a = create({});
  auto w = approved({{"requestType", "repair"}, {"assetId", a["id"]}});
  auto refused = call(user_, "POST", base(w) + "/cancel");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(call(admin2_.token, "GET", base(w)).json()["status"], "approved");
  auto ok = call(admin2_.token, "POST", base(w) + "/cancel");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["status"], "canceled");
}

TEST_F(Workflow, ExecuteAppliesEachTypeThroughTheAssetRules) {
  auto a = create({{"locationId", cat_.hq}});
  auto run = [&](const json& w) {
    auto r = call(admin2_.token, "POST", base(w) + "/execute");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["status"], "done");
    return r.json();
  };
  run(approved({{"requestType", "assign"}, {"assetId", a["id"]}, {"payload", person()}}));
  EXPECT_EQ(asset_row(a)["status"], "in_use");
  EXPECT_EQ(asset_row(a)["openAssignment"]["assigneeName"], "Ada");
  EXPECT_EQ(count_events(a, "ASSIGNED"), "1");
  EXPECT_EQ(count_events(a, "REQUEST_EXECUTED"), "1");

  run(approved({{"requestType", "move"}, {"assetId", a["id"]}, {"payload", {{"locationId", cat_.room}}}}));
  EXPECT_EQ(asset_row(a)["locationId"], cat_.room);
  EXPECT_EQ(count_events(a, "MOVED"), "1");

  run(approved({{"requestType", "return"}, {"assetId", a["id"]}, {"payload", {{"note", "back"}}}}));
  EXPECT_EQ(asset_row(a)["status"], "in_stock");
  EXPECT_TRUE(asset_row(a)["openAssignment"].is_null());
  EXPECT_EQ(count_events(a, "UNASSIGNED"), "1");

  run(approved({{"requestType", "repair"}, {"assetId", a["id"]}}));
  EXPECT_EQ(asset_row(a)["status"], "in_repair");

  auto done = run(approved({{"requestType", "dispose"}, {"assetId", a["id"]}, {"payload", {{"note", "broken"}}}}));
  EXPECT_EQ(asset_row(a)["status"], "disposed");
  EXPECT_EQ(count_events(a, "STATUS_CHANGED"), "2");
  EXPECT_EQ(count_events(a, "REQUEST_EXECUTED"), "5");
  // The asset events of an execution carry the executing request's correlation id and actor.
  EXPECT_EQ(sql("SELECT count(*) FROM asset_events WHERE asset_id = '" + a["id"].get<std::string>() +
                "' AND event_type = 'STATUS_CHANGED' AND actor_user_id = '" + admin2_.id + "'"),
            "2");
  EXPECT_EQ(call(admin2_.token, "POST", base(done) + "/execute").status, 409);  // done is final
  EXPECT_EQ(call(admin2_.token, "POST", base(done) + "/cancel").status, 409);
}

TEST_F(Workflow, ARefusedEffectRollsBackAndKeepsTheRequestApproved) {
  auto a = create({});
  auto w = approved({{"requestType", "assign"}, {"assetId", a["id"]}, {"payload", person()}});
  auto disposed = as_admin("POST", path_of(a) + "/status", {{"status", "disposed"}});
  ASSERT_EQ(disposed.status, 200) << disposed.body;
  auto r = call(admin2_.token, "POST", base(w) + "/execute");
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "CONFLICT");
  auto after = call(admin2_.token, "GET", base(w)).json();
  EXPECT_EQ(after["status"], "approved");
  EXPECT_EQ(after["payload"]["lastError"]["status"], 409);
  EXPECT_EQ(after["payload"]["lastError"]["code"], "CONFLICT");
  EXPECT_FALSE(after["payload"]["lastError"]["message"].get<std::string>().empty());
  EXPECT_EQ(after["payload"]["assigneeName"], "Ada");  // the request's payload is kept
  EXPECT_EQ(asset_row(a)["status"], "disposed");
  EXPECT_EQ(count_events(a, "ASSIGNED"), "0");
  EXPECT_EQ(count_events(a, "REQUEST_EXECUTED"), "0");
  EXPECT_EQ(sql("SELECT count(*) FROM asset_assignments WHERE asset_id = '" + a["id"].get<std::string>() + "'"), "0");
  EXPECT_EQ(sql("SELECT count(*) FROM audit_logs WHERE action = 'workflow.execute_failed' AND resource = "
                "'workflow_request:" + w["id"].get<std::string>() + "'"),
            "1");
  // Still approved: an admin can cancel it (or execute it again once the asset allows it).
  auto canceled = call(admin2_.token, "POST", base(w) + "/cancel", {{"reason", "asset gone"}});
  ASSERT_EQ(canceled.status, 200) << canceled.body;
  EXPECT_EQ(canceled.json()["status"], "canceled");
  // A refused move (unknown location by now) answers 422 the same way.
  auto b = create({});
  auto loc = location("Temp" + unique(""));
  auto m = approved({{"requestType", "move"}, {"assetId", b["id"]}, {"payload", {{"locationId", loc}}}});
  sql("DELETE FROM locations WHERE id = '" + loc + "'");
  auto refused = call(admin2_.token, "POST", base(m) + "/execute");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(call(admin2_.token, "GET", base(m)).json()["payload"]["lastError"]["status"], 422);
}

TEST_F(Workflow, VisibilityAndPermissions) {
  auto a = create({});
  auto mine = submit(user_, {{"requestType", "repair"}, {"assetId", a["id"]}});
  auto theirs = submit(user2_.token, {{"requestType", "dispose"}, {"assetId", a["id"]}});
  EXPECT_EQ(client.get("/api/v1/workflows").status, 401);
  // users: own requests only
  auto list = call(user_, "GET", "/api/v1/workflows?pageSize=1000");
  ASSERT_EQ(list.status, 200) << list.body;
  auto own = list.json();
  ASSERT_FALSE(own["data"].empty());
  for (auto& r : own["data"]) EXPECT_EQ(r["requestedBy"], user_id_);
  auto spoof = call(user_, "GET", "/api/v1/workflows?requestedBy=" + user2_.id).json();
  ASSERT_FALSE(spoof["data"].empty());
  for (auto& r : spoof["data"]) EXPECT_EQ(r["requestedBy"], user_id_);
  EXPECT_EQ(call(user_, "GET", base(mine)).status, 200);
  EXPECT_EQ(call(user_, "GET", base(theirs)).status, 404);
  EXPECT_EQ(call(user_, "POST", base(theirs) + "/cancel").status, 404);
  EXPECT_EQ(call(user_, "POST", base(mine) + "/approve").status, 403);
  EXPECT_EQ(call(user_, "POST", base(mine) + "/reject").status, 403);
  EXPECT_EQ(call(user_, "POST", base(mine) + "/execute").status, 403);
  // admins: everything, with filters
  auto all = call(admin2_.token, "GET", "/api/v1/workflows?requestedBy=" + user2_.id + "&type=dispose&status=submitted");
  ASSERT_EQ(all.status, 200);
  ASSERT_EQ(all.json()["data"].size(), 1u);
  EXPECT_EQ(all.json()["data"][0]["id"], theirs["id"]);
  auto by_asset = call(admin2_.token, "GET", "/api/v1/workflows?assetId=" + a["id"].get<std::string>());
  EXPECT_EQ(by_asset.json()["meta"]["total"], 2);
  EXPECT_EQ(call(admin2_.token, "GET", "/api/v1/workflows?type=steal").status, 400);
  EXPECT_EQ(call(admin2_.token, "GET", "/api/v1/workflows?status=open").status, 400);
  EXPECT_EQ(call(admin2_.token, "GET", base(theirs)).status, 200);
  // cancel: the requester, or an admin
  auto c1 = call(user_, "POST", base(mine) + "/cancel");
  ASSERT_EQ(c1.status, 200);
  EXPECT_EQ(c1.json()["payload"]["canceledBy"], user_id_);
  EXPECT_EQ(call(admin2_.token, "POST", base(theirs) + "/cancel").status, 200);
  EXPECT_EQ(count_events(a, "REQUEST_CANCELED"), "2");
  EXPECT_EQ(call(admin2_.token, "GET", "/api/v1/workflows/" + netops::new_uuid()).status, 404);
}

TEST_F(Workflow, EveryAnswerNamesTheAssetByCodeAndHostname) {
  auto a = create({{"hostname", "core-sw-7"}});
  const std::string code = a["assetCode"];
  auto w = submit(user_, {{"requestType", "repair"}, {"assetId", a["id"]}});
  EXPECT_EQ(w["assetCode"], code) << "submit (INSERT … RETURNING)";
  EXPECT_EQ(w["assetHostname"], "core-sw-7");
  auto got = call(user_, "GET", base(w));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json()["assetCode"], code);
  auto list = call(admin_, "GET", "/api/v1/workflows?assetId=" + a["id"].get<std::string>());
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json()["data"].size(), 1u);
  EXPECT_EQ(list.json()["data"][0]["assetCode"], code);
  EXPECT_EQ(list.json()["data"][0]["assetHostname"], "core-sw-7");
  // The asset's current code, not a copy: a rename shows in the next answer (UPDATE … RETURNING too).
  sql("UPDATE assets SET asset_code = '" + code + "-R' WHERE id = '" + a["id"].get<std::string>() + "'");
  auto approved = call(admin2_.token, "POST", base(w) + "/approve");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json()["assetCode"], code + "-R");
}
