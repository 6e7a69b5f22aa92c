// Spec versions, field definitions and asset models through HTTP against the real server:
// draft → active → retired, definitions editable only in draft, publish reports non-conforming
// models, model spec validation with every error keyed, spec.<key> filters.
#include <set>
#include <thread>

#include "api/catalog_fixture.hpp"

const char* const kCatalogSuite = "spec_versions";

using namespace catalog_test;

class Specs : public CatalogApi {
 protected:
  // A category whose active version (published through the API) has the given definitions.
  json category_with(const std::vector<json>& defs) {
    auto c = created("/api/v1/asset-categories", {{"name", unique("Cat")}});
    auto draft = created("/api/v1/asset-categories/" + id(c) + "/spec-versions", json::object());
    for (auto& d : defs) created("/api/v1/spec-versions/" + id(draft) + "/defs", d);
    auto pub = send("POST", "/api/v1/spec-versions/" + id(draft) + "/publish", nullptr, admin_);
    EXPECT_EQ(pub.status, 200) << pub.body;
    return c;
  }
  static json switch_defs_ports() {
    return {{"key", "ports"}, {"label", "Ports"}, {"fieldType", "integer"}, {"required", true},
            {"minValue", 1},  {"maxValue", 96},   {"isFilterable", true}};
  }
  static json switch_defs_speed() {
    return {{"key", "speed"}, {"label", "Uplink"}, {"fieldType", "enum"}, {"enumValues", {"1G", "10G", "40G"}},
            {"isFilterable", true}};
  }
};

TEST_F(Specs, VersionLifecycle) {
  auto c = created("/api/v1/asset-categories", {{"name", unique("Router")}});
  auto versions_path = "/api/v1/asset-categories/" + id(c) + "/spec-versions";
  auto v1_id = c["activeSpecVersionId"].get<std::string>();

  auto list = send("GET", versions_path, nullptr, user_);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json()["data"].size(), 1u);
  EXPECT_EQ(list.json()["data"][0]["status"], "active");
  EXPECT_EQ(list.json()["data"][0]["defCount"], 0);
  EXPECT_EQ(send("GET", "/api/v1/category-specs/" + id(c) + "/versions", nullptr, user_).json()["data"], list.json()["data"]);

  // The active version is frozen.
  auto frozen = send("POST", "/api/v1/spec-versions/" + v1_id + "/defs",
                     {{"key", "ports"}, {"label", "Ports"}, {"fieldType", "integer"}}, admin_);
  EXPECT_EQ(frozen.status, 409) << frozen.body;

  // v2: a draft; a second draft is refused while one exists.
  auto v2 = created(versions_path, json::object());
  EXPECT_EQ(v2["version"], 2);
  EXPECT_EQ(v2["status"], "draft");
  EXPECT_EQ(v2["copiedFromVersionId"], v1_id);
  auto again = send("POST", versions_path, nullptr, admin_);
  ASSERT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.json()["error"]["details"]["draftVersionId"], v2["id"]);

  auto defs_path = "/api/v1/spec-versions/" + id(v2) + "/defs";
  auto ports = created(defs_path, switch_defs_ports());
  EXPECT_EQ(ports["fieldType"], "integer");
  EXPECT_EQ(ports["versionId"], v2["id"]);
  created(defs_path, switch_defs_speed());
  EXPECT_EQ(send("POST", defs_path, switch_defs_ports(), admin_).status, 409);  // duplicate key

  // Every definition error at once, each with its attribute.
  auto bad = send("POST", defs_path,
                  {{"key", "Bad Key"}, {"label", ""}, {"fieldType", "enum"}, {"minValue", 5}, {"pattern", "("}}, admin_);
  ASSERT_EQ(bad.status, 400) << bad.body;
  for (auto f : {"key", "label", "enumValues", "minValue", "pattern"})
    EXPECT_TRUE(has_field(bad.json(), f)) << f << " " << bad.body;
  auto range = send("POST", defs_path,
                    {{"key", "mtu"}, {"label", "MTU"}, {"fieldType", "integer"}, {"minValue", 9000}, {"maxValue", 1500}},
                    admin_);
  ASSERT_EQ(range.status, 400) << range.body;
  EXPECT_EQ(send("POST", defs_path, {{"key", "x"}, {"label", "X"}, {"fieldType", "string"}, {"color", 1}}, admin_).status,
            400);
  EXPECT_EQ(send("POST", defs_path, {{"key", "x"}, {"label", "X"}, {"fieldType", "string"}}, user_).status, 403);

  // Edit and delete in the draft.
  auto note = created(defs_path, {{"key", "note"}, {"label", "Note"}, {"fieldType", "string"}, {"maxLen", 20}});
  auto edited = send("PUT", "/api/v1/spec-defs/" + id(note), {{"label", "Remark"}, {"maxLen", nullptr}}, admin_);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json()["label"], "Remark");
  EXPECT_TRUE(edited.json()["maxLen"].is_null());
  EXPECT_EQ(edited.json()["key"], "note");
  auto bad_edit = send("PUT", "/api/v1/spec-defs/" + id(note), {{"fieldType", "enum"}}, admin_);
  EXPECT_TRUE(has_field(bad_edit.json(), "enumValues")) << bad_edit.body;
  EXPECT_EQ(send("DELETE", "/api/v1/spec-defs/" + id(note), nullptr, admin_).status, 204);
  EXPECT_EQ(send("DELETE", "/api/v1/spec-defs/" + id(note), nullptr, admin_).status, 404);
  auto defs = send("GET", defs_path, nullptr, user_);
  ASSERT_EQ(defs.status, 200);
  EXPECT_EQ(defs.json()["data"].size(), 2u);

  // Publish: v2 active, v1 retired (in one transaction), still one active version.
  auto pub = send("POST", "/api/v1/spec-versions/" + id(v2) + "/publish", nullptr, admin_);
  ASSERT_EQ(pub.status, 200) << pub.body;
  EXPECT_EQ(pub.json()["version"]["status"], "active");
  EXPECT_EQ(pub.json()["retiredVersionId"], v1_id);
  EXPECT_EQ(sql("SELECT string_agg(version || ':' || status, ',' ORDER BY version) FROM asset_category_spec_versions "
                "WHERE category_id = '" + id(c) + "'"),
            "1:retired,2:active");
  EXPECT_EQ(send("GET", "/api/v1/asset-categories/" + id(c), nullptr, user_).json()["activeSpecVersion"], 2);
  EXPECT_EQ(send("POST", "/api/v1/spec-versions/" + id(v2) + "/publish", nullptr, admin_).status, 409);
  EXPECT_EQ(send("PUT", "/api/v1/spec-defs/" + id(ports), {{"label", "P"}}, admin_).status, 409);
  EXPECT_EQ(send("DELETE", "/api/v1/spec-defs/" + id(ports), nullptr, admin_).status, 409);
  EXPECT_EQ(send("DELETE", "/api/v1/spec-versions/" + id(v2), nullptr, admin_).status, 409);

  // v3 copies v2's definitions; a draft can be discarded.
  auto v3 = created(versions_path, json::object());
  EXPECT_EQ(v3["version"], 3);
  EXPECT_EQ(v3["defCount"], 2);
  auto got = send("GET", "/api/v1/spec-versions/" + id(v3), nullptr, user_);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json()["defs"].size(), 2u);
  EXPECT_EQ(send("DELETE", "/api/v1/spec-versions/" + id(v3), nullptr, admin_).status, 204);
  EXPECT_EQ(send("GET", "/api/v1/spec-versions/" + id(v3), nullptr, user_).status, 404);
  EXPECT_EQ(send("GET", "/api/v1/asset-categories/00000000-0000-0000-0000-000000000000/spec-versions", nullptr, user_)
                .status,
            404);
  EXPECT_EQ(send("POST", versions_path, nullptr, user_).status, 403);
  EXPECT_EQ(sql("SELECT count(*) FROM audit_logs WHERE action = 'spec_version.published' AND resource = "
                "'asset_spec_version:" + id(v2) + "'"),
            "1");
}

TEST_F(Specs, PublishReportsModelsThatNoLongerConform) {
  auto c = category_with({switch_defs_ports()});
  auto ok = created("/api/v1/asset-models", {{"categoryId", id(c)}, {"model", "SW-48"}, {"spec", {{"ports", 48}}}});
  auto small = created("/api/v1/asset-models", {{"categoryId", id(c)}, {"model", "SW-8"}, {"spec", {{"ports", 8}}}});
  auto draft = created("/api/v1/asset-categories/" + id(c) + "/spec-versions", json::object());
  auto defs = send("GET", "/api/v1/spec-versions/" + id(draft) + "/defs", nullptr, user_).json()["data"];
  ASSERT_EQ(defs.size(), 1u);
  // Tighten ports to ≥ 24 and add a required field.
  ASSERT_EQ(send("PUT", "/api/v1/spec-defs/" + id(defs[0]), {{"minValue", 24}}, admin_).status, 200);
  created("/api/v1/spec-versions/" + id(draft) + "/defs",
          {{"key", "rackUnits"}, {"label", "RU"}, {"fieldType", "integer"}, {"required", true}});
  auto pub = send("POST", "/api/v1/spec-versions/" + id(draft) + "/publish", nullptr, admin_);
  ASSERT_EQ(pub.status, 200) << pub.body;
  auto r = pub.json();
  EXPECT_EQ(r["checkedModels"], 2);
  ASSERT_EQ(r["nonConformingModels"].size(), 2u);
  json by_id;
  json report = r["nonConformingModels"];
  for (auto& m : report) by_id[m["id"].get<std::string>()] = m["errors"];
  ASSERT_TRUE(by_id.contains(id(small)));
  std::set<std::string> small_keys, ok_keys;
  for (auto& e : by_id[id(small)]) small_keys.insert(e["key"].get<std::string>());
  for (auto& e : by_id[id(ok)]) ok_keys.insert(e["key"].get<std::string>());
  EXPECT_EQ(small_keys, (std::set<std::string>{"ports", "rackUnits"}));
  EXPECT_EQ(ok_keys, (std::set<std::string>{"rackUnits"}));
  // Models keep the version they were validated against.
  EXPECT_EQ(send("GET", "/api/v1/asset-models/" + id(small), nullptr, user_).json()["specVersion"], 2);
}

TEST_F(Specs, ModelSpecValidationEveryErrorWithItsKey) {
  auto c = category_with({switch_defs_ports(), switch_defs_speed(),
                          {{"key", "mgmtMac"}, {"label", "MAC"}, {"fieldType", "mac"}},
                          {{"key", "firmware"}, {"label", "FW"}, {"fieldType", "string"}, {"pattern", "^v[0-9]+$"}}});
  auto bad = send("POST", "/api/v1/asset-models",
                  {{"categoryId", id(c)},
                   {"model", "X"},
                   {"spec", {{"ports", "many"}, {"speed", "100G"}, {"firmware", "1.0"}, {"colour", "red"}}}},
                  admin_);
  ASSERT_EQ(bad.status, 400) << bad.body;
  for (auto f : {"spec.ports", "spec.speed", "spec.firmware", "spec.colour"})
    EXPECT_TRUE(has_field(bad.json(), f)) << f << " " << bad.body;
  auto missing = send("POST", "/api/v1/asset-models", {{"categoryId", id(c)}, {"model", "X"}}, admin_);
  EXPECT_TRUE(has_field(missing.json(), "spec.ports")) << missing.body;
  EXPECT_TRUE(has_field(send("POST", "/api/v1/asset-models", {{"brand", 3}}, admin_).json(), "model"));
  EXPECT_EQ(send("POST", "/api/v1/asset-models", {{"model", "X"}, {"categoryId", "00000000-0000-0000-0000-000000000000"}},
                 admin_).status,
            422);
  EXPECT_TRUE(has_field(send("POST", "/api/v1/asset-models", {{"model", "X"}, {"spec", {{"a", 1}}}}, admin_).json(),
                        "spec"));

  // Valid values are stored in canonical form.
  auto m = created("/api/v1/asset-models",
                   {{"categoryId", id(c)}, {"model", "C9300"}, {"brand", "Cisco"},
                    {"spec", {{"ports", 48}, {"speed", "10G"}, {"mgmtMac", "AA-BB-CC-DD-EE-FF"}}}});
  EXPECT_EQ(m["spec"]["mgmtMac"], "aa:bb:cc:dd:ee:ff");
  EXPECT_EQ(m["categoryName"], c["name"]);
  EXPECT_EQ(m["specVersion"], 2);
}

TEST_F(Specs, ModelCrudEtagAndReferences) {
  auto c = category_with({switch_defs_ports()});
  auto vendor = created("/api/v1/vendors", {{"name", unique("Juniper")}});
  auto m = created("/api/v1/asset-models",
                   {{"categoryId", id(c)}, {"vendorId", id(vendor)}, {"model", "EX2300"}, {"spec", {{"ports", 24}}}});
  EXPECT_EQ(m["vendorName"], vendor["name"]);
  auto path = "/api/v1/asset-models/" + id(m);
  auto got = send("GET", path, nullptr, user_);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(send("PATCH", path, {{"brand", "J"}}, admin_, {{"If-Match", "W/\"x\""}}).status, 412);
  auto upd = send("PATCH", path, {{"brand", "Juniper"}}, admin_, {{"If-Match", got.header("etag")}});
  ASSERT_EQ(upd.status, 200) << upd.body;
  EXPECT_EQ(upd.json()["brand"], "Juniper");
  EXPECT_EQ(upd.json()["spec"]["ports"], 24);
  auto bad_spec = send("PATCH", path, {{"spec", {{"ports", 0}}}}, admin_);
  EXPECT_TRUE(has_field(bad_spec.json(), "spec.ports")) << bad_spec.body;
  EXPECT_EQ(send("PATCH", path, {{"spec", {{"ports", 12}}}}, admin_).json()["spec"]["ports"], 12);
  EXPECT_EQ(send("PATCH", path, {{"brand", "x"}}, user_).status, 403);
  EXPECT_EQ(send("DELETE", path, nullptr, user_).status, 403);

  // A draft cannot validate; a retired version can (specVersionId).
  auto draft = created("/api/v1/asset-categories/" + id(c) + "/spec-versions", json::object());
  EXPECT_EQ(send("PATCH", path, {{"specVersionId", id(draft)}}, admin_).status, 422);
  auto v1 = sql("SELECT id FROM asset_category_spec_versions WHERE category_id = '" + id(c) + "' AND version = 1");
  auto legacy = send("PATCH", path, {{"specVersionId", v1}, {"spec", json::object()}}, admin_);
  ASSERT_EQ(legacy.status, 200) << legacy.body;
  EXPECT_EQ(legacy.json()["specVersion"], 1);

  EXPECT_EQ(send("DELETE", "/api/v1/vendors/" + id(vendor), nullptr, admin_).json()["error"]["message"],
            "vendor is used by 1 asset model");
  sql("INSERT INTO assets (asset_code, model_id) VALUES ('" + unique("AM") + "', '" + id(m) + "')");
  auto refused = send("DELETE", path, nullptr, admin_);
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.json()["error"]["message"], "asset model is used by 1 asset");
  sql("DELETE FROM assets WHERE model_id = '" + id(m) + "'");
  EXPECT_EQ(send("DELETE", path, nullptr, admin_).status, 204);
  EXPECT_EQ(send("GET", path, nullptr, user_).status, 404);
  EXPECT_EQ(sql("SELECT count(*) FROM audit_logs WHERE resource = 'asset_model:" + id(m) + "'"), "5");
}

TEST_F(Specs, ListFiltersIncludingSpecValues) {
  json tags = {{"key", "features"}, {"label", "Features"}, {"fieldType", "multi_enum"},
               {"enumValues", {"poe", "stack", "l3"}}, {"isFilterable", true}};
  json note = {{"key", "note"}, {"label", "Note"}, {"fieldType", "string"}};
  auto c = category_with({switch_defs_ports(), switch_defs_speed(), tags, note});
  auto brand = unique("Brand");
  auto a = created("/api/v1/asset-models", {{"categoryId", id(c)}, {"model", "A-24"}, {"brand", brand},
                                            {"spec", {{"ports", 24}, {"speed", "1G"}, {"features", {"poe"}}}}});
  auto b = created("/api/v1/asset-models", {{"categoryId", id(c)}, {"model", "B-48"}, {"brand", brand},
                                            {"spec", {{"ports", 48}, {"speed", "10G"}, {"features", {"poe", "l3"}}}}});
  created("/api/v1/asset-models", {{"categoryId", id(c)}, {"model", "C-48"}, {"spec", {{"ports", 48}}}});
  auto ids = [&](const std::string& q) {
    auto r = send("GET", "/api/v1/asset-models?" + q, nullptr, user_);
    EXPECT_EQ(r.status, 200) << q << " " << r.body;
    std::vector<std::string> out;
    json data = r.json()["data"];
    for (auto& m : data) out.push_back(m["model"].get<std::string>());
    return out;
  };
  auto cat = "categoryId=" + id(c);
  EXPECT_EQ(ids(cat), (std::vector<std::string>{"A-24", "B-48", "C-48"}));
  EXPECT_EQ(ids(cat + "&sort=-model"), (std::vector<std::string>{"C-48", "B-48", "A-24"}));
  EXPECT_EQ(ids(cat + "&spec.ports=48"), (std::vector<std::string>{"B-48", "C-48"}));
  EXPECT_EQ(ids(cat + "&spec.ports=48&spec.speed=10G"), (std::vector<std::string>{"B-48"}));
  EXPECT_EQ(ids(cat + "&spec.features=l3"), (std::vector<std::string>{"B-48"}));
  EXPECT_EQ(ids(cat + "&spec.features=poe"), (std::vector<std::string>{"A-24", "B-48"}));
  EXPECT_EQ(ids("spec.ports=24&brand=" + brand), (std::vector<std::string>{"A-24"}));
  // "B-48", not "48": the unique brand carries the process id, which may contain "48" itself.
  EXPECT_EQ(ids("brand=" + brand + "&search=B-48"), (std::vector<std::string>{"B-48"}));
  EXPECT_EQ(ids("search=" + brand), (std::vector<std::string>{"A-24", "B-48"}));
  auto not_filterable = send("GET", "/api/v1/asset-models?" + cat + "&spec.note=x", nullptr, user_);
  ASSERT_EQ(not_filterable.status, 400);
  EXPECT_TRUE(has_field(not_filterable.json(), "spec.note"));
  auto bad_value = send("GET", "/api/v1/asset-models?" + cat + "&spec.speed=9G", nullptr, user_);
  ASSERT_EQ(bad_value.status, 400) << bad_value.body;
  EXPECT_TRUE(has_field(bad_value.json(), "spec.speed"));
  EXPECT_EQ(send("GET", "/api/v1/asset-models?categoryId=nope", nullptr, user_).status, 400);
  EXPECT_EQ(send("GET", "/api/v1/asset-models?sort=spec", nullptr, user_).status, 400);
  (void)a;
  (void)b;
}

TEST_F(Specs, ConcurrentDraftsOneWins) {
  for (int round = 0; round < 3; ++round) {
    auto c = created("/api/v1/asset-categories", {{"name", unique("Race")}});
    int s1 = 0, s2 = 0;
    auto post = [&](int& status) {
      HttpClient own(server_->port());
      Headers h = bearer(admin_);
      h.push_back({"Content-Type", "application/json"});
      status = own.request("POST", "/api/v1/asset-categories/" + id(c) + "/spec-versions", "{}", h).status;
    };
    std::thread t1(post, std::ref(s1));
    std::thread t2(post, std::ref(s2));
    t1.join();
    t2.join();
    EXPECT_EQ((std::multiset<int>{s1, s2}), (std::multiset<int>{201, 409})) << "round " << round;
    EXPECT_EQ(sql("SELECT count(*) FROM asset_category_spec_versions WHERE category_id = '" + id(c) + "'"), "2");
  }
}
