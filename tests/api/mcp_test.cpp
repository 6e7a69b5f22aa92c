// The MCP server at /mcp over real HTTP, as an MCP client drives it: initialize (version negotiation,
// Mcp-Session-Id) → notifications/initialized (202) → ping → tools/list → tools/call (structuredContent,
// isError for bad arguments, -32602 for an unknown tool) → DELETE; the transport's refusals (missing
// session 400, unknown 404, wrong MCP-Protocol-Version 400, GET 405, foreign Origin 403); a revoked key;
// tools limited to the key owner's role; every call audited.
#include <algorithm>

#include "support/api.hpp"

using namespace netops::test;

namespace {

Headers with(Headers h, const Headers& more) {
  h.insert(h.end(), more.begin(), more.end());
  return h;
}

}  // namespace

class Mcp : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = "mcp";
    start_server(o, /*with_user=*/true);
  }

  HttpResponse post(const json& msg, const Headers& h) {
    return client.request("POST", "/mcp", msg.dump(),
                          with(h, {{"Content-Type", "application/json"}, {"Accept", "application/json, text/event-stream"}}));
  }
  static json request(int id, const std::string& method, json params = json::object()) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
  }
  // initialize → the session id (and checks the answer).
  std::string initialize(const Headers& auth, const std::string& version = "2025-11-25") {
    auto r = post(request(1, "initialize",
                          {{"protocolVersion", version},
                           {"capabilities", json::object()},
                           {"clientInfo", {{"name", "test-client"}, {"version", "1.0"}}}}),
                  auth);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos);
    return r.header("mcp-session-id");
  }
  static Headers session(const Headers& auth, const std::string& sid, const std::string& version = "2025-11-25") {
    return with(auth, {{"Mcp-Session-Id", sid}, {"MCP-Protocol-Version", version}});
  }
  std::string user_key() {
    return create_api_key(server_->port(), user_, {{"name", unique("mcp")}})["key"].get<std::string>();
  }
};

TEST_F(Mcp, AScriptedSession) {
  Headers auth = bearer(user_key());
  auto init = post(request(1, "initialize",
                           {{"protocolVersion", "2025-11-25"},
                            {"capabilities", json::object()},
                            {"clientInfo", {{"name", "test-client"}, {"version", "1.0"}}}}),
                   auth);
  ASSERT_EQ(init.status, 200) << init.body;
  auto res = init.json();
  EXPECT_EQ(res["jsonrpc"], "2.0");
  EXPECT_EQ(res["id"], 1);
  EXPECT_EQ(res["result"]["protocolVersion"], "2025-11-25");
  EXPECT_TRUE(res["result"]["capabilities"].contains("tools"));
  EXPECT_EQ(res["result"]["serverInfo"]["name"], "netops-gateway");
  std::string sid = init.header("mcp-session-id");
  ASSERT_GE(sid.size(), 16u);
  Headers h = session(auth, sid);

  auto initialized = post({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}, h);
  EXPECT_EQ(initialized.status, 202) << initialized.body;
  EXPECT_TRUE(initialized.body.empty());

  auto ping = post(request(2, "ping"), h);
  ASSERT_EQ(ping.status, 200) << ping.body;
  EXPECT_EQ(ping.json()["result"], json::object());
  EXPECT_EQ(ping.json()["id"], 2);

  auto list = post(request(3, "tools/list"), h);
  ASSERT_EQ(list.status, 200) << list.body;
  std::vector<std::string> names;
  const json listed = list.json();
  for (const auto& t : listed["result"]["tools"]) {
    names.push_back(t["name"]);
    EXPECT_EQ(t["inputSchema"]["type"], "object") << t.dump();
    EXPECT_TRUE(t["annotations"]["readOnlyHint"].is_boolean());
  }
  EXPECT_NE(std::find(names.begin(), names.end(), "find_assets"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "audit_log"), names.end()) << "admin-only tool listed to a user";
  for (const auto& t : listed["result"]["tools"]) {
    if (t["name"] == "find_assets") {
      EXPECT_EQ(t["outputSchema"]["type"], "object");
    }
  }
  // The operations tools (CMDB, warehouse, repair, workflow) with their schemas; the admin-only draft
  // tool is not listed to a user.
  for (const char* n : {"ci_impact", "ci_graph", "service_dependencies", "part_stock", "reorder_list", "asset_repairs",
                        "submit_workflow_request"}) {
    auto it = std::find_if(listed["result"]["tools"].begin(), listed["result"]["tools"].end(),
                           [&](const json& t) { return t["name"] == n; });
    ASSERT_NE(it, listed["result"]["tools"].end()) << n;
    EXPECT_EQ((*it)["inputSchema"]["type"], "object") << it->dump();
    EXPECT_TRUE((*it)["inputSchema"]["properties"].is_object()) << it->dump();
    EXPECT_EQ((*it)["outputSchema"]["type"], "object") << it->dump();
    EXPECT_EQ((*it)["annotations"]["readOnlyHint"], std::string(n) != "submit_workflow_request") << it->dump();
  }
  EXPECT_EQ(std::find(names.begin(), names.end(), "create_stock_issue_draft"), names.end());

  auto call = post(request(4, "tools/call", {{"name", "find_location"}, {"arguments", {{"name", unique("Nowhere")}}}}), h);
  ASSERT_EQ(call.status, 200) << call.body;
  auto result = call.json()["result"];
  EXPECT_EQ(result["isError"], false) << result.dump();
  ASSERT_TRUE(result["structuredContent"].is_object());
  EXPECT_TRUE(result["structuredContent"]["matches"].is_array());
  ASSERT_EQ(result["content"][0]["type"], "text");
  EXPECT_EQ(json::parse(result["content"][0]["text"].get<std::string>()), result["structuredContent"]);

  // An operations tool over MCP: the reorder list, its structuredContent as its output schema says; a CI
  // that does not exist is the tool's own failure (isError), not a JSON-RPC error.
  auto reorder = post(request(40, "tools/call", {{"name", "reorder_list"}, {"arguments", {{"limit", 5}}}}), h);
  ASSERT_EQ(reorder.status, 200) << reorder.body;
  auto reorder_result = reorder.json()["result"];
  EXPECT_EQ(reorder_result["isError"], false) << reorder_result.dump();
  EXPECT_TRUE(reorder_result["structuredContent"]["items"].is_array()) << reorder_result.dump();
  EXPECT_TRUE(reorder_result["structuredContent"]["total"].is_number_integer()) << reorder_result.dump();
  auto no_ci = post(request(41, "tools/call", {{"name", "ci_impact"}, {"arguments", {{"ci", unique("no-such-ci")}}}}), h);
  ASSERT_EQ(no_ci.status, 200) << no_ci.body;
  EXPECT_EQ(no_ci.json()["result"]["isError"], true) << no_ci.body;
  EXPECT_FALSE(no_ci.json().contains("error")) << no_ci.body;

  auto bad = post(request(5, "tools/call", {{"name", "find_assets"}, {"arguments", {{"limit", 500}, {"query", 7}}}}), h);
  ASSERT_EQ(bad.status, 200) << bad.body;
  EXPECT_EQ(bad.json()["result"]["isError"], true) << bad.body;
  std::string text = bad.json()["result"]["content"][0]["text"];
  EXPECT_NE(text.find("arguments.limit"), std::string::npos) << text;
  EXPECT_NE(text.find("arguments.query"), std::string::npos) << text;

  auto unknown = post(request(6, "tools/call", {{"name", "no_such_tool"}, {"arguments", json::object()}}), h);
  ASSERT_EQ(unknown.status, 200) << unknown.body;
  EXPECT_EQ(unknown.json()["error"]["code"], -32602);
  auto admin_only = post(request(7, "tools/call", {{"name", "audit_log"}, {"arguments", json::object()}}), h);
  EXPECT_EQ(admin_only.json()["error"]["code"], -32602) << admin_only.body;
  auto no_method = post(request(8, "resources/list"), h);
  EXPECT_EQ(no_method.json()["error"]["code"], -32601) << no_method.body;

  auto del = client.request("DELETE", "/mcp", "", h);
  EXPECT_EQ(del.status, 204) << del.body;
  auto after = post(request(9, "ping"), h);
  EXPECT_EQ(after.status, 404) << after.body;
}

TEST_F(Mcp, TransportRefusals) {
  Headers auth = bearer(user_key());
  std::string sid = initialize(auth);
  ASSERT_FALSE(sid.empty());
  auto missing = post(request(1, "ping"), with(auth, {{"MCP-Protocol-Version", "2025-11-25"}}));
  EXPECT_EQ(missing.status, 400) << missing.body;
  auto unknown = post(request(1, "ping"), session(auth, "no-such-session-0123456789"));
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  auto version = post(request(1, "ping"), session(auth, sid, "1999-01-01"));
  EXPECT_EQ(version.status, 400) << version.body;
  auto get = client.request("GET", "/mcp", "", session(auth, sid));
  EXPECT_EQ(get.status, 405) << get.body;
  auto foreign = post(request(1, "ping"), with(session(auth, sid), {{"Origin", "https://evil.example.com"}}));
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  auto local = post(request(1, "ping"), with(session(auth, sid), {{"Origin", "http://localhost:6274"}}));
  EXPECT_EQ(local.status, 200) << local.body;
  auto garbage = client.request("POST", "/mcp", "{not json", with(session(auth, sid), {{"Content-Type", "application/json"}}));
  EXPECT_EQ(garbage.status, 400);
  EXPECT_EQ(garbage.json()["error"]["code"], -32700);
  auto batch = client.request("POST", "/mcp", json::array({request(1, "ping")}).dump(), session(auth, sid));
  EXPECT_EQ(batch.status, 400);
  // Someone else's session is as unknown as a made-up one.
  Headers other = bearer(new_user(server_->port(), admin_).token);
  EXPECT_EQ(post(request(1, "ping"), session(other, sid)).status, 404);
  EXPECT_EQ(post(request(1, "ping"), session(auth, sid)).status, 200);
  EXPECT_EQ(client.request("DELETE", "/mcp", "", auth).status, 400);
  EXPECT_EQ(post(request(1, "ping"), {}).status, 401);
}

// Members of the wrong type: a jsonrpc that is not the string "2.0" is an invalid request (it was a 500); a
// clientInfo.name that is not a string is ignored.
TEST_F(Mcp, WrongTypedMembersAreRefusedOrIgnored) {
  Headers auth = bearer(user_key());
  auto bad = post({{"jsonrpc", 2}, {"id", 1}, {"method", "ping"}}, auth);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.json()["error"]["code"], -32600);
  auto init = post(request(1, "initialize",
                           {{"protocolVersion", "2025-11-25"},
                            {"capabilities", json::object()},
                            {"clientInfo", {{"name", 5}, {"version", "1"}}}}),
                   auth);
  EXPECT_EQ(init.status, 200) << init.body;
  EXPECT_FALSE(init.header("mcp-session-id").empty());
}

TEST_F(Mcp, VersionNegotiation) {
  Headers auth = bearer(user_key());
  for (const char* v : {"2025-06-18", "2025-03-26"}) {
    auto r = post(request(1, "initialize", {{"protocolVersion", v}, {"capabilities", json::object()},
                                            {"clientInfo", {{"name", "c"}, {"version", "1"}}}}),
                  auth);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["result"]["protocolVersion"], v);
    EXPECT_EQ(post(request(2, "ping"), session(auth, r.header("mcp-session-id"), v)).status, 200);
  }
  auto old = post(request(1, "initialize", {{"protocolVersion", "2024-01-01"}, {"capabilities", json::object()},
                                            {"clientInfo", {{"name", "c"}, {"version", "1"}}}}),
                  auth);
  EXPECT_EQ(old.json()["result"]["protocolVersion"], "2025-11-25");
}

TEST_F(Mcp, ARevokedKeyIsRefused) {
  auto key = create_api_key(server_->port(), user_, {{"name", unique("doomed")}});
  Headers auth = bearer(key["key"].get<std::string>());
  std::string sid = initialize(auth);
  Headers h = session(auth, sid);
  ASSERT_EQ(post(request(1, "tools/call", {{"name", "my_usage"}, {"arguments", json::object()}}), h).status, 200);
  auto revoke = client.request("DELETE", "/api/keys/" + key["id"].get<std::string>(), "", bearer(user_));
  ASSERT_TRUE(revoke.status == 204 || revoke.status == 200) << revoke.body;
  EXPECT_TRUE(eventually(
      [&] { return post(request(2, "tools/call", {{"name", "my_usage"}, {"arguments", json::object()}}), h).status == 401; },
      5000, "the revoked key refused"));
}

TEST_F(Mcp, AdminsSeeAdminToolsAndCallsAreAudited) {
  auto key = create_api_key(server_->port(), admin_, {{"name", unique("admin-mcp")}});
  Headers auth = bearer(key["key"].get<std::string>());
  Headers h = session(auth, initialize(auth));
  auto list = post(request(1, "tools/list"), h);
  EXPECT_NE(list.body.find("\"audit_log\""), std::string::npos);
  EXPECT_NE(list.body.find("\"create_stock_issue_draft\""), std::string::npos);
  auto call = post(request(2, "tools/call", {{"name", "audit_log"}, {"arguments", {{"limit", 3}}}}), h);
  ASSERT_EQ(call.status, 200) << call.body;
  EXPECT_EQ(call.json()["result"]["isError"], false);
  std::string rid = call.header("x-request-id");
  EXPECT_EQ(sql("SELECT count(*) FROM audit_logs WHERE action = 'tool.invoked' AND resource = 'tool:audit_log' AND "
                "details->>'via' = 'mcp' AND details->>'apiKeyId' = '" + key["id"].get<std::string>() +
                "' AND correlation_id::text = '" + rid + "'"),
            "1");
  // A login session's access token works too.
  Headers token = bearer(admin_);
  EXPECT_EQ(post(request(1, "ping"), session(token, initialize(token))).status, 200);
}
