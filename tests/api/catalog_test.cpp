// Catalogs through HTTP against the real server: vendors, asset categories, locations (tree, moves,
// cycles), reference checks on delete, If-Match, roles, audit rows.
#include <set>
#include <thread>

#include "api/catalog_fixture.hpp"

const char* const kCatalogSuite = "catalog";

using namespace catalog_test;
using Catalog = CatalogApi;

TEST_F(Catalog, VendorCrudListAndEtag) {
  auto name = unique("Acme");
  auto v = created("/api/v1/vendors", {{"name", name}, {"email", "s@example.com"}, {"phone", "555"}});
  EXPECT_EQ(v["name"], name);
  EXPECT_EQ(v["email"], "s@example.com");
  EXPECT_TRUE(v["taxCode"].is_null());

  auto list = send("GET", "/api/v1/vendors?search=" + name + "&sort=-createdAt&pageSize=1000", nullptr, user_);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json()["data"].size(), 1u);
  EXPECT_EQ(list.json()["data"][0]["id"], v["id"]);
  EXPECT_EQ(list.json()["meta"]["total"], 1);
  EXPECT_EQ(list.json()["meta"]["pageSize"], 1000);
  EXPECT_EQ(send("GET", "/api/v1/vendors?pageSize=1001", nullptr, user_).status, 400);
  EXPECT_EQ(send("GET", "/api/v1/vendors?sort=phone", nullptr, user_).status, 400);

  auto path = "/api/v1/vendors/" + id(v);
  auto got = send("GET", path, nullptr, user_);
  ASSERT_EQ(got.status, 200);
  auto etag = got.header("etag");
  ASSERT_FALSE(etag.empty());

  auto stale = send("PATCH", path, {{"phone", "123"}}, admin_, {{"If-Match", "W/\"nope\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(stale.json()["error"]["code"], "PRECONDITION_FAILED");
  auto ok = send("PATCH", path, {{"phone", "123"}}, admin_, {{"If-Match", etag}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["phone"], "123");
  EXPECT_EQ(ok.json()["name"], name);
  // the old ETag is stale now
  EXPECT_EQ(send("PATCH", path, {{"phone", "9"}}, admin_, {{"If-Match", etag}}).status, 412);
  auto put = send("PUT", path, {{"taxCode", "T-1"}, {"phone", nullptr}}, admin_);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json()["taxCode"], "T-1");
  EXPECT_TRUE(put.json()["phone"].is_null());

  auto audit = sql("SELECT count(*) FROM audit_logs WHERE resource = 'vendor:" + id(v) + "'");
  EXPECT_EQ(audit, "3");

  EXPECT_EQ(send("DELETE", path, nullptr, admin_).status, 204);
  EXPECT_EQ(send("GET", path, nullptr, user_).status, 404);
  EXPECT_EQ(send("DELETE", path, nullptr, admin_).status, 404);
  EXPECT_EQ(sql("SELECT details->'before'->>'name' FROM audit_logs WHERE action = 'vendor.deleted' AND resource = "
                "'vendor:" + id(v) + "'"),
            name);
}

TEST_F(Catalog, VendorErrors) {
  auto bad = send("POST", "/api/v1/vendors", {{"taxCode", 5}, {"email", "nope"}, {"color", "red"}}, admin_);
  ASSERT_EQ(bad.status, 400) << bad.body;
  auto b = bad.json();
  EXPECT_EQ(b["error"]["code"], "VALIDATION_ERROR");
  EXPECT_TRUE(has_field(b, "name"));
  EXPECT_TRUE(has_field(b, "taxCode"));
  EXPECT_TRUE(has_field(b, "email"));
  EXPECT_TRUE(has_field(b, "color"));
  EXPECT_TRUE(has_field(send("POST", "/api/v1/vendors", {{"name", std::string(300, 'x')}}, admin_).json(), "name"));
  EXPECT_EQ(send("POST", "/api/v1/vendors", "[1]", admin_).status, 400);
  EXPECT_EQ(client.get("/api/v1/vendors").status, 401);
  EXPECT_EQ(send("GET", "/api/v1/vendors/00000000-0000-0000-0000-000000000000", nullptr, user_).status, 404);
  EXPECT_EQ(send("GET", "/api/v1/vendors/not-a-uuid", nullptr, user_).status, 400);
  EXPECT_EQ(send("PATCH", "/api/v1/vendors/00000000-0000-0000-0000-000000000000", {{"phone", "1"}}, admin_).status,
            404);
  auto v = created("/api/v1/vendors", {{"name", unique("Blank")}});
  EXPECT_TRUE(has_field(send("PATCH", "/api/v1/vendors/" + id(v), {{"name", "  "}}, admin_).json(), "name"));
}

TEST_F(Catalog, PlainUserReadsButCannotWrite) {
  auto v = created("/api/v1/vendors", {{"name", unique("Role")}});
  auto c = created("/api/v1/asset-categories", {{"name", unique("RoleCat")}});
  auto l = created("/api/v1/locations", {{"name", unique("RoleLoc")}});
  for (auto [base, obj] : std::vector<std::pair<std::string, json>>{
           {"/api/v1/vendors", v}, {"/api/v1/asset-categories", c}, {"/api/v1/locations", l}}) {
    EXPECT_EQ(send("GET", base, nullptr, user_).status, 200) << base;
    EXPECT_EQ(send("GET", base + "/" + id(obj), nullptr, user_).status, 200) << base;
    EXPECT_EQ(send("POST", base, {{"name", "x"}}, user_).status, 403) << base;
    EXPECT_EQ(send("PATCH", base + "/" + id(obj), {{"name", "x"}}, user_).status, 403) << base;
    EXPECT_EQ(send("PUT", base + "/" + id(obj), {{"name", "x"}}, user_).status, 403) << base;
    EXPECT_EQ(send("DELETE", base + "/" + id(obj), nullptr, user_).status, 403) << base;
    EXPECT_EQ(client.get(base + "/" + id(obj)).status, 401) << base;
  }
}

TEST_F(Catalog, VendorDeleteRefusedWhileReferenced) {
  auto v = created("/api/v1/vendors", {{"name", unique("Ref")}});
  auto vid = id(v);
  for (int i = 0; i < 3; ++i)
    sql("INSERT INTO asset_models (vendor_id, model) VALUES ('" + vid + "', '" + unique("M") + "')");
  sql("INSERT INTO assets (asset_code, vendor_id) VALUES ('" + unique("A") + "', '" + vid + "')");
  auto r = send("DELETE", "/api/v1/vendors/" + vid, nullptr, admin_);
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json()["error"]["message"], "vendor is used by 3 asset models and 1 asset");
  EXPECT_EQ(r.json()["error"]["details"]["assetModels"], 3);
  EXPECT_EQ(r.json()["error"]["details"]["assets"], 1);
  EXPECT_EQ(send("GET", "/api/v1/vendors/" + vid, nullptr, user_).status, 200);
}

TEST_F(Catalog, CategoryCrudCreatesActiveVersionOne) {
  auto name = unique("Switch");
  auto c = created("/api/v1/asset-categories", {{"name", name}});
  EXPECT_EQ(c["name"], name);
  EXPECT_EQ(c["activeSpecVersion"], 1);
  ASSERT_TRUE(c["activeSpecVersionId"].is_string());
  EXPECT_EQ(sql("SELECT status || ':' || version FROM asset_category_spec_versions WHERE category_id = '" + id(c) + "'"),
            "active:1");
  auto path = "/api/v1/asset-categories/" + id(c);
  auto got = send("GET", path, nullptr, user_);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json(), c);
  EXPECT_EQ(send("GET", "/api/v1/categories/" + id(c), nullptr, user_).json(), c);  // SPEC §3's name
  auto list = send("GET", "/api/v1/asset-categories?search=" + name + "&sort=-name", nullptr, user_);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json()["meta"]["total"], 1);
  EXPECT_EQ(list.json()["data"][0]["activeSpecVersion"], 1);

  EXPECT_EQ(send("PATCH", path, {{"name", "x"}}, admin_, {{"If-Match", "W/\"old\""}}).status, 412);
  auto renamed = send("PATCH", path, {{"name", name + "-2"}}, admin_, {{"If-Match", got.header("etag")}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json()["name"], name + "-2");
  EXPECT_TRUE(has_field(send("PATCH", path, {{"name", nullptr}}, admin_).json(), "name"));

  sql("INSERT INTO asset_models (category_id, model) VALUES ('" + id(c) + "', 'M1')");
  auto refused = send("DELETE", path, nullptr, admin_);
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.json()["error"]["message"], "asset category is used by 1 asset model");
  sql("DELETE FROM asset_models WHERE category_id = '" + id(c) + "'");
  EXPECT_EQ(send("DELETE", path, nullptr, admin_).status, 204);
  EXPECT_EQ(sql("SELECT count(*) FROM asset_category_spec_versions WHERE category_id = '" + id(c) + "'"), "0");
  EXPECT_EQ(send("GET", path, nullptr, user_).status, 404);
}

TEST_F(Catalog, LocationPathsMovesAndTree) {
  auto site = created("/api/v1/locations", {{"name", unique("Site")}});
  auto other = created("/api/v1/locations", {{"name", unique("Other")}});
  auto building = created("/api/v1/locations", {{"name", "Building"}, {"parentId", id(site)}});
  auto floor = created("/api/v1/locations", {{"name", "Floor 1"}, {"parentId", id(building)}});
  auto room = created("/api/v1/locations", {{"name", "Room 101"}, {"parentId", id(floor)}});
  EXPECT_EQ(site["path"], "/" + id(site) + "/");
  EXPECT_TRUE(site["parentId"].is_null());
  EXPECT_EQ(floor["path"], "/" + id(site) + "/" + id(building) + "/" + id(floor) + "/");
  EXPECT_EQ(room["depth"], 4);

  auto children = send("GET", "/api/v1/locations?parentId=" + id(site), nullptr, user_);
  ASSERT_EQ(children.status, 200) << children.body;
  ASSERT_EQ(children.json()["data"].size(), 1u);
  EXPECT_EQ(children.json()["data"][0]["id"], building["id"]);
  EXPECT_EQ(send("GET", "/api/v1/locations?parentId=bogus", nullptr, user_).status, 400);

  // Move the building (with floor and room) under the other site: one statement re-paths the subtree.
  auto etag = send("GET", "/api/v1/locations/" + id(building), nullptr, user_).header("etag");
  auto moved = send("PATCH", "/api/v1/locations/" + id(building), {{"parentId", id(other)}}, admin_,
                    {{"If-Match", etag}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.json()["parentId"], other["id"]);
  auto room_now = send("GET", "/api/v1/locations/" + id(room), nullptr, user_).json();
  EXPECT_EQ(room_now["path"], "/" + id(other) + "/" + id(building) + "/" + id(floor) + "/" + id(room) + "/");
  EXPECT_EQ(room_now["parentId"], floor["id"]);
  EXPECT_EQ(sql("SELECT details->>'repathed' FROM audit_logs WHERE action = 'location.moved' AND resource = "
                "'location:" + id(building) + "'"),
            "3");

  // No cycles: not under itself, not under its own grandchild.
  auto self = send("PATCH", "/api/v1/locations/" + id(building), {{"parentId", id(building)}}, admin_);
  EXPECT_EQ(self.status, 409) << self.body;
  auto cycle = send("PATCH", "/api/v1/locations/" + id(building), {{"parentId", id(room)}}, admin_);
  ASSERT_EQ(cycle.status, 409) << cycle.body;
  EXPECT_EQ(cycle.json()["error"]["code"], "CONFLICT");
  EXPECT_EQ(send("GET", "/api/v1/locations/" + id(room), nullptr, user_).json()["path"], room_now["path"]);
  auto missing = send("PATCH", "/api/v1/locations/" + id(building),
                      {{"parentId", "00000000-0000-0000-0000-000000000000"}}, admin_);
  EXPECT_EQ(missing.status, 422) << missing.body;
  EXPECT_EQ(send("POST", "/api/v1/locations", {{"name", "x"}, {"parentId", 5}}, admin_).status, 400);

  // Move to the top level and rename at once.
  auto top = send("PATCH", "/api/v1/locations/" + id(floor), {{"parentId", nullptr}, {"name", "Floor One"}}, admin_);
  ASSERT_EQ(top.status, 200) << top.body;
  EXPECT_EQ(top.json()["path"], "/" + id(floor) + "/");
  EXPECT_EQ(top.json()["name"], "Floor One");
  EXPECT_EQ(send("GET", "/api/v1/locations/" + id(room), nullptr, user_).json()["path"],
            "/" + id(floor) + "/" + id(room) + "/");

  // Tree: nested children, sorted by name.
  created("/api/v1/locations", {{"name", "Annex"}, {"parentId", id(other)}});
  auto floor2 = created("/api/v1/locations", {{"name", "Floor 2"}, {"parentId", id(building)}});
  auto tree = send("GET", "/api/v1/locations/" + id(other) + "/tree", nullptr, user_);
  ASSERT_EQ(tree.status, 200) << tree.body;
  auto t = tree.json();
  EXPECT_EQ(t["id"], other["id"]);
  ASSERT_EQ(t["children"].size(), 2u);
  EXPECT_EQ(t["children"][0]["name"], "Annex");
  EXPECT_EQ(t["children"][1]["id"], building["id"]);
  ASSERT_EQ(t["children"][1]["children"].size(), 1u);
  EXPECT_EQ(t["children"][1]["children"][0]["id"], floor2["id"]);
  EXPECT_EQ(send("GET", "/api/v1/locations/00000000-0000-0000-0000-000000000000/tree", nullptr, user_).status, 404);

  // Delete refused while children or assets refer to it.
  auto refused = send("DELETE", "/api/v1/locations/" + id(other), nullptr, admin_);
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.json()["error"]["message"], "location is used by 2 child locations");
  sql("INSERT INTO assets (asset_code, location_id) VALUES ('" + unique("LA") + "', '" + id(room) + "')");
  auto with_asset = send("DELETE", "/api/v1/locations/" + id(room), nullptr, admin_);
  ASSERT_EQ(with_asset.status, 409);
  EXPECT_EQ(with_asset.json()["error"]["details"]["assets"], 1);
  EXPECT_EQ(send("DELETE", "/api/v1/locations/" + id(floor2), nullptr, admin_).status, 204);
}

TEST_F(Catalog, AuditCarriesRequestIdAndActor) {
  std::string rid = "5f0c6a3e-8d2b-4c1a-9e7f-0123456789ab";
  auto r = send("POST", "/api/v1/locations", {{"name", unique("Audited")}}, admin_, {{"X-Request-Id", rid}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(sql("SELECT correlation_id FROM audit_logs WHERE resource = 'location:" + id(r.json()) + "'"), rid);
  EXPECT_FALSE(sql("SELECT user_id FROM audit_logs WHERE resource = 'location:" + id(r.json()) + "'").empty());
  EXPECT_EQ(sql("SELECT details->'after'->>'name' FROM audit_logs WHERE resource = 'location:" + id(r.json()) + "'"),
            r.json()["name"]);
}

TEST_F(Catalog, ConcurrentCrossMovesCannotBuildACycle) {
  for (int round = 0; round < 5; ++round) {
    auto a = created("/api/v1/locations", {{"name", unique("A")}});
    auto b = created("/api/v1/locations", {{"name", unique("B")}});
    int status_a = 0, status_b = 0;
    auto move = [&](const json& child, const json& parent, int& status) {
      HttpClient own(server_->port());
      Headers h = bearer(admin_);
      h.push_back({"Content-Type", "application/json"});
      status = own.request("PATCH", "/api/v1/locations/" + id(child), json{{"parentId", id(parent)}}.dump(), h).status;
    };
    std::thread t1(move, std::cref(a), std::cref(b), std::ref(status_a));
    std::thread t2(move, std::cref(b), std::cref(a), std::ref(status_b));
    t1.join();
    t2.join();
    std::multiset<int> statuses{status_a, status_b};
    EXPECT_EQ(statuses, (std::multiset<int>{200, 409})) << "round " << round;
    auto pa = send("GET", "/api/v1/locations/" + id(a), nullptr, user_).json()["path"].get<std::string>();
    auto pb = send("GET", "/api/v1/locations/" + id(b), nullptr, user_).json()["path"].get<std::string>();
    // Exactly one is the root of the other, and both paths start at that root.
    EXPECT_TRUE((pa == "/" + id(a) + "/" && pb == pa + id(b) + "/") || (pb == "/" + id(b) + "/" && pa == pb + id(a) + "/"))
        << pa << " " << pb;
  }
}

TEST_F(Catalog, RoutesDocumentedWithTheirRoles) {
  auto doc = client.get("/docs/json").json();
  json paths = doc["paths"];
  for (auto p : {"/api/v1/vendors", "/api/v1/asset-categories", "/api/v1/locations", "/api/v1/asset-models"}) {
    ASSERT_TRUE(paths.contains(p)) << p;
    EXPECT_EQ(paths[p]["get"]["x-min-role"], "user") << p;
    EXPECT_EQ(paths[p]["post"]["x-min-role"], "admin") << p;
  }
  EXPECT_EQ(paths["/api/v1/locations/{id}/tree"]["get"]["x-min-role"], "user");
  EXPECT_EQ(paths["/api/v1/spec-versions/{id}/publish"]["post"]["x-min-role"], "admin");
  EXPECT_EQ(paths["/api/v1/spec-defs/{id}"]["put"]["x-min-role"], "admin");
  EXPECT_EQ(paths["/api/v1/asset-categories/{id}/spec-versions"]["get"]["x-min-role"], "user");
}
