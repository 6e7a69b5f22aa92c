// Asset lists from outside: every filter (location subtree included), search by IP/CIDR/prefix, MAC,
// serial and hostname, sorting, paging totals, keyset paging and status counts.
#include "assets_fixture.hpp"

using namespace assets_test;

class AssetLists : public AssetsApi {
 protected:
  static void SetUpTestSuite() {
    start("assets_list");
    root_ = location("ListRoot");
    a_ = location("A", root_);
    a1_ = location("A1", a_);
    other_ = location("Elsewhere");
    HttpClient c(server_->port());
    auto add = [&](const std::string& code, json body) {
      body["assetCode"] = code;
      auto r = c.request("POST", "/api/v1/assets", body.dump(), bearer(admin_));
      ASSERT_EQ(r.status, 201) << r.body;
      ids_[code] = r.json()["id"];
    };
    add("L1", {{"locationId", a1_}, {"status", "in_use"}, {"modelId", cat_.model}, {"vendorId", cat_.vendor},
               {"mgmtIp", "172.31.1.10"}, {"macAddress", "02:00:5e:10:00:01"}, {"serialNo", "ZQX-ALPHA-1"},
               {"hostname", "list-alpha-01"}, {"warrantyEnd", "2025-01-01"}});
    add("L2", {{"locationId", a_}, {"status", "in_stock"}, {"modelId", cat_.model2}, {"vendorId", cat_.vendor2},
               {"mgmtIp", "172.31.1.200"}, {"macAddress", "02:00:5e:10:00:02"}, {"serialNo", "ZQX-BETA-2"},
               {"hostname", "list-beta-02"}, {"warrantyEnd", "2030-01-01"}});
    add("L3", {{"locationId", root_}, {"status", "lost"}, {"mgmtIp", "172.31.2.5"}, {"serialNo", "ZQX-GAMMA-3"},
               {"hostname", "list-gamma-03"}});
    add("L4", {{"locationId", other_}, {"status", "in_use"}, {"mgmtIp", "172.31.20.7"}, {"serialNo", "ZQX-DELTA-4"}});
    add("L5", {{"locationId", a1_}, {"status", "retired"}, {"modelId", cat_.model}, {"mgmtIp", "2001:db8:31::5"},
               {"serialNo", "ZQX-EPS-5"}});
  }

  // The asset codes a list answers, sorted.
  std::vector<std::string> codes(const std::string& query) {
    auto r = as_user("GET", "/api/v1/assets?pageSize=1000&" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> out;
    auto body = r.json();
    for (auto& a : body["data"]) out.push_back(a["assetCode"]);
    std::sort(out.begin(), out.end());
    EXPECT_EQ(body["meta"]["total"], out.size()) << query;
    return out;
  }
  using V = std::vector<std::string>;
  static std::string root_, a_, a1_, other_;
  static std::map<std::string, std::string> ids_;
};
std::string AssetLists::root_, AssetLists::a_, AssetLists::a1_, AssetLists::other_;
std::map<std::string, std::string> AssetLists::ids_;

TEST_F(AssetLists, LocationFilterIncludesDescendants) {
  EXPECT_EQ(codes("locationId=" + root_), (V{"L1", "L2", "L3", "L5"}));
  EXPECT_EQ(codes("locationId=" + a_), (V{"L1", "L2", "L5"}));
  EXPECT_EQ(codes("locationId=" + a1_), (V{"L1", "L5"}));
  EXPECT_EQ(codes("locationId=" + netops::new_uuid()), V{});
}

// A leaf location is listed through its own ordered index walk (one location: a plain "="), a subtree
// through a list of locations: both answer newest first with the same offset pages as without a filter.
TEST_F(AssetLists, LocationPagesAreNewestFirstForLeavesAndSubtrees) {
  auto page_codes = [&](const std::string& query) {
    auto r = as_user("GET", "/api/v1/assets?" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> out;
    auto body = r.json();
    for (auto& a : body["data"]) out.push_back(a["assetCode"]);
    return out;
  };
  EXPECT_EQ(page_codes("locationId=" + a1_ + "&pageSize=1&page=1"), V{"L5"});
  EXPECT_EQ(page_codes("locationId=" + a1_ + "&pageSize=1&page=2"), V{"L1"});
  EXPECT_EQ(page_codes("locationId=" + a1_ + "&pageSize=1&page=3"), V{});
  EXPECT_EQ(page_codes("locationId=" + a1_ + "&sort=createdAt"), (V{"L1", "L5"}));
  EXPECT_EQ(page_codes("locationId=" + root_ + "&pageSize=2&page=2"), (V{"L2", "L1"}));
  auto r = as_user("GET", "/api/v1/assets?locationId=" + a1_ + "&pageSize=1&page=3");
  EXPECT_EQ(r.json()["meta"]["total"], 2);
}

// Containment search matches column by column: a term spanning two columns of the same asset matches
// nothing.
TEST_F(AssetLists, SearchDoesNotMatchAcrossColumns) {
  EXPECT_EQ(codes("search=L1%20ZQX"), V{});
  EXPECT_EQ(codes("search=alpha-1%20list"), V{});
  EXPECT_EQ(codes("search=PHA-1"), (V{"L1"}));
  EXPECT_EQ(codes("search=beta-02"), (V{"L2"}));
}

TEST_F(AssetLists, FiltersCombine) {
  auto in_root = "locationId=" + root_ + "&";
  EXPECT_EQ(codes(in_root + "status=in_use,lost"), (V{"L1", "L3"}));
  EXPECT_EQ(codes(in_root + "categoryId=" + cat_.category), (V{"L1", "L5"}));
  EXPECT_EQ(codes(in_root + "modelId=" + cat_.model2), (V{"L2"}));
  EXPECT_EQ(codes(in_root + "vendorId=" + cat_.vendor2), (V{"L2"}));
  EXPECT_EQ(codes(in_root + "warrantyBefore=2026-01-01"), (V{"L1"}));
  auto bad = as_user("GET", "/api/v1/assets?status=nope&locationId=x&warrantyBefore=2024-13-01&pageSize=5000");
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(as_user("GET", "/api/v1/assets?status=nope&locationId=x&warrantyBefore=2024-13-01").json()["error"]["details"]["errors"].size(), 3u);
  EXPECT_EQ(as_user("GET", "/api/v1/assets?sort=serialNo").status, 400);
}

TEST_F(AssetLists, SearchByAddressPrefixCidrAndExactIp) {
  EXPECT_EQ(codes("search=172.31.1."), (V{"L1", "L2"}));
  EXPECT_EQ(codes("search=172.31.2"), (V{"L3", "L4"}));  // 172.31.2.*, 172.31.20–29.*, 172.31.200–255.*
  EXPECT_EQ(codes("search=172.31.0.0/16"), (V{"L1", "L2", "L3", "L4"}));
  EXPECT_EQ(codes("search=172.31.1.10"), (V{"L1"}));
  EXPECT_EQ(codes("search=2001:db8:31::/48"), (V{"L5"}));
  EXPECT_EQ(codes("search=2001:DB8:31::5"), (V{"L5"}));
}

TEST_F(AssetLists, SearchByMacSerialHostnameAndCode) {
  EXPECT_EQ(codes("search=02-00-5E-10-00-02"), (V{"L2"}));
  EXPECT_EQ(codes("search=02:00:5E:10"), (V{"L1", "L2"}));
  EXPECT_EQ(codes("search=zqx-beta"), (V{"L2"}));
  EXPECT_EQ(codes("search=ALPHA"), (V{"L1"}));
  EXPECT_EQ(codes("search=list-gam"), (V{"L3"}));
  EXPECT_EQ(codes("search=zq"), (V{"L1", "L2", "L3", "L4", "L5"}));  // short: by prefix
  EXPECT_EQ(codes("search=ZQX%25"), V{});                             // wildcards are literal
  EXPECT_EQ(codes("search=" + std::string("L") + "4"), (V{"L4"}));
}

TEST_F(AssetLists, SortingPagingAndTotals) {
  auto base = "/api/v1/assets?locationId=" + root_;
  auto r = as_user("GET", base + "&sort=assetCode&pageSize=3&page=2");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["meta"], json({{"page", 2}, {"pageSize", 3}, {"total", 4}, {"totalExact", true}}));
  ASSERT_EQ(r.json()["data"].size(), 1u);
  EXPECT_EQ(r.json()["data"][0]["assetCode"], "L5");
  auto first = as_user("GET", base + "&sort=-assetCode&pageSize=3");
  EXPECT_EQ(first.json()["meta"]["total"], 4);  // a full page: counted
  EXPECT_EQ(first.json()["data"][0]["assetCode"], "L5");
  EXPECT_EQ(as_user("GET", base + "&page=7").json()["meta"]["total"], 4);  // past the end: still right
  auto by_warranty = as_user("GET", base + "&sort=warrantyEnd");
  EXPECT_EQ(by_warranty.json()["data"][0]["assetCode"], "L1");
  auto item = first.json()["data"][1];  // L3? no: -assetCode → L5, L3, L2
  EXPECT_EQ(item["assetCode"], "L3");
  auto l2 = first.json()["data"][2];
  EXPECT_EQ(l2["modelName"], "MX204");
  EXPECT_EQ(l2["categoryName"], "Router");
  EXPECT_EQ(l2["locationName"], "A");
  EXPECT_EQ(l2["vendorName"], "Juniper");
  EXPECT_EQ(as_user("GET", base + "&pageSize=1001").status, 400);
}

TEST_F(AssetLists, KeysetPagingWalksEveryRowById) {
  auto base = "/api/v1/assets?locationId=" + root_ + "&pageSize=3&after=";
  auto r1 = as_user("GET", base);
  ASSERT_EQ(r1.status, 200) << r1.body;
  auto p1 = r1.json();
  ASSERT_EQ(p1["data"].size(), 3u);
  std::string next = p1["meta"]["next"];
  auto p2 = as_user("GET", base + next).json();
  ASSERT_EQ(p2["data"].size(), 1u);
  EXPECT_TRUE(p2["meta"]["next"].is_null());
  std::vector<std::string> seen;
  for (auto* p : {&p1, &p2})
    for (auto& a : (*p)["data"]) seen.push_back(a["id"]);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(as_user("GET", base + "nope").status, 400);
  EXPECT_EQ(as_user("GET", "/api/v1/assets?after=&sort=assetCode").status, 400);
}

TEST_F(AssetLists, StatusCountsUseTheSameFilters) {
  auto r = as_user("GET", "/api/v1/assets/status-counts?locationId=" + root_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json(), json({{"in_stock", 1}, {"in_use", 1}, {"in_repair", 0}, {"retired", 1}, {"disposed", 0}, {"lost", 1}}));
  auto s = as_user("GET", "/api/v1/assets/status-counts?search=172.31.&status=in_use");
  EXPECT_EQ(s.json()["in_use"], 2);
  EXPECT_EQ(s.json()["lost"], 0);
}

// Lists matching more than NETOPS_LIST_EXACT_TOTAL assets answer that lower bound at once and count
// exactly in the background; the exact total is then served from the cache.
class AssetTotals : public AssetsApi {
 protected:
  static void SetUpTestSuite() { start("assets_totals", {{"NETOPS_LIST_EXACT_TOTAL", "3"}}); }
};

TEST_F(AssetTotals, LargeListsAnswerALowerBoundThenTheExactTotal) {
  for (int i = 0; i < 7; ++i)
    ASSERT_EQ(as_admin("POST", "/api/v1/assets", json{{"assetCode", "TOT-" + std::to_string(i)}, {"status", "in_use"}}).status,
              201);
  auto first = as_user("GET", "/api/v1/assets?pageSize=2&status=in_use").json();
  EXPECT_EQ(first["data"].size(), 2u);
  EXPECT_EQ(first["meta"]["total"], 3);
  EXPECT_EQ(first["meta"]["totalExact"], false);
  json later;
  EXPECT_TRUE(eventually([&] {
    later = as_user("GET", "/api/v1/assets?pageSize=2&page=2&status=in_use").json();
    return later["meta"]["totalExact"] == true;
  }));
  EXPECT_EQ(later["meta"]["total"], 7);
  // A page that is not full tells its own total.
  auto all = as_user("GET", "/api/v1/assets?pageSize=50&status=in_use").json();
  EXPECT_EQ(all["meta"]["total"], 7);
  EXPECT_EQ(all["meta"]["totalExact"], true);
}
