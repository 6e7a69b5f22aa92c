// The operations tools over REST (POST /api/tools/{name}/invoke) on live data: CMDB (ci_impact with paths
// and services, ci_graph, service_dependencies), warehouse (part_stock, reorder_list,
// create_stock_issue_draft — a write tool, admin only, never posts), repair (asset_repairs, open by
// default) and workflow (submit_workflow_request — a write tool with the route's payload validation). Role
// filtering: a user neither sees nor runs a write tool above their role. Results are checked against the
// database.
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

class ToolsOps : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = "toolsops";
    o.env["NETOPS_RATE_LIMIT_FREE"] = "0";
    start_server(o, /*with_user=*/true);
  }
  HttpResponse invoke(const std::string& name, const json& args, const std::string& token) {
    return client.post("/api/tools/" + name + "/invoke", args, bearer(token));
  }
  json created(const std::string& path, const json& body) {
    auto r = client.post(path, body, bearer(admin_));
    EXPECT_EQ(r.status, 201) << path << " " << r.body;
    return r.status == 201 ? r.json() : json::object();
  }
  static std::string id(const json& j) { return j.value("id", std::string()); }
};

TEST_F(ToolsOps, TheNewToolsAreListedWithSchemasAndWriteToolsFollowTheRouteRoles) {
  auto u = client.get("/api/tools", bearer(user_));
  ASSERT_EQ(u.status, 200) << u.body;
  auto user_tools = names(u.json()["data"]);
  for (const char* n : {"ci_impact", "ci_graph", "service_dependencies", "part_stock", "reorder_list", "asset_repairs",
                        "submit_workflow_request"})
    EXPECT_TRUE(has(user_tools, n)) << n;
  // POST /api/v1/warehouse/documents is admin: a user neither sees nor runs the draft tool.
  EXPECT_FALSE(has(user_tools, "create_stock_issue_draft"));
  auto a = client.get("/api/tools", bearer(admin_));
  ASSERT_EQ(a.status, 200);
  const json admin_list = a.json();
  EXPECT_TRUE(has(names(admin_list["data"]), "create_stock_issue_draft"));
  for (const auto& t : admin_list["data"]) {
    if (t["name"] == "create_stock_issue_draft") {
      EXPECT_EQ(t["minRole"], "admin");
      EXPECT_EQ(t["readOnly"], false);
      EXPECT_EQ(t["inputSchema"]["required"], json::array({"warehouseId", "lines"}));
    }
    if (t["name"] == "submit_workflow_request") {
      EXPECT_EQ(t["readOnly"], false);
    }
    if (t["name"] == "ci_impact") {
      EXPECT_TRUE(t["outputSchema"].is_object()) << t.dump();
    }
  }
  auto refused = invoke("create_stock_issue_draft",
                        {{"warehouseId", "00000000-0000-0000-0000-000000000001"},
                         {"lines", {{{"partId", "00000000-0000-0000-0000-000000000002"}, {"qty", 1}}}}},
                        user_);
  EXPECT_EQ(refused.status, 403) << refused.body;
}

TEST_F(ToolsOps, CiImpactGivesPathsAndServicesAndTheGraphAndServiceDependencies) {
  auto t = created("/api/v1/cmdb/types", {{"code", unique("layer")}, {"name", "layer"}});
  auto rt = created("/api/v1/cmdb/relationship-types", {{"code", unique("runs_on")}, {"name", "runs on"}});
  auto ci = [&](const std::string& prefix) {
    return created("/api/v1/cmdb/cis", {{"typeId", id(t)}, {"name", prefix}, {"ciCode", unique(prefix)}});
  };
  auto link = [&](const json& from, const json& to) {
    created("/api/v1/cmdb/relationships", {{"relTypeId", id(rt)}, {"fromCiId", id(from)}, {"toCiId", id(to)}});
  };
  auto sw = ci("sw-core"), host = ci("host"), app = ci("app");
  link(host, sw);
  link(app, host);
  auto svc = created("/api/v1/cmdb/services", {{"code", unique("shop")}, {"name", unique("Shop")}, {"criticality", "critical"}});
  created("/api/v1/cmdb/services/" + id(svc) + "/members", {{"ciId", id(app)}, {"role", "primary"}});

  // By code, as a model would ask ("what breaks if sw-core-01 goes down").
  auto r = invoke("ci_impact", {{"ci", sw["ciCode"]}}, user_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json()["result"];
  EXPECT_EQ(j["roots"][0]["id"], id(sw));
  ASSERT_EQ(j["cis"].size(), 2u) << j.dump();
  EXPECT_EQ(j["cis"][1]["ciCode"], app["ciCode"]);
  EXPECT_EQ(j["cis"][1]["path"], json::array({app["ciCode"], host["ciCode"], sw["ciCode"]}));
  EXPECT_EQ(j["cis"][1]["impact"], "impacted");
  ASSERT_EQ(j["services"].size(), 1u);
  EXPECT_EQ(j["services"][0]["code"], svc["code"]);
  EXPECT_EQ(j["services"][0]["via"]["ciCode"], app["ciCode"]);
  // The same as the REST route.
  auto route = client.get("/api/v1/cmdb/cis/" + id(sw) + "/impact", bearer(user_));
  ASSERT_EQ(route.status, 200);
  EXPECT_EQ(route.json()["cis"], j["cis"]);
  // By id, with a limit: the answer says how many were left out.
  auto limited = invoke("ci_impact", {{"ciId", id(sw)}, {"limit", 1}}, user_);
  ASSERT_EQ(limited.status, 200) << limited.body;
  EXPECT_EQ(limited.json()["result"]["cis"].size(), 1u);
  EXPECT_EQ(limited.json()["result"]["omitted"]["cis"], 1);

  auto g = invoke("ci_graph", {{"ciId", id(host)}}, user_);
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(g.json()["result"]["nodes"].size(), 3u) << g.body;
  EXPECT_EQ(g.json()["result"]["edges"].size(), 2u) << g.body;

  auto deps = invoke("service_dependencies", {{"service", svc["code"]}}, user_);
  ASSERT_EQ(deps.status, 200) << deps.body;
  auto d = deps.json()["result"];
  EXPECT_EQ(d["service"]["id"], id(svc));
  ASSERT_EQ(d["dependencies"].size(), 2u) << d.dump();
  EXPECT_EQ(d["dependencies"][1]["ciCode"], sw["ciCode"]);

  // Arguments and unknown CIs.
  auto bad = invoke("ci_impact", {{"ciId", "nope"}, {"depth", 11}, {"direction", "sideways"}}, user_);
  ASSERT_EQ(bad.status, 400) << bad.body;
  auto fields = error_fields(bad);
  for (const char* f : {"arguments.ciId", "arguments.depth", "arguments.direction"}) EXPECT_TRUE(has(fields, f)) << f;
  EXPECT_EQ(invoke("ci_impact", json::object(), user_).status, 400);
  EXPECT_EQ(invoke("ci_impact", {{"ci", unique("no-such-ci")}}, user_).status, 404);
  EXPECT_EQ(invoke("ci_graph", {{"ciId", "00000000-0000-4000-8000-000000000000"}}, user_).status, 404);
  // Several CIs match a text: 422 with the candidates.
  std::string twin = unique("twin");
  created("/api/v1/cmdb/cis", {{"typeId", id(t)}, {"name", twin + " A"}, {"ciCode", unique("ta")}});
  created("/api/v1/cmdb/cis", {{"typeId", id(t)}, {"name", twin + " B"}, {"ciCode", unique("tb")}});
  auto several = invoke("ci_impact", {{"ci", twin}}, user_);
  ASSERT_EQ(several.status, 422) << several.body;
  EXPECT_EQ(several.json()["error"]["details"]["candidates"].size(), 2u) << several.body;
  auto exact = invoke("ci_impact", {{"ci", twin + " B"}}, user_);
  EXPECT_EQ(exact.status, 200) << exact.body;
}

TEST_F(ToolsOps, PartStockAndTheReorderListMatchTheDatabase) {
  auto wh1 = created("/api/v1/warehouse/warehouses", {{"code", unique("WA")}, {"name", "Store A"}});
  auto wh2 = created("/api/v1/warehouse/warehouses", {{"code", unique("WB")}, {"name", "Store B"}});
  std::string code = unique("SFP-LR");
  auto part = created("/api/v1/warehouse/parts", {{"partCode", code}, {"name", "10G LR optic"}, {"minLevel", 10}});
  auto receive = [&](const json& wh, int qty) {
    auto r = client.post("/api/v1/warehouse/documents?post=true",
                         {{"docType", "receipt"},
                          {"warehouseId", id(wh)},
                          {"lines", {{{"partId", id(part)}, {"qty", qty}, {"unitCost", "120.00"}}}}},
                         bearer(admin_));
    ASSERT_EQ(r.status, 201) << r.body;
  };
  receive(wh1, 3);
  receive(wh2, 4);

  auto by_code = invoke("part_stock", {{"part", code}}, user_);
  ASSERT_EQ(by_code.status, 200) << by_code.body;
  auto s = by_code.json()["result"];
  ASSERT_EQ(s["items"].size(), 2u) << s.dump();
  ASSERT_EQ(s["parts"].size(), 1u);
  EXPECT_EQ(s["parts"][0]["onHand"], 7);
  EXPECT_EQ(s["parts"][0]["warehouses"], 2);
  EXPECT_EQ(std::to_string(s["parts"][0]["onHand"].get<int>()),
            sql("SELECT sum(on_hand) FROM spare_part_stock WHERE part_id = '" + id(part) + "'"));
  auto one = invoke("part_stock", {{"partId", id(part)}, {"warehouseId", id(wh2)}}, user_);
  ASSERT_EQ(one.status, 200) << one.body;
  ASSERT_EQ(one.json()["result"]["items"].size(), 1u);
  EXPECT_EQ(one.json()["result"]["items"][0]["onHand"], 4);
  EXPECT_EQ(invoke("part_stock", json::object(), user_).status, 400);
  EXPECT_EQ(invoke("part_stock", {{"part", code}, {"limit", 1000}}, user_).status, 400);

  // 7 available ≤ minLevel 10: on the reorder list with shortage 3 (the route's answer).
  auto reorder = invoke("reorder_list", {{"limit", 200}}, user_);
  ASSERT_EQ(reorder.status, 200) << reorder.body;
  bool found = false;
  auto items = reorder.json()["result"]["items"];
  for (const auto& i : items)
    if (i["partId"] == id(part)) {
      found = true;
      EXPECT_EQ(i["shortage"], 3);
      EXPECT_EQ(i["available"], 7);
    }
  EXPECT_TRUE(found) << reorder.body;
  auto in_wh1 = invoke("reorder_list", {{"warehouseId", id(wh1)}, {"limit", 200}}, user_);
  ASSERT_EQ(in_wh1.status, 200);
  for (const auto& i : in_wh1.json()["result"]["items"])
    if (i["partId"] == id(part)) {
      EXPECT_EQ(i["available"], 3);
    }
}

TEST_F(ToolsOps, AStockIssueDraftIsCreatedButNeverPosted) {
  auto wh = created("/api/v1/warehouse/warehouses", {{"code", unique("WD")}, {"name", "Store D"}});
  auto part = created("/api/v1/warehouse/parts", {{"partCode", unique("PSU")}, {"name", "PSU"}, {"minLevel", 0}});
  auto r = invoke("create_stock_issue_draft",
                  {{"warehouseId", id(wh)}, {"lines", {{{"partId", id(part)}, {"qty", 2}}}}, {"note", "for sw-core-01"}},
                  admin_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = r.json()["result"]["document"];
  EXPECT_EQ(doc["docType"], "issue");
  EXPECT_EQ(doc["status"], "draft");
  std::string doc_id = doc["id"];
  EXPECT_EQ(sql("SELECT status || '/' || doc_type FROM stock_documents WHERE id = '" + doc_id + "'"), "draft/issue");
  EXPECT_EQ(sql("SELECT count(*) FROM stock_document_lines WHERE document_id = '" + doc_id + "'"), "1");
  // Nothing moved (there is no stock at all: a posting would have been refused).
  EXPECT_EQ(sql("SELECT count(*) FROM spare_part_movements WHERE part_id = '" + id(part) + "'"), "0");
  EXPECT_EQ(sql("SELECT count(*) FROM audit_logs WHERE action = 'tool.invoked' AND resource = "
                "'tool:create_stock_issue_draft' AND correlation_id::text = '" + r.header("x-request-id") + "'"),
            "1");
  // The route's body rules: bad lines are 400 naming the field; an unknown warehouse is refused like the route.
  auto bad = invoke("create_stock_issue_draft", {{"warehouseId", id(wh)}, {"lines", {{{"partId", id(part)}, {"qty", 0}}}}},
                    admin_);
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_TRUE(has(error_fields(bad), "arguments.lines[0].qty")) << bad.body;
  auto empty = invoke("create_stock_issue_draft", {{"warehouseId", id(wh)}, {"lines", json::array()}}, admin_);
  EXPECT_EQ(empty.status, 400) << empty.body;
  auto post_field = invoke("create_stock_issue_draft",
                           {{"warehouseId", id(wh)}, {"lines", {{{"partId", id(part)}, {"qty", 1}}}}, {"post", true}}, admin_);
  EXPECT_EQ(post_field.status, 400) << post_field.body;
  auto ghost = invoke("create_stock_issue_draft",
                      {{"warehouseId", "00000000-0000-4000-8000-000000000000"}, {"lines", {{{"partId", id(part)}, {"qty", 1}}}}},
                      admin_);
  auto route = client.post("/api/v1/warehouse/documents",
                           {{"docType", "issue"},
                            {"warehouseId", "00000000-0000-4000-8000-000000000000"},
                            {"lines", {{{"partId", id(part)}, {"qty", 1}}}}},
                           bearer(admin_));
  EXPECT_EQ(ghost.status, route.status) << ghost.body << " vs " << route.body;
  EXPECT_GE(ghost.status, 400);
}

TEST_F(ToolsOps, AssetRepairsListsTheOpenOrdersByDefault) {
  auto asset = created("/api/v1/assets", {{"assetCode", unique("RP")}});
  auto open = created("/api/v1/maintenance/repair-orders", {{"assetId", id(asset)}, {"title", "PSU failure"}, {"severity", "high"}});
  auto closed = created("/api/v1/maintenance/repair-orders", {{"assetId", id(asset)}, {"title", "fan"}, {"severity", "low"}});
  auto c = client.post("/api/v1/maintenance/repair-orders/" + id(closed) + "/status", {{"status", "canceled"}}, bearer(admin_));
  ASSERT_EQ(c.status, 200) << c.body;
  auto r = invoke("asset_repairs", {{"assetId", id(asset)}}, user_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto items = r.json()["result"]["items"];
  ASSERT_EQ(items.size(), 1u) << r.body;
  EXPECT_EQ(items[0]["id"], id(open));
  EXPECT_EQ(sql("SELECT count(*) FROM repair_orders WHERE asset_id = '" + id(asset) +
                "' AND status NOT IN ('closed', 'canceled')"),
            "1");
  auto all = invoke("asset_repairs", {{"assetId", id(asset)}, {"status", "all"}}, user_);
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.json()["result"]["total"], 2);
  auto canceled = invoke("asset_repairs", {{"assetId", id(asset)}, {"status", "canceled"}}, user_);
  ASSERT_EQ(canceled.status, 200);
  ASSERT_EQ(canceled.json()["result"]["items"].size(), 1u);
  EXPECT_EQ(canceled.json()["result"]["items"][0]["id"], id(closed));
  auto bad = invoke("asset_repairs", {{"assetId", id(asset)}, {"status", "broken"}}, user_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(has(error_fields(bad), "arguments.status"));
}

TEST_F(ToolsOps, SubmitWorkflowRequestValidatesLikeTheRouteAndRecordsTheSubmission) {
  auto asset = created("/api/v1/assets", {{"assetCode", unique("WF")}});
  // The route's payload rule: a move needs payload.locationId.
  auto bad = invoke("submit_workflow_request", {{"requestType", "move"}, {"assetId", id(asset)}}, user_);
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_TRUE(has(error_fields(bad), "payload.locationId") || has(error_fields(bad), "arguments.payload.locationId"))
      << bad.body;
  auto route = client.post("/api/v1/workflows", {{"requestType", "move"}, {"assetId", id(asset)}}, bearer(user_));
  EXPECT_EQ(route.status, 400);
  EXPECT_EQ(invoke("submit_workflow_request", {{"requestType", "steal"}, {"assetId", id(asset)}}, user_).status, 400);

  auto r = invoke("submit_workflow_request",
                  {{"requestType", "repair"}, {"assetId", id(asset)}, {"payload", {{"note", "fan noise"}}}}, user_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto w = r.json()["result"]["request"];
  EXPECT_EQ(w["status"], "submitted");
  EXPECT_EQ(w["requestedBy"], user_id_);
  std::string rid = r.header("x-request-id");
  EXPECT_EQ(sql("SELECT count(*) FROM workflow_requests WHERE id = '" + w["id"].get<std::string>() +
                "' AND requested_by = '" + user_id_ + "'"),
            "1");
  EXPECT_EQ(sql("SELECT count(*) FROM asset_events WHERE asset_id = '" + id(asset) +
                "' AND event_type = 'REQUEST_SUBMITTED' AND correlation_id = '" + rid + "'"),
            "1");
  EXPECT_EQ(sql("SELECT count(*) FROM audit_logs WHERE action = 'workflow.submitted' AND correlation_id::text = '" +
                rid + "'"),
            "1");
  // Nothing changed on the asset until approval.
  EXPECT_EQ(sql("SELECT status FROM assets WHERE id = '" + id(asset) + "'"), "in_stock");
}
