// Maintenance tickets against the real server: opening puts the asset in_repair (MAINT_OPEN), closing or
// canceling the last open ticket restores in_use / in_stock (MAINT_CLOSE), the transition table, roles,
// validation, If-Match, filters, and concurrent closes of two tickets on one asset.
#include <algorithm>
#include <future>

#include "support/api.hpp"

using namespace netops::test;

namespace {

class Tickets : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = "tickets";
    o.env["NETOPS_RATE_LIMIT_FREE"] = "0";
    start_server(o, /*with_user=*/true);
  }
  HttpResponse as(const std::string& token, const std::string& method, const std::string& path,
                  const json& body = nullptr, Headers extra = {}) {
    auto h = bearer(token);
    h.insert(h.end(), extra.begin(), extra.end());
    return client.request(method, path, body.is_null() ? "" : body.dump(), h);
  }
  json asset() {
    auto r = as(admin_, "POST", "/api/v1/assets", {{"assetCode", unique("T")}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  std::string asset_status(const std::string& id) {
    auto r = as(admin_, "GET", "/api/v1/assets/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().value("status", "");
  }
  std::vector<std::string> event_types(const std::string& id) {
    auto r = as(admin_, "GET", "/api/v1/assets/" + id + "/events?pageSize=100");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    json body = r.json();  // named: iterating into a temporary's member would dangle
    for (auto& e : body["data"]) out.push_back(e["eventType"].get<std::string>());
    return out;
  }
  json open(const std::string& asset_id, const std::string& token = "", const std::string& severity = "high") {
    auto r = as(token.empty() ? user_ : token, "POST", "/api/v1/maintenance/tickets",
                {{"assetId", asset_id}, {"title", "fan noise"}, {"severity", severity}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  HttpResponse move(const json& t, const std::string& to, json extra = json::object()) {
    extra["status"] = to;
    return as(admin_, "POST", "/api/v1/maintenance/tickets/" + t["id"].get<std::string>() + "/status", extra);
  }
  static long count(const std::string& sql_text) { return std::stol(sql(sql_text)); }
};

TEST_F(Tickets, OpeningPutsTheAssetInRepairAndClosingGivesItBackInStock) {
  auto a = asset();
  std::string id = a["id"];
  EXPECT_EQ(asset_status(id), "in_stock");
  auto t = open(id);
  EXPECT_EQ(t["status"], "open");
  EXPECT_EQ(t["assetId"], id);
  EXPECT_EQ(t["assetCode"], a["assetCode"]);
  EXPECT_EQ(t["createdBy"], user_id_);
  EXPECT_EQ(asset_status(id), "in_repair");
  auto evs = event_types(id);
  EXPECT_NE(std::find(evs.begin(), evs.end(), "MAINT_OPEN"), evs.end());

  auto r = move(t, "in_progress", {{"diagnosis", "bearing worn"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["diagnosis"], "bearing worn");
  EXPECT_EQ(asset_status(id), "in_repair");
  r = move(t, "closed", {{"resolution", "fan replaced"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "closed");
  EXPECT_EQ(r.json()["resolution"], "fan replaced");
  EXPECT_FALSE(r.json()["closedAt"].is_null());
  EXPECT_EQ(asset_status(id), "in_stock");
  evs = event_types(id);
  EXPECT_NE(std::find(evs.begin(), evs.end(), "MAINT_CLOSE"), evs.end());
  EXPECT_EQ(count("SELECT count(*) FROM audit_logs WHERE resource = 'maintenance_ticket:" + t["id"].get<std::string>() +
                  "'"),
            3);  // opened, two status changes
}

TEST_F(Tickets, AnAssignedAssetGoesBackInUse) {
  auto a = asset();
  std::string id = a["id"];
  auto r = as(admin_, "POST", "/api/v1/assets/" + id + "/assign",
              {{"assigneeType", "person"}, {"assigneeId", "u1"}, {"assigneeName", "U"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(asset_status(id), "in_use");
  auto t = open(id);
  EXPECT_EQ(asset_status(id), "in_repair");
  ASSERT_EQ(move(t, "canceled").status, 200);  // open → canceled
  EXPECT_EQ(asset_status(id), "in_use");
}

TEST_F(Tickets, TheAssetStaysInRepairUntilItsLastTicketEnds) {
  auto a = asset();
  std::string id = a["id"];
  auto t1 = open(id);
  auto t2 = open(id, admin_, "low");
  EXPECT_EQ(asset_status(id), "in_repair");
  ASSERT_EQ(move(t1, "in_progress").status, 200);
  ASSERT_EQ(move(t1, "closed").status, 200);
  EXPECT_EQ(asset_status(id), "in_repair");  // t2 still open
  auto still = sql("SELECT payload->>'stillOpen' FROM asset_events WHERE asset_id = '" + id +
                   "' AND event_type = 'MAINT_CLOSE' ORDER BY created_at LIMIT 1");
  EXPECT_EQ(still, "1");
  ASSERT_EQ(move(t2, "canceled").status, 200);
  EXPECT_EQ(asset_status(id), "in_stock");
}

TEST_F(Tickets, ConcurrentClosesOfTwoTicketsReleaseTheAssetOnce) {
  for (int round = 0; round < 3; ++round) {
    auto a = asset();
    std::string id = a["id"];
    auto t1 = open(id);
    auto t2 = open(id);
    ASSERT_EQ(move(t1, "in_progress").status, 200);
    ASSERT_EQ(move(t2, "in_progress").status, 200);
    auto close = [&](const json& t) {
      HttpClient c(server_->port());
      return c.request("POST", "/api/v1/maintenance/tickets/" + t["id"].get<std::string>() + "/status",
                       json{{"status", "closed"}}.dump(), bearer(admin_))
          .status;
    };
    auto f1 = std::async(std::launch::async, close, t1);
    auto f2 = std::async(std::launch::async, close, t2);
    EXPECT_EQ(f1.get(), 200);
    EXPECT_EQ(f2.get(), 200);
    EXPECT_EQ(asset_status(id), "in_stock") << "round " << round;
  }
}

TEST_F(Tickets, ADisposedAssetCannotBeRepaired) {
  auto a = asset();
  std::string id = a["id"];
  ASSERT_EQ(as(admin_, "POST", "/api/v1/assets/" + id + "/status", {{"status", "disposed"}}).status, 200);
  auto r = as(user_, "POST", "/api/v1/maintenance/tickets", {{"assetId", id}, {"title", "x"}, {"severity", "low"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "CONFLICT");
  EXPECT_EQ(count("SELECT count(*) FROM maintenance_tickets WHERE asset_id = '" + id + "'"), 0);  // rolled back
  EXPECT_EQ(asset_status(id), "disposed");
}

TEST_F(Tickets, TheTransitionTableRefusesEverythingElse) {
  auto a = asset();
  auto t = open(a["id"]);
  auto r = move(t, "closed");  // open → closed is not in the table
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["details"]["allowed"], json({"in_progress", "canceled"}));
  EXPECT_EQ(move(t, "open").status, 409);
  ASSERT_EQ(move(t, "in_progress").status, 200);
  EXPECT_EQ(move(t, "open").status, 409);
  ASSERT_EQ(move(t, "closed").status, 200);
  r = move(t, "canceled");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json()["error"]["details"]["allowed"], json::array());
  // A closed ticket is frozen.
  r = as(admin_, "PATCH", "/api/v1/maintenance/tickets/" + t["id"].get<std::string>(), {{"title", "later"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(move(t, "bogus").status, 400);
}

TEST_F(Tickets, RolesAndValidation) {
  auto a = asset();
  std::string id = a["id"];
  auto r = as(user_, "POST", "/api/v1/maintenance/tickets", json::object());
  ASSERT_EQ(r.status, 400);
  auto details = r.json()["error"]["details"].dump();
  for (auto* f : {"assetId", "title", "severity"}) EXPECT_NE(details.find(f), std::string::npos) << f << details;
  r = as(user_, "POST", "/api/v1/maintenance/tickets", {{"assetId", id}, {"title", "x"}, {"severity", "urgent"}});
  EXPECT_EQ(r.status, 400);
  r = as(user_, "POST", "/api/v1/maintenance/tickets",
         {{"assetId", "00000000-0000-4000-8000-000000000000"}, {"title", "x"}, {"severity", "low"}});
  EXPECT_EQ(r.status, 422) << r.body;
  r = as(user_, "POST", "/api/v1/maintenance/tickets", {{"assetId", id}, {"title", "x"}, {"severity", "low"}, {"x", 1}});
  EXPECT_EQ(r.status, 400);

  auto t = open(id);
  std::string path = "/api/v1/maintenance/tickets/" + t["id"].get<std::string>();
  EXPECT_EQ(as(user_, "PATCH", path, {{"title", "y"}}).status, 403);
  EXPECT_EQ(as(user_, "POST", path + "/status", {{"status", "in_progress"}}).status, 403);
  EXPECT_EQ(as(user_, "DELETE", path).status, 403);
  EXPECT_EQ(as(user_, "GET", path).status, 200);
  EXPECT_EQ(client.get(path).status, 401);
}

TEST_F(Tickets, PatchHonoursIfMatchAndIsAudited) {
  auto a = asset();
  auto t = open(a["id"]);
  std::string path = "/api/v1/maintenance/tickets/" + t["id"].get<std::string>();
  auto g = as(admin_, "GET", path);
  ASSERT_EQ(g.status, 200);
  auto etag = g.header("etag");
  ASSERT_FALSE(etag.empty());
  auto r = as(admin_, "PATCH", path, {{"diagnosis", "PSU"}, {"severity", "critical"}}, {{"If-Match", etag}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["diagnosis"], "PSU");
  EXPECT_EQ(r.json()["severity"], "critical");
  EXPECT_NE(r.header("etag"), etag);
  r = as(admin_, "PATCH", path, {{"title", "stale"}}, {{"If-Match", etag}});
  EXPECT_EQ(r.status, 412) << r.body;
  r = as(admin_, "POST", path + "/status", {{"status", "in_progress"}}, {{"If-Match", etag}});
  EXPECT_EQ(r.status, 412) << r.body;
  r = as(admin_, "PATCH", path, {{"diagnosis", nullptr}});
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.json()["diagnosis"].is_null());
  EXPECT_EQ(count("SELECT count(*) FROM audit_logs WHERE action = 'maintenance_ticket.updated' AND resource = "
                  "'maintenance_ticket:" + t["id"].get<std::string>() + "'"),
            2);
}

TEST_F(Tickets, ListFiltersAndSorts) {
  auto a = asset();
  std::string id = a["id"];
  auto t1 = open(id, "", "low");
  auto t2 = open(id, "", "critical");
  ASSERT_EQ(move(t2, "canceled").status, 200);
  auto r = as(user_, "GET", "/api/v1/maintenance/tickets?assetId=" + id);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["meta"]["total"], 2);
  EXPECT_EQ(r.json()["data"][0]["id"], t2["id"]);  // newest first
  r = as(user_, "GET", "/api/v1/maintenance/tickets?assetId=" + id + "&status=open");
  ASSERT_EQ(r.json()["meta"]["total"], 1);
  EXPECT_EQ(r.json()["data"][0]["id"], t1["id"]);
  r = as(user_, "GET", "/api/v1/maintenance/tickets?assetId=" + id + "&status=open,canceled&severity=critical");
  ASSERT_EQ(r.json()["meta"]["total"], 1);
  EXPECT_EQ(r.json()["data"][0]["id"], t2["id"]);
  r = as(user_, "GET", "/api/v1/maintenance/tickets?assetId=" + id + "&openedSince=2000-01-01&sort=openedAt");
  ASSERT_EQ(r.json()["meta"]["total"], 2);
  EXPECT_EQ(r.json()["data"][0]["id"], t1["id"]);
  r = as(user_, "GET", "/api/v1/maintenance/tickets?assetId=" + id + "&openedSince=2999-01-01T00:00:00Z");
  EXPECT_EQ(r.json()["meta"]["total"], 0);
  for (auto* bad : {"status=closedd", "severity=x", "openedSince=yesterday", "assetId=nope", "sort=title",
                    "pageSize=5000"})
    EXPECT_EQ(as(user_, "GET", std::string("/api/v1/maintenance/tickets?") + bad).status, 400) << bad;
}

TEST_F(Tickets, OnlyACanceledTicketCanBeDeleted) {
  auto a = asset();
  auto t = open(a["id"]);
  std::string path = "/api/v1/maintenance/tickets/" + t["id"].get<std::string>();
  EXPECT_EQ(as(admin_, "DELETE", path).status, 409);
  ASSERT_EQ(move(t, "canceled").status, 200);
  EXPECT_EQ(as(admin_, "DELETE", path).status, 204);
  EXPECT_EQ(as(admin_, "GET", path).status, 404);
  EXPECT_EQ(as(admin_, "DELETE", path).status, 404);
}

}  // namespace
