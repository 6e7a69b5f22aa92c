// The tool registry over REST: GET /api/tools (what the caller may use), POST /api/tools/{name}/invoke —
// schema errors (400 naming every argument), role filtering (an admin-only tool is neither listed nor
// runnable for a user), unknown tools (404), the asset / location / usage tools on live data, a slow tool
// timing out (the test-only test_sleep, NETOPS_TOOLS_TEST_TOOLS=true) and the audit row of every run.
#include <algorithm>

#include "support/api.hpp"

using namespace netops::test;

namespace {

std::vector<std::string> names(const json& list) {
  std::vector<std::string> out;
  for (const auto& t : list) out.push_back(t["name"]);
  return out;
}
bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::vector<std::string> error_fields(const HttpResponse& r) {
  std::vector<std::string> out;
  auto j = r.json();
  for (const auto& e : j["error"]["details"]["errors"]) out.push_back(e["field"]);
  return out;
}

}  // namespace

class Tools : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.env = {{"NETOPS_TOOLS_TEST_TOOLS", "true"}};
    o.suite = "tools";
    start_server(o, /*with_user=*/true);
  }
  HttpResponse invoke(const std::string& name, const json& args, const std::string& token) {
    return client.post("/api/tools/" + name + "/invoke", args, bearer(token));
  }
  json make_location(const std::string& name, const json& parent = nullptr) {
    json b = {{"name", name}};
    if (!parent.is_null()) b["parentId"] = parent;
    auto r = client.post("/api/v1/locations", b, bearer(admin_));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  json make_asset(json body) {
    auto r = client.post("/api/v1/assets", body, bearer(admin_));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
};

TEST_F(Tools, ListsTheToolsTheCallerMayUseWithSchemas) {
  auto u = client.get("/api/tools", bearer(user_));
  ASSERT_EQ(u.status, 200) << u.body;
  auto user_tools = names(u.json()["data"]);
  for (const char* n : {"find_assets", "get_asset", "find_location", "my_usage", "test_sleep"})
    EXPECT_TRUE(has(user_tools, n)) << n;
  EXPECT_FALSE(has(user_tools, "audit_log"));
  const json listed = u.json();
  for (const auto& t : listed["data"]) {
    EXPECT_EQ(t["inputSchema"]["type"], "object") << t.dump();
    EXPECT_TRUE(t["description"].is_string() && !t["description"].get<std::string>().empty());
    EXPECT_EQ(t["minRole"], "user");
  }
  auto a = client.get("/api/tools", bearer(admin_));
  ASSERT_EQ(a.status, 200);
  EXPECT_TRUE(has(names(a.json()["data"]), "audit_log"));
  EXPECT_EQ(client.get("/api/tools").status, 401);
  // Scripts: an API key with the mcp scope (a default) reaches the same tools as through /mcp.
  std::string key = create_api_key(server_->port(), user_, {{"name", unique("script")}})["key"];
  EXPECT_EQ(client.get("/api/tools", bearer(key)).status, 200);
  EXPECT_EQ(invoke("my_usage", json::object(), key).status, 200);
  std::string read_only = create_api_key(server_->port(), user_, {{"name", unique("ro")}, {"scopes", {"read"}}})["key"];
  EXPECT_EQ(client.get("/api/tools", bearer(read_only)).status, 403);
}

TEST_F(Tools, AUserCannotRunAnAdminTool) {
  auto r = invoke("audit_log", json::object(), user_);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "FORBIDDEN");
  auto ok = invoke("audit_log", {{"limit", 5}}, admin_);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(ok.json()["result"]["items"].is_array());
}

TEST_F(Tools, UnknownToolIs404) {
  auto r = invoke("no_such_tool", json::object(), user_);
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "NOT_FOUND");
}

TEST_F(Tools, ArgumentsAreValidatedAgainstTheSchemaWithEveryError) {
  auto r = invoke("find_assets", {{"query", 5}, {"limit", 500}, {"status", {"broken"}}, {"extra", true}}, user_);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "VALIDATION_ERROR");
  auto fields = error_fields(r);
  for (const char* f : {"arguments.query", "arguments.limit", "arguments.status[0]", "arguments.extra"})
    EXPECT_TRUE(has(fields, f)) << f << " in " << r.body;
  auto pattern = invoke("get_asset", {{"id", "not-a-uuid"}}, user_);
  EXPECT_EQ(pattern.status, 400) << pattern.body;
  EXPECT_TRUE(has(error_fields(pattern), "arguments.id"));
  auto required = invoke("test_sleep", json::object(), user_);
  EXPECT_EQ(required.status, 400);
  EXPECT_TRUE(has(error_fields(required), "arguments.ms"));
  auto not_object = client.request("POST", "/api/tools/find_assets/invoke", "[1,2]", bearer(user_));
  EXPECT_EQ(not_object.status, 400) << not_object.body;
}

TEST_F(Tools, FindAssetsAndAssetDetailAnswerFromLiveData) {
  auto site = make_location(unique("Site"));
  std::string host = unique("sw-core");
  std::transform(host.begin(), host.end(), host.begin(), ::tolower);
  auto asset = make_asset({{"assetCode", unique("TL")}, {"hostname", host}, {"mgmtIp", "10.77.3.9"},
                           {"locationId", site["id"]}});
  auto by_host = invoke("find_assets", {{"query", host}}, user_);
  ASSERT_EQ(by_host.status, 200) << by_host.body;
  auto res = by_host.json()["result"];
  ASSERT_EQ(res["total"], 1) << res.dump();
  EXPECT_EQ(res["items"][0]["id"], asset["id"]);
  auto by_cidr = invoke("find_assets", {{"query", "10.77.3.0/24"}, {"locationId", site["id"]}}, user_);
  ASSERT_EQ(by_cidr.status, 200) << by_cidr.body;
  EXPECT_EQ(by_cidr.json()["result"]["total"], 1);

  auto detail = invoke("get_asset", {{"code", asset["assetCode"]}}, user_);
  ASSERT_EQ(detail.status, 200) << detail.body;
  auto d = detail.json()["result"];
  EXPECT_EQ(d["asset"]["id"], asset["id"]);
  EXPECT_GE(d["timeline"].size(), 1u) << d.dump();
  auto by_id = invoke("get_asset", {{"id", asset["id"]}, {"events", 0}}, user_);
  ASSERT_EQ(by_id.status, 200) << by_id.body;
  EXPECT_EQ(by_id.json()["result"]["timeline"].size(), 0u);

  auto missing = invoke("get_asset", {{"code", unique("NOPE")}}, user_);
  EXPECT_EQ(missing.status, 404) << missing.body;
}

TEST_F(Tools, LocationLookupAndOwnUsage) {
  std::string name = unique("Building");
  auto b = make_location(name);
  make_location(unique("Floor"), b["id"]);
  auto r = invoke("find_location", {{"name", name}}, user_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto res = r.json()["result"];
  ASSERT_EQ(res["matches"].size(), 1u) << res.dump();
  EXPECT_TRUE(res.contains("tree")) << res.dump();
  auto u = invoke("my_usage", {{"days", 7}}, user_);
  ASSERT_EQ(u.status, 200) << u.body;
  EXPECT_EQ(u.json()["result"]["userId"], user_id_);
}

TEST_F(Tools, ASlowToolTimesOut) {
  auto slow = invoke("test_sleep", {{"ms", 3000}}, user_);
  EXPECT_EQ(slow.status, 504) << slow.body;
  auto quick = invoke("test_sleep", {{"ms", 1}}, user_);
  ASSERT_EQ(quick.status, 200) << quick.body;
  EXPECT_EQ(quick.json()["result"]["slept"], 1);
}

TEST_F(Tools, EveryRunIsAuditedWithTheRequestId) {
  auto r = invoke("find_location", {{"name", unique("nowhere")}}, user_);
  ASSERT_EQ(r.status, 200) << r.body;
  std::string rid = r.header("x-request-id");
  ASSERT_FALSE(rid.empty());
  EXPECT_TRUE(eventually(
      [&] {
        return sql("SELECT count(*) FROM audit_logs WHERE action = 'tool.invoked' AND resource = 'tool:find_location' "
                   "AND details->>'via' = 'rest' AND details->>'outcome' = 'ok' AND correlation_id::text = '" + rid +
                   "' AND user_id = '" + user_id_ + "'") == "1";
      },
      3000, "the audit row"));
  auto bad = invoke("find_location", {{"name", 5}}, user_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(sql("SELECT count(*) FROM audit_logs WHERE action = 'tool.invoked' AND details->>'outcome' = "
                "'invalid_arguments' AND correlation_id::text = '" + bad.header("x-request-id") + "'"),
            "1");
}

TEST_F(Tools, AWriteToolIsAdminOnlyAndRecordedLikeItsRoute) {
  auto asset = make_asset({{"assetCode", unique("WR")}});
  std::string id = asset["id"];
  auto listed = client.get("/api/tools", bearer(user_)).json();
  for (const auto& t : listed["data"]) EXPECT_NE(t["name"], "set_asset_status");
  auto refused = invoke("set_asset_status", {{"id", id}, {"status", "in_repair"}}, user_);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(sql("SELECT status FROM assets WHERE id = '" + id + "'"), "in_stock");

  auto done = invoke("set_asset_status", {{"id", id}, {"status", "in_repair"}, {"note", "fan failure"}}, admin_);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json()["result"]["asset"]["status"], "in_repair");
  std::string rid = done.header("x-request-id");
  EXPECT_EQ(sql("SELECT count(*) FROM asset_events WHERE asset_id = '" + id + "' AND correlation_id = '" + rid + "'"), "1");
  EXPECT_EQ(sql("SELECT count(*) FROM audit_logs WHERE action = 'tool.invoked' AND resource = 'tool:set_asset_status' "
                "AND correlation_id::text = '" + rid + "' AND details->>'readOnly' = 'false'"),
            "1");
  // The route's rules: disposed → in_use is not an allowed transition (409), as through REST.
  ASSERT_EQ(invoke("set_asset_status", {{"id", id}, {"status", "disposed"}}, admin_).status, 200);
  auto conflict = invoke("set_asset_status", {{"id", id}, {"status", "in_use"}}, admin_);
  EXPECT_EQ(conflict.status, 409) << conflict.body;
}

TEST_F(Tools, MaintenanceTicketToolsRunTheTicketService) {
  auto asset = make_asset({{"assetCode", unique("MT")}});
  std::string id = asset["id"];
  auto opened = invoke("open_maintenance_ticket", {{"assetId", id}, {"title", "PSU fan noise"}, {"severity", "high"}}, user_);
  ASSERT_EQ(opened.status, 200) << opened.body;
  std::string rid = opened.header("x-request-id");
  EXPECT_EQ(sql("SELECT status FROM assets WHERE id = '" + id + "'"), "in_repair");
  EXPECT_EQ(sql("SELECT count(*) FROM asset_events WHERE asset_id = '" + id + "' AND correlation_id = '" + rid + "'"), "1");
  auto listed = invoke("asset_tickets", {{"assetId", id}}, user_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json()["result"]["items"].size(), 1u) << listed.body;
  EXPECT_EQ(listed.json()["result"]["items"][0]["title"], "PSU fan noise");
  auto bad = invoke("open_maintenance_ticket", {{"assetId", id}, {"title", "x"}, {"severity", "urgent"}}, user_);
  EXPECT_EQ(bad.status, 400) << bad.body;
}
