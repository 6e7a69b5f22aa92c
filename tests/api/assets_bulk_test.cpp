// Bulk actions on selected assets (POST /api/v1/assets/bulk/{status,move,assign}) through HTTP against the
// real server: each asset through its single route's rule with its own event row, one transaction, all or
// nothing (422 naming the refused ids, nothing changed), the id cap and the roles.
#include <gtest/gtest.h>

#include "assets_fixture.hpp"

using namespace assets_test;

class AssetsBulk : public AssetsApi {
 protected:
  static void SetUpTestSuite() { start("assets_bulk"); }

  json create_at(const std::string& status = "in_stock") {
    auto a = create({{"locationId", cat_.hq}});
    if (status != "in_stock") {
      auto r = as_admin("POST", path_of(a) + "/status", {{"status", status}});
      EXPECT_EQ(r.status, 200) << r.body;
      return r.json();
    }
    return a;
  }
  json row(const json& a) { return as_admin("GET", path_of(a)).json(); }
  std::string count_events(const json& a, const std::string& type) {
    return sql("SELECT count(*) FROM asset_events WHERE asset_id = '" + a["id"].get<std::string>() +
               "' AND event_type = '" + type + "'");
  }
  static json ids(std::initializer_list<json> assets) {
    json out = json::array();
    for (const auto& a : assets) out.push_back(a["id"]);
    return out;
  }
};

TEST_F(AssetsBulk, StatusOfEverySelectedAssetWithItsOwnEvent) {
  auto a = create_at(), b = create_at(), c = create_at();
  auto r = as_admin("POST", "/api/v1/assets/bulk/status",
                    {{"ids", ids({c, a, b})}, {"status", "in_repair"}, {"note", "firmware recall"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["count"], 3);
  ASSERT_EQ(j["results"].size(), 3u);
  EXPECT_EQ(j["results"][0]["id"], c["id"]) << "results in the order given";
  for (const auto& res : j["results"]) {
    EXPECT_TRUE(res["ok"].get<bool>());
    EXPECT_EQ(res["asset"]["status"], "in_repair");
  }
  for (const auto& x : {a, b, c}) {
    EXPECT_EQ(row(x)["status"], "in_repair");
    EXPECT_EQ(count_events(x, "STATUS_CHANGED"), "1");
  }
  auto note = sql("SELECT payload->>'note' FROM asset_events WHERE asset_id = '" + a["id"].get<std::string>() +
                  "' AND event_type = 'STATUS_CHANGED'");
  EXPECT_EQ(note, "firmware recall");
}

TEST_F(AssetsBulk, OneRefusalChangesNothingAndNamesTheFailingIds) {
  auto a = create_at(), b = create_at(), gone = create_at("disposed");
  auto unknown = netops::new_uuid();
  auto r = as_admin("POST", "/api/v1/assets/bulk/status",
                    {{"ids", {a["id"], gone["id"], b["id"], unknown}}, {"status", "in_use"}});
  ASSERT_EQ(r.status, 422) << r.body;
  auto e = r.json()["error"];
  EXPECT_EQ(e["code"], "UNPROCESSABLE");
  EXPECT_EQ(e["message"], "2 of 4 assets refused the status change; nothing was changed");
  auto failed = e["details"]["failedIds"];
  ASSERT_EQ(failed.size(), 2u) << e.dump();
  std::set<std::string> f{failed[0].get<std::string>(), failed[1].get<std::string>()};
  EXPECT_TRUE(f.count(gone["id"].get<std::string>()));
  EXPECT_TRUE(f.count(unknown));
  auto results = e["details"]["results"];
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0]["ok"].get<bool>()) << "a would have passed";
  EXPECT_FALSE(results[1]["ok"].get<bool>());
  EXPECT_EQ(results[1]["error"]["status"], 409) << "the status table refuses disposed → in_use";
  EXPECT_EQ(results[3]["error"]["code"], "NOT_FOUND");
  // Nothing changed: statuses and events as before.
  EXPECT_EQ(row(a)["status"], "in_stock");
  EXPECT_EQ(row(b)["status"], "in_stock");
  EXPECT_EQ(count_events(a, "STATUS_CHANGED"), "0");
  EXPECT_EQ(count_events(b, "STATUS_CHANGED"), "0");
}

TEST_F(AssetsBulk, MoveToOneLocation) {
  auto a = create_at(), b = create_at();
  auto r = as_admin("POST", "/api/v1/assets/bulk/move", {{"ids", ids({a, b})}, {"locationId", cat_.room}});
  ASSERT_EQ(r.status, 200) << r.body;
  for (const auto& x : {a, b}) {
    EXPECT_EQ(row(x)["locationId"], cat_.room);
    EXPECT_EQ(count_events(x, "MOVED"), "1");
  }
  // An unknown location refuses every asset: nothing moves.
  auto bad = as_admin("POST", "/api/v1/assets/bulk/move", {{"ids", ids({a, b})}, {"locationId", netops::new_uuid()}});
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(bad.json()["error"]["details"]["failedIds"].size(), 2u);
  EXPECT_EQ(row(a)["locationId"], cat_.room);
}

TEST_F(AssetsBulk, AssignToOneAssignee) {
  auto a = create_at(), b = create_at();
  auto r = as_admin("POST", "/api/v1/assets/bulk/assign",
                    {{"ids", ids({a, b})}, {"assigneeType", "department"}, {"assigneeId", "noc"}, {"assigneeName", "NOC"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["results"][0]["assignment"]["assigneeName"], "NOC");
  for (const auto& x : {a, b}) {
    EXPECT_EQ(row(x)["status"], "in_use");
    EXPECT_EQ(count_events(x, "ASSIGNED"), "1");
  }
  // A retired asset cannot be assigned: the whole call is refused, the others keep their assignment.
  auto old = create_at("retired");
  auto again = as_admin("POST", "/api/v1/assets/bulk/assign",
                        {{"ids", ids({a, old})}, {"assigneeType", "person"}, {"assigneeId", "u-1"}, {"assigneeName", "Ada"}});
  ASSERT_EQ(again.status, 422) << again.body;
  EXPECT_EQ(again.json()["error"]["details"]["failedIds"], json::array({old["id"]}));
  EXPECT_EQ(count_events(a, "UNASSIGNED"), "0");
  EXPECT_EQ(count_events(a, "ASSIGNED"), "1");
}

TEST_F(AssetsBulk, BodiesAreValidatedAndCapped) {
  auto a = create_at();
  auto bad = [&](const json& body) { return as_admin("POST", "/api/v1/assets/bulk/status", body).status; };
  EXPECT_EQ(bad({{"status", "in_repair"}}), 400);
  EXPECT_EQ(bad({{"ids", json::array()}, {"status", "in_repair"}}), 400);
  EXPECT_EQ(bad({{"ids", {"not-a-uuid"}}, {"status", "in_repair"}}), 400);
  EXPECT_EQ(bad({{"ids", {a["id"], a["id"]}}, {"status", "in_repair"}}), 400) << "an id listed twice";
  EXPECT_EQ(bad({{"ids", {a["id"]}}, {"status", "broken"}}), 400);
  json many = json::array();
  for (int i = 0; i < 501; ++i) many.push_back(netops::new_uuid());
  auto capped = as_admin("POST", "/api/v1/assets/bulk/status", {{"ids", many}, {"status", "in_repair"}});
  EXPECT_EQ(capped.status, 400) << capped.body;
  EXPECT_EQ(capped.json()["error"]["details"]["errors"][0]["field"], "ids");
  EXPECT_EQ(as_admin("POST", "/api/v1/assets/bulk/move", {{"ids", {a["id"]}}}).status, 400);
  EXPECT_EQ(as_admin("POST", "/api/v1/assets/bulk/assign", {{"ids", {a["id"]}}, {"assigneeType", "robot"}}).status, 400);
  EXPECT_EQ(row(a)["status"], "in_stock");
}

TEST_F(AssetsBulk, AdminsOnly) {
  auto a = create_at();
  EXPECT_EQ(as_user("POST", "/api/v1/assets/bulk/status", {{"ids", {a["id"]}}, {"status", "in_repair"}}).status, 403);
  EXPECT_EQ(as_user("POST", "/api/v1/assets/bulk/move", {{"ids", {a["id"]}}, {"locationId", cat_.room}}).status, 403);
  EXPECT_EQ(row(a)["status"], "in_stock");
}
