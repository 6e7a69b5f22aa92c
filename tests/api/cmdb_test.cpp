// CMDB through HTTP against the real server: CI types and their versions (the catalog's lifecycle), CIs
// with validated attributes, relationship types and relationships with their constraint errors, services
// and members, deletion rules, history, reports and permissions per role.
#include "api/cmdb_fixture.hpp"

const char* const kCmdbSuite = "cmdb";

using namespace cmdb_test;

namespace {
json port_defs() {
  return json::array({{{"key", "cpuCores"}, {"label", "CPU cores"}, {"fieldType", "integer"}, {"required", true},
                       {"minValue", 1}, {"maxValue", 256}, {"isFilterable", true}},
                      {{"key", "mgmtIp"}, {"label", "Management IP"}, {"fieldType", "ip"}},
                      {{"key", "os"}, {"label", "OS"}, {"fieldType", "enum"}, {"enumValues", {"linux", "windows"}},
                       {"isFilterable", true}}});
}
}  // namespace

class Cmdb : public CmdbApi {};

TEST_F(Cmdb, TypeLifecycleUsesTheSpecEngine) {
  // With definitions: version 1 active at once.
  auto t = type("server", port_defs());
  ASSERT_FALSE(t.is_null());
  EXPECT_EQ(t["activeVersion"], 1);
  auto v1 = t["activeVersionId"].get<std::string>();
  // Without: an empty draft.
  auto empty = type("empty");
  EXPECT_TRUE(empty["activeVersionId"].is_null());
  EXPECT_FALSE(empty["draftVersionId"].is_null());

  // Invalid definitions at creation: 400 naming each.
  auto bad = send("POST", "/api/v1/cmdb/types",
                  {{"code", unique("bad")}, {"name", "bad"},
                   {"attributes", {{{"key", "n"}, {"label", "N"}, {"fieldType", "integer"}, {"minValue", 5},
                                    {"maxValue", 1}}}}},
                  operator_);
  EXPECT_EQ(bad.status, 400) << bad.body;

  auto versions = "/api/v1/cmdb/types/" + id(t) + "/versions";
  auto list = send("GET", versions, nullptr, user_);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json()["data"].size(), 1u);
  EXPECT_EQ(list.json()["data"][0]["typeId"], id(t));

  // The active version is frozen; a draft copies it.
  auto frozen = send("POST", "/api/v1/cmdb/type-versions/" + v1 + "/defs",
                     {{"key", "rack"}, {"label", "Rack"}, {"fieldType", "string"}}, operator_);
  EXPECT_EQ(frozen.status, 409) << frozen.body;
  auto draft = created(versions, json::object());
  EXPECT_EQ(draft["version"], 2);
  EXPECT_EQ(draft["copiedFromVersionId"], v1);
  EXPECT_EQ(send("POST", versions, nullptr, operator_).status, 409);

  // CIs validated against v1; one of them will not satisfy v2.
  auto good = ci(t, "srv", {{"attributes", {{"cpuCores", 8}, {"os", "linux"}}}});
  auto other = ci(t, "srv", {{"attributes", {{"cpuCores", 4}}}});
  EXPECT_EQ(good["attributesVersionId"], v1);

  // v2 makes os required.
  auto defs = send("GET", "/api/v1/cmdb/type-versions/" + id(draft) + "/defs", nullptr, user_).json()["data"];
  std::string os_def;
  for (auto& d : defs)
    if (d["key"] == "os") os_def = d["id"].get<std::string>();
  ASSERT_FALSE(os_def.empty());
  auto changed = send("PUT", "/api/v1/cmdb/attr-defs/" + os_def, {{"required", true}}, operator_);
  ASSERT_EQ(changed.status, 200) << changed.body;
  auto pub = send("POST", "/api/v1/cmdb/type-versions/" + id(draft) + "/publish", nullptr, operator_);
  ASSERT_EQ(pub.status, 200) << pub.body;
  auto report = pub.json();
  EXPECT_EQ(report["retiredVersionId"], v1);
  EXPECT_EQ(report["checkedCis"], 2);
  ASSERT_EQ(report["nonConformingCis"].size(), 1u) << report.dump();
  EXPECT_EQ(report["nonConformingCis"][0]["id"], id(other));
  EXPECT_EQ(report["nonConformingCis"][0]["ciCode"], other["ciCode"]);
  EXPECT_EQ(report["nonConformingCis"][0]["errors"][0]["key"], "os");
  EXPECT_EQ(send("GET", "/api/v1/cmdb/type-versions/" + v1, nullptr, user_).json()["status"], "retired");
  EXPECT_EQ(sql("SELECT count(*) FROM cmdb_ci_type_versions WHERE type_id = '" + id(t) + "' AND status = 'active'"),
            "1");
  // The publish is in the type's history of ops events.
  EXPECT_EQ(sql("SELECT count(*) FROM ops_events WHERE entity_type = 'cmdb_type' AND entity_id = '" + id(t) +
                "' AND event_type = 'spec_version.published'"),
            "1");
}

TEST_F(Cmdb, CiAttributesAreValidatedEveryErrorAtOnce) {
  auto t = type("host", port_defs());
  auto r = send("POST", "/api/v1/cmdb/cis",
                {{"typeId", id(t)}, {"name", "h"}, {"ciCode", unique("h")},
                 {"attributes", {{"cpuCores", 0}, {"mgmtIp", "999.1.1.1"}, {"unknownKey", 1}}}},
                operator_);
  ASSERT_EQ(r.status, 400) << r.body;
  auto body = r.json();
  EXPECT_NE(issue_of(body, "attributes.cpuCores"), "");
  EXPECT_NE(issue_of(body, "attributes.mgmtIp"), "");
  EXPECT_NE(issue_of(body, "attributes.unknownKey"), "");

  auto missing = send("POST", "/api/v1/cmdb/cis", {{"typeId", id(t)}, {"name", "h"}, {"ciCode", unique("h")}}, operator_);
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(issue_of(missing.json(), "attributes.cpuCores"), "");

  // Enums and required fields of the CI itself.
  auto enums = send("POST", "/api/v1/cmdb/cis", {{"typeId", id(t)}, {"status", "broken"}, {"environment", "qa"}},
                    operator_);
  EXPECT_EQ(enums.status, 400);
  EXPECT_NE(issue_of(enums.json(), "status"), "");
  EXPECT_NE(issue_of(enums.json(), "environment"), "");
  EXPECT_NE(issue_of(enums.json(), "name"), "");
  EXPECT_NE(issue_of(enums.json(), "ciCode"), "");

  // Unknown references: 422 naming the field.
  auto unknown = send("POST", "/api/v1/cmdb/cis",
                      {{"typeId", id(t)}, {"name", "h"}, {"ciCode", unique("h")}, {"assetId", "00000000-0000-0000-0000-000000000001"},
                       {"attributes", {{"cpuCores", 2}}}},
                      operator_);
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  auto no_type = send("POST", "/api/v1/cmdb/cis",
                      {{"typeId", "00000000-0000-0000-0000-000000000001"}, {"name", "h"}, {"ciCode", unique("h")}},
                      operator_);
  EXPECT_EQ(no_type.status, 422) << no_type.body;

  // Normalised and stored with the version.
  auto c = ci(t, "h", {{"attributes", {{"cpuCores", 16}, {"mgmtIp", "10.0.0.1"}}}, {"environment", "uat"}});
  EXPECT_EQ(c["attributes"]["cpuCores"], 16);
  EXPECT_EQ(sql("SELECT count(*) FROM cmdb_ci_attr_values WHERE ci_id = '" + id(c) + "' AND version_id = '" +
                t["activeVersionId"].get<std::string>() + "'"),
            "2");

  // Duplicate ciCode: 409.
  auto dup = send("POST", "/api/v1/cmdb/cis",
                  {{"typeId", id(t)}, {"name", "h"}, {"ciCode", c["ciCode"]}, {"attributes", {{"cpuCores", 1}}}},
                  operator_);
  EXPECT_EQ(dup.status, 409) << dup.body;

  // PATCH validates the merged set: removing a required key fails, changing one keeps the others.
  auto path = "/api/v1/cmdb/cis/" + id(c);
  auto drop = send("PATCH", path, {{"attributes", {{"cpuCores", nullptr}}}}, operator_);
  EXPECT_EQ(drop.status, 400) << drop.body;
  EXPECT_NE(issue_of(drop.json(), "attributes.cpuCores"), "");
  auto get = send("GET", path, nullptr, user_);
  auto etag = get.header("etag");
  ASSERT_FALSE(etag.empty());
  auto ok = send("PATCH", path, {{"attributes", {{"os", "windows"}}}}, operator_, {{"If-Match", etag}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json()["attributes"]["cpuCores"], 16);
  EXPECT_EQ(ok.json()["attributes"]["os"], "windows");
  EXPECT_EQ(ok.json()["attributes"]["mgmtIp"], "10.0.0.1");
  // The old ETag is stale now.
  auto stale = send("PATCH", path, {{"name", "x"}}, operator_, {{"If-Match", etag}});
  EXPECT_EQ(stale.status, 412) << stale.body;
}

TEST_F(Cmdb, CiFilters) {
  auto t = type("vm", port_defs());
  auto team = unique("team");
  auto a = ci(t, "fa", {{"attributes", {{"cpuCores", 4}, {"os", "linux"}}}, {"ownerTeam", team}});
  auto b = ci(t, "fb", {{"attributes", {{"cpuCores", 8}, {"os", "windows"}}}, {"ownerTeam", team}, {"status", "planned"}});
  auto base = "/api/v1/cmdb/cis?typeId=" + id(t);
  EXPECT_EQ(send("GET", base, nullptr, user_).json()["meta"]["total"], 2);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/cis?type=" + t["code"].get<std::string>(), nullptr, user_).json()["meta"]["total"], 2);
  auto by_attr = send("GET", base + "&attr.cpuCores=8", nullptr, user_);
  ASSERT_EQ(by_attr.status, 200) << by_attr.body;
  ASSERT_EQ(by_attr.json()["data"].size(), 1u);
  EXPECT_EQ(by_attr.json()["data"][0]["id"], id(b));
  auto by_os = send("GET", base + "&attr.os=linux", nullptr, user_).json();
  ASSERT_EQ(by_os["data"].size(), 1u);
  EXPECT_EQ(by_os["data"][0]["id"], id(a));
  // mgmtIp is not filterable.
  auto refused = send("GET", base + "&attr.mgmtIp=10.0.0.1", nullptr, user_);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(issue_of(refused.json(), "attr.mgmtIp"), "");
  EXPECT_EQ(send("GET", "/api/v1/cmdb/cis?ownerTeam=" + team + "&status=planned", nullptr, user_).json()["meta"]["total"], 1);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/cis?search=" + a["ciCode"].get<std::string>(), nullptr, user_).json()["meta"]["total"], 1);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/cis?status=nope", nullptr, user_).status, 400);

  // Location subtree.
  auto parent = send("POST", "/api/v1/locations", {{"name", unique("Site")}}, admin_).json();
  auto child = send("POST", "/api/v1/locations", {{"name", unique("Room")}, {"parentId", id(parent)}}, admin_).json();
  ASSERT_FALSE(id(child).empty());
  auto located = ci(t, "loc", {{"attributes", {{"cpuCores", 1}}}, {"locationId", id(child)}});
  auto in_site = send("GET", "/api/v1/cmdb/cis?locationId=" + id(parent), nullptr, user_).json();
  ASSERT_EQ(in_site["data"].size(), 1u);
  EXPECT_EQ(in_site["data"][0]["id"], id(located));

  // The CSV export carries the attributes.
  auto csv = send("GET", "/api/v1/cmdb/cis/export?typeId=" + id(t), nullptr, user_);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("attr.cpuCores"), std::string::npos);
  EXPECT_NE(csv.body.find(b["ciCode"].get<std::string>()), std::string::npos);
}

TEST_F(Cmdb, RelationshipConstraints) {
  auto app_t = type("app");
  auto vm_t = type("vmt");
  auto app = ci(app_t, "app");
  auto vm = ci(vm_t, "vm");
  auto vm2 = ci(vm_t, "vm");
  auto runs_on = rel_type("runs_on", {{"allowedFromTypeId", id(app_t)}, {"allowedToTypeId", id(vm_t)}});

  // Self-loop 400.
  auto self = send("POST", "/api/v1/cmdb/relationships",
                   {{"relTypeId", id(runs_on)}, {"fromCiId", id(app)}, {"toCiId", id(app)}}, operator_);
  EXPECT_EQ(self.status, 400) << self.body;
  // Type constraint 422, naming the allowed type.
  auto wrong = send("POST", "/api/v1/cmdb/relationships",
                    {{"relTypeId", id(runs_on)}, {"fromCiId", id(vm)}, {"toCiId", id(vm2)}}, operator_);
  ASSERT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_NE(wrong.json()["error"]["message"].get<std::string>().find(app_t["code"].get<std::string>()),
            std::string::npos);
  EXPECT_EQ(wrong.json()["error"]["details"]["allowedFromTypeId"], id(app_t));
  // Unknown CI / type 404.
  auto ghost = "00000000-0000-0000-0000-0000000000aa";
  EXPECT_EQ(send("POST", "/api/v1/cmdb/relationships", {{"relTypeId", id(runs_on)}, {"fromCiId", id(app)}, {"toCiId", ghost}},
                 operator_).status, 404);
  EXPECT_EQ(send("POST", "/api/v1/cmdb/relationships", {{"relTypeId", ghost}, {"fromCiId", id(app)}, {"toCiId", id(vm)}},
                 operator_).status, 404);
  // Created, then a duplicate active one is 409.
  auto rel = link(runs_on, app, vm);
  EXPECT_EQ(rel["fromCiCode"], app["ciCode"]);
  auto dup = send("POST", "/api/v1/cmdb/relationships",
                  {{"relTypeId", id(runs_on)}, {"fromCiId", id(app)}, {"toCiId", id(vm)}}, operator_);
  EXPECT_EQ(dup.status, 409) << dup.body;
  // DELETE retires; a new active one may then be created.
  EXPECT_EQ(send("DELETE", "/api/v1/cmdb/relationships/" + id(rel), nullptr, operator_).status, 204);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/relationships/" + id(rel), nullptr, user_).json()["status"], "retired");
  EXPECT_EQ(send("DELETE", "/api/v1/cmdb/relationships/" + id(rel), nullptr, operator_).status, 409);
  auto again = link(runs_on, app, vm);
  EXPECT_FALSE(id(again).empty());
  EXPECT_EQ(sql("SELECT count(*) FROM ops_events WHERE entity_type = 'cmdb_relationship' AND entity_id = '" + id(rel) +
                "'"),
            "2");
  // A relationship type in use is not deleted.
  EXPECT_EQ(send("DELETE", "/api/v1/cmdb/relationship-types/" + id(runs_on), nullptr, operator_).status, 409);
  // minUp forms.
  EXPECT_EQ(rel_type("cluster", {{"minUp", "50%"}})["minUp"], "50%");
  EXPECT_EQ(rel_type("uplink", {{"minUp", 1}})["minUp"], 1);
  EXPECT_EQ(send("POST", "/api/v1/cmdb/relationship-types", {{"code", unique("x")}, {"name", "x"}, {"minUp", "150%"}},
                 operator_).status, 400);
}

TEST_F(Cmdb, DeleteRefusesWhileDependedOnUnlessForced) {
  auto t = type("node");
  auto rt = rel_type("dep");
  auto a = ci(t, "a");
  auto b = ci(t, "b");
  auto rel = link(rt, a, b);
  auto svc = created("/api/v1/cmdb/services", {{"code", unique("svc")}, {"name", "S"}, {"criticality", "high"}});
  created("/api/v1/cmdb/services/" + id(svc) + "/members", {{"ciId", id(b)}, {"role", "primary"}});

  auto refused = send("DELETE", "/api/v1/cmdb/cis/" + id(b), nullptr, operator_);
  ASSERT_EQ(refused.status, 409) << refused.body;
  auto details = refused.json()["error"]["details"];
  EXPECT_EQ(details["relationships"][0]["id"], id(rel));
  EXPECT_EQ(details["services"][0]["serviceCode"], svc["code"]);
  EXPECT_NE(refused.json()["error"]["message"].get<std::string>().find(a["ciCode"].get<std::string>()), std::string::npos);

  EXPECT_EQ(send("DELETE", "/api/v1/cmdb/cis/" + id(b) + "?force=true", nullptr, operator_).status, 204);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/cis/" + id(b), nullptr, user_).status, 404);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/services/" + id(svc), nullptr, user_).json()["memberCount"], 0);
  EXPECT_EQ(sql("SELECT count(*) FROM ops_events WHERE entity_type = 'cmdb_relationship' AND event_type = 'retired' "
                "AND entity_id = '" + id(rel) + "'"),
            "1");
  // History of a CI.
  auto h = send("GET", "/api/v1/cmdb/cis/" + id(a) + "/history", nullptr, user_);
  ASSERT_EQ(h.status, 200) << h.body;
  EXPECT_GE(h.json()["data"].size(), 1u);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/cis/" + id(b) + "/history", nullptr, user_).status, 404);
}

TEST_F(Cmdb, ServicesMembersAndHealth) {
  auto t = type("svcnode");
  auto a = ci(t, "p");
  auto b = ci(t, "s");
  auto svc = created("/api/v1/cmdb/services", {{"code", unique("pay")}, {"name", "Payments"}, {"criticality", "critical"}});
  EXPECT_EQ(svc["health"], "unknown");
  EXPECT_EQ(send("POST", "/api/v1/cmdb/services", {{"code", unique("x")}, {"name", "x"}, {"criticality", "huge"}},
                 operator_).status, 400);
  auto members = "/api/v1/cmdb/services/" + id(svc) + "/members";
  auto m = created(members, {{"ciId", id(a)}, {"role", "primary"}});
  created(members, {{"ciId", id(b)}, {"role", "secondary"}});
  EXPECT_EQ(send("POST", members, {{"ciId", id(a)}}, operator_).status, 409);
  EXPECT_EQ(send("POST", members, {{"ciId", "00000000-0000-0000-0000-0000000000ab"}}, operator_).status, 404);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/services/" + id(svc), nullptr, user_).json()["health"], "healthy");
  send("PATCH", "/api/v1/cmdb/cis/" + id(b), {{"status", "maintenance"}}, operator_);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/services/" + id(svc), nullptr, user_).json()["health"], "degraded");
  send("PATCH", "/api/v1/cmdb/cis/" + id(a), {{"status", "retired"}}, operator_);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/services/" + id(svc), nullptr, user_).json()["health"], "down");
  EXPECT_EQ(send("GET", members, nullptr, user_).json()["data"].size(), 2u);
  EXPECT_EQ(send("DELETE", members + "/" + id(m), nullptr, operator_).status, 204);
  EXPECT_EQ(send("GET", members, nullptr, user_).json()["data"].size(), 1u);
}

TEST_F(Cmdb, AnEditThatChangesNothingRecordsNoEvent) {
  auto svc = created("/api/v1/cmdb/services", {{"code", unique("noop")}, {"name", "Same"}, {"criticality", "low"}});
  auto events = [&] {
    return sql("SELECT count(*) FROM ops_events WHERE entity_type = 'cmdb_service' AND entity_id = '" + id(svc) + "'");
  };
  ASSERT_EQ(events(), "1");  // created
  auto same = send("PATCH", "/api/v1/cmdb/services/" + id(svc), {{"name", "Same"}}, operator_);
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(events(), "1");
  auto renamed = send("PATCH", "/api/v1/cmdb/services/" + id(svc), {{"name", "Other"}}, operator_);
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(events(), "2");
  EXPECT_EQ(sql("SELECT payload->'before'->>'name' || '>' || (payload->'after'->>'name') FROM ops_events WHERE "
                "entity_type = 'cmdb_service' AND entity_id = '" + id(svc) + "' AND event_type = 'updated'"),
            "Same>Other");
}

TEST_F(Cmdb, AssetDetailListsLinkedCis) {
  auto asset = send("POST", "/api/v1/assets", {{"assetCode", unique("AS")}}, admin_);
  ASSERT_EQ(asset.status, 201) << asset.body;
  auto t = type("hw");
  auto c = ci(t, "hw", {{"assetId", asset.json()["id"]}});
  auto detail = send("GET", "/api/v1/assets/" + asset.json()["id"].get<std::string>(), nullptr, user_);
  ASSERT_EQ(detail.status, 200) << detail.body;
  ASSERT_EQ(detail.json()["cis"].size(), 1u) << detail.body;
  EXPECT_EQ(detail.json()["cis"][0]["ciCode"], c["ciCode"]);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/cis?assetId=" + asset.json()["id"].get<std::string>(), nullptr, user_)
                .json()["meta"]["total"],
            1);
}

TEST_F(Cmdb, Reports) {
  auto t = type("rep");
  auto lonely = ci(t, "lonely");
  auto a = ci(t, "ra");
  auto b = ci(t, "rb", {{"status", "retired"}});
  link(rel_type("rr"), a, b);
  auto summary = send("GET", "/api/v1/cmdb/reports/summary", nullptr, user_);
  ASSERT_EQ(summary.status, 200) << summary.body;
  EXPECT_GE(summary.json()["total"].get<int>(), 3);
  auto orphans = send("GET", "/api/v1/cmdb/reports/orphans?limit=1000", nullptr, user_).json();
  bool found = false;
  for (auto& o : orphans["data"]) found = found || o["id"] == id(lonely);
  EXPECT_TRUE(found);
  auto retired = send("GET", "/api/v1/cmdb/reports/retired-references?limit=1000", nullptr, user_).json();
  found = false;
  for (auto& r : retired["data"]) found = found || r["toCiId"] == id(b);
  EXPECT_TRUE(found);
  auto top = send("GET", "/api/v1/cmdb/reports/most-connected?limit=5", nullptr, user_);
  ASSERT_EQ(top.status, 200) << top.body;
  EXPECT_FALSE(top.json()["data"].empty());
}

TEST_F(Cmdb, PermissionsPerRole) {
  auto t = type("perm");
  auto c = ci(t, "perm");
  // Users read, never write.
  EXPECT_EQ(send("GET", "/api/v1/cmdb/cis/" + id(c), nullptr, user_).status, 200);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/types", nullptr, user_).status, 200);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/cis/" + id(c) + "/impact", nullptr, user_).status, 200);
  EXPECT_EQ(send("POST", "/api/v1/cmdb/cis", {{"typeId", id(t)}, {"name", "n"}, {"ciCode", unique("n")}}, user_).status,
            403);
  EXPECT_EQ(send("PATCH", "/api/v1/cmdb/cis/" + id(c), {{"name", "n"}}, user_).status, 403);
  EXPECT_EQ(send("DELETE", "/api/v1/cmdb/cis/" + id(c), nullptr, user_).status, 403);
  EXPECT_EQ(send("POST", "/api/v1/cmdb/types", {{"code", unique("t")}, {"name", "t"}}, user_).status, 403);
  EXPECT_EQ(send("POST", "/api/v1/cmdb/services", {{"code", unique("s")}, {"name", "s"}}, user_).status, 403);
  // Anonymous: 401.
  EXPECT_EQ(client.get("/api/v1/cmdb/cis").status, 401);
  // Admins and super_admins write.
  EXPECT_EQ(send("PATCH", "/api/v1/cmdb/cis/" + id(c), {{"notes", "by admin"}}, operator_).status, 200);
  EXPECT_EQ(send("PATCH", "/api/v1/cmdb/cis/" + id(c), {{"notes", "by super"}}, admin_).status, 200);
}
