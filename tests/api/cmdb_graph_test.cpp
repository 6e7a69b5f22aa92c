// CMDB graph and impact through HTTP: cycles terminate; impact and graph on a generated graph of a few
// thousand CIs (inserted with SQL) agree with a breadth-first search written here; the services affected;
// redundancy (spared / impacted with the reason); direction=both; CSV; POST /cmdb/impact; service
// dependencies.
#include <deque>
#include <map>
#include <set>
#include <sstream>

#include "api/cmdb_fixture.hpp"

const char* const kCmdbSuite = "cmdb_graph";

using namespace cmdb_test;

namespace {

using Adjacency = std::map<std::string, std::vector<std::string>>;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep))
    if (!item.empty()) out.push_back(item);
  return out;
}

// code → shortest distance from root, following `next` (≤ depth), root excluded.
std::map<std::string, int> bfs(const Adjacency& next, const std::string& root, int depth) {
  std::map<std::string, int> dist{{root, 0}};
  std::deque<std::string> q{root};
  while (!q.empty()) {
    auto at = q.front();
    q.pop_front();
    if (dist[at] == depth) continue;
    auto it = next.find(at);
    if (it == next.end()) continue;
    for (auto& n : it->second)
      if (!dist.count(n)) {
        dist[n] = dist[at] + 1;
        q.push_back(n);
      }
  }
  dist.erase(root);
  return dist;
}

}  // namespace

class CmdbGraph : public CmdbApi {};

TEST_F(CmdbGraph, CycleTerminates) {
  auto t = type("cyc");
  auto rt = rel_type("cdep");
  auto a = ci(t, "A");
  auto b = ci(t, "B");
  auto c = ci(t, "C");
  link(rt, a, b);
  link(rt, b, c);
  link(rt, c, a);
  auto r = send("GET", "/api/v1/cmdb/cis/" + id(a) + "/impact?depth=10", nullptr, user_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto cis = r.json()["cis"];
  ASSERT_EQ(cis.size(), 2u) << r.body;  // C (→A) at 1, B (→C) at 2; A itself is the root
  EXPECT_EQ(cis[0]["ciCode"], c["ciCode"]);
  EXPECT_EQ(cis[0]["distance"], 1);
  EXPECT_EQ(cis[1]["ciCode"], b["ciCode"]);
  EXPECT_EQ(cis[1]["distance"], 2);
  EXPECT_EQ(cis[1]["path"], json::array({b["ciCode"], c["ciCode"], a["ciCode"]}));
  auto g = send("GET", "/api/v1/cmdb/cis/" + id(a) + "/graph?depth=10&direction=both", nullptr, user_);
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(g.json()["nodes"].size(), 3u);
  EXPECT_EQ(g.json()["edges"].size(), 3u);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/cis/" + id(a) + "/graph?depth=11", nullptr, user_).status, 400);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/cis/" + id(a) + "/graph?direction=sideways", nullptr, user_).status, 400);
}

TEST_F(CmdbGraph, GeneratedGraphAgreesWithBreadthFirstSearch) {
  auto t = type("gen");
  auto rt = rel_type("gdep");
  const int n = 3000;
  auto prefix = unique("G");
  sql("INSERT INTO cmdb_cis (type_id, name, ci_code) SELECT '" + id(t) + "', 'n' || i, '" + prefix +
      "-' || i FROM generate_series(1, " + std::to_string(n) + ") i");
  // Two pseudo-random dependencies per CI (deterministic), plus some retired ones that must be ignored.
  sql("INSERT INTO cmdb_relationships (rel_type_id, from_ci_id, to_ci_id, status) "
      "SELECT DISTINCT ON (f.id, t.id) '" + id(rt) + "', f.id, t.id, CASE WHEN (i + k) % 11 = 0 THEN 'retired' ELSE 'active' END "
      "FROM generate_series(1, " + std::to_string(n) + ") i CROSS JOIN generate_series(1, 3) k "
      "JOIN cmdb_cis f ON f.ci_code = '" + prefix + "-' || i "
      "JOIN cmdb_cis t ON t.ci_code = '" + prefix + "-' || ((i * 7919 + k * 104729) % " + std::to_string(n) + " + 1) "
      "WHERE f.id <> t.id");
  auto edges = split(sql("SELECT string_agg(f.ci_code || '>' || t.ci_code, ',') FROM cmdb_relationships r "
                         "JOIN cmdb_cis f ON f.id = r.from_ci_id JOIN cmdb_cis t ON t.id = r.to_ci_id "
                         "WHERE r.status = 'active' AND r.rel_type_id = '" + id(rt) + "'"),
                     ',');
  ASSERT_GT(edges.size(), 5000u);
  Adjacency up, down;  // up: to → froms (who depends on it); down: from → tos
  std::set<std::pair<std::string, std::string>> edge_set;
  for (auto& e : edges) {
    auto gt = e.find('>');
    auto from = e.substr(0, gt), to = e.substr(gt + 1);
    up[to].push_back(from);
    down[from].push_back(to);
    edge_set.insert({from, to});
  }
  for (int root_i : {1, 17, 2500}) {
    auto root = prefix + "-" + std::to_string(root_i);
    auto root_id = sql("SELECT id FROM cmdb_cis WHERE ci_code = '" + root + "'");
    for (int depth : {1, 3, 6}) {
      auto expected = bfs(up, root, depth);
      auto r = send("GET", "/api/v1/cmdb/cis/" + root_id + "/impact?depth=" + std::to_string(depth), nullptr, user_);
      ASSERT_EQ(r.status, 200) << r.body;
      std::map<std::string, int> got;
      int last = 0;
      auto r_cis_115 = r.json()["cis"];  // named: a temporary's member dangles in a range-for
      for (auto& c : r_cis_115) {
        auto code = c["ciCode"].get<std::string>();
        int d = c["distance"].get<int>();
        EXPECT_FALSE(got.count(code)) << "duplicate " << code;
        got[code] = d;
        EXPECT_GE(d, last) << "ordered by distance";
        last = d;
        // The path is a real chain of active dependencies from the CI to the root, of length distance.
        auto path = c["path"];
        ASSERT_EQ(path.size(), static_cast<std::size_t>(d + 1)) << c.dump();
        EXPECT_EQ(path.front(), code);
        EXPECT_EQ(path.back(), root);
        for (std::size_t i = 0; i + 1 < path.size(); ++i)
          EXPECT_TRUE(edge_set.count({path[i].get<std::string>(), path[i + 1].get<std::string>()})) << c.dump();
        EXPECT_EQ(c["relTypes"].size(), path.size() - 1);
      }
      EXPECT_EQ(got, expected) << "root " << root << " depth " << depth;
    }
    // Graph, both directions, depth 2: the BFS over both adjacency lists; edges are those among the nodes.
    Adjacency both = up;
    for (auto& [k, v] : down) both[k].insert(both[k].end(), v.begin(), v.end());
    auto expected = bfs(both, root, 2);
    auto g = send("GET", "/api/v1/cmdb/cis/" + root_id + "/graph?depth=2&direction=both", nullptr, user_);
    ASSERT_EQ(g.status, 200) << g.body;
    std::map<std::string, int> got;
    auto g_nodes_140 = g.json()["nodes"];  // named: a temporary's member dangles in a range-for
    for (auto& node : g_nodes_140) {
      EXPECT_FALSE(got.count(node["ciCode"].get<std::string>()));
      got[node["ciCode"].get<std::string>()] = node["distance"].get<int>();
    }
    expected[root] = 0;
    EXPECT_EQ(got, expected);
    std::set<std::pair<std::string, std::string>> expected_edges;
    for (auto& [f, to] : edge_set)
      if (expected.count(f) && expected.count(to)) expected_edges.insert({f, to});
    std::map<std::string, std::string> code_of;
    auto g_nodes_150 = g.json()["nodes"];  // named: a temporary's member dangles in a range-for
    for (auto& node : g_nodes_150) code_of[node["id"].get<std::string>()] = node["ciCode"].get<std::string>();
    std::set<std::pair<std::string, std::string>> got_edges;
    auto g_edges_152 = g.json()["edges"];  // named: a temporary's member dangles in a range-for
    for (auto& e : g_edges_152) got_edges.insert({code_of[e["fromCiId"].get<std::string>()], code_of[e["toCiId"].get<std::string>()]});
    EXPECT_EQ(got_edges, expected_edges);
    EXPECT_EQ(g.json()["edges"].size(), expected_edges.size()) << "no duplicate edges";
    // Downstream graph at depth 2.
    auto expected_down = bfs(down, root, 2);
    expected_down[root] = 0;
    auto gd = send("GET", "/api/v1/cmdb/cis/" + root_id + "/graph?depth=2&direction=downstream", nullptr, user_);
    std::map<std::string, int> got_down;
    auto gd_nodes_160 = gd.json()["nodes"];  // named: a temporary's member dangles in a range-for
    for (auto& node : gd_nodes_160) got_down[node["ciCode"].get<std::string>()] = node["distance"].get<int>();
    EXPECT_EQ(got_down, expected_down);
  }
  // Several CIs at once: the union, each at its nearest distance.
  auto r1 = sql("SELECT id FROM cmdb_cis WHERE ci_code = '" + prefix + "-5'");
  auto r2 = sql("SELECT id FROM cmdb_cis WHERE ci_code = '" + prefix + "-6'");
  auto multi = send("POST", "/api/v1/cmdb/impact?depth=3", {{"ciIds", {r1, r2}}}, user_);
  ASSERT_EQ(multi.status, 200) << multi.body;
  auto e1 = bfs(up, prefix + "-5", 3), e2 = bfs(up, prefix + "-6", 3);
  std::map<std::string, int> expected = e1;
  for (auto& [k, v] : e2)
    if (!expected.count(k) || expected[k] > v) expected[k] = v;
  expected.erase(prefix + "-5");
  expected.erase(prefix + "-6");
  std::map<std::string, int> got;
  auto multi_cis_175 = multi.json()["cis"];  // named: a temporary's member dangles in a range-for
  for (auto& c : multi_cis_175) got[c["ciCode"].get<std::string>()] = c["distance"].get<int>();
  EXPECT_EQ(got, expected);
}

TEST_F(CmdbGraph, ServicesAffectedAndDirections) {
  auto t = type("layer");
  auto rt = rel_type("runs_on");
  auto sw = ci(t, "switch");
  auto host = ci(t, "host");
  auto vm = ci(t, "vm");
  auto app = ci(t, "app");
  auto other = ci(t, "other");
  link(rt, host, sw);
  link(rt, vm, host);
  link(rt, app, vm);
  auto svc = created("/api/v1/cmdb/services", {{"code", unique("shop")}, {"name", "Shop"}, {"criticality", "critical"}});
  created("/api/v1/cmdb/services/" + id(svc) + "/members", {{"ciId", id(app)}, {"role", "primary"}});
  auto unaffected = created("/api/v1/cmdb/services", {{"code", unique("mail")}, {"name", "Mail"}});
  created("/api/v1/cmdb/services/" + id(unaffected) + "/members", {{"ciId", id(other)}});
  // Open work on the VM's asset is counted.
  auto asset = send("POST", "/api/v1/assets", {{"assetCode", unique("VMA")}}, admin_);
  ASSERT_EQ(asset.status, 201) << asset.body;
  send("PATCH", "/api/v1/cmdb/cis/" + id(vm), {{"assetId", asset.json()["id"]}}, operator_);
  sql("INSERT INTO maintenance_tickets (asset_id, title, severity, status) VALUES ('" +
      asset.json()["id"].get<std::string>() + "', 'fan', 'low', 'open')");

  auto r = send("GET", "/api/v1/cmdb/cis/" + id(sw) + "/impact", nullptr, user_);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  ASSERT_EQ(j["cis"].size(), 3u);
  EXPECT_EQ(j["cis"][2]["ciCode"], app["ciCode"]);
  EXPECT_EQ(j["cis"][2]["distance"], 3);
  EXPECT_EQ(j["cis"][2]["path"], json::array({app["ciCode"], vm["ciCode"], host["ciCode"], sw["ciCode"]}));
  EXPECT_EQ(j["cis"][2]["relTypes"], json::array({rt["code"], rt["code"], rt["code"]}));
  EXPECT_EQ(j["cis"][1]["openMaintenanceTickets"], 1);
  ASSERT_EQ(j["services"].size(), 1u);
  EXPECT_EQ(j["services"][0]["code"], svc["code"]);
  EXPECT_EQ(j["services"][0]["criticality"], "critical");
  EXPECT_EQ(j["services"][0]["via"]["ciCode"], app["ciCode"]);
  EXPECT_EQ(j["services"][0]["distance"], 3);

  // Both directions from the VM.
  auto both = send("GET", "/api/v1/cmdb/cis/" + id(vm) + "/impact?direction=both", nullptr, user_).json();
  ASSERT_EQ(both["cis"].size(), 1u);
  ASSERT_EQ(both["dependencies"].size(), 2u);
  EXPECT_EQ(both["dependencies"][1]["ciCode"], sw["ciCode"]);
  EXPECT_EQ(both["dependencies"][1]["path"], json::array({vm["ciCode"], host["ciCode"], sw["ciCode"]}));

  // The service's dependencies.
  auto deps = send("GET", "/api/v1/cmdb/services/" + id(svc) + "/dependencies", nullptr, user_);
  ASSERT_EQ(deps.status, 200) << deps.body;
  EXPECT_EQ(deps.json()["dependencies"].size(), 3u);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/services/00000000-0000-0000-0000-000000000009/dependencies", nullptr, user_).status,
            404);

  // CSV for the change board.
  auto csv = send("GET", "/api/v1/cmdb/cis/" + id(sw) + "/impact?format=csv", nullptr, user_);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.header("content-type").find("text/csv"), std::string::npos);
  EXPECT_NE(csv.body.find(app["ciCode"].get<std::string>()), std::string::npos);

  // A retired relationship is not walked.
  auto rels = send("GET", "/api/v1/cmdb/relationships?fromCiId=" + id(host), nullptr, user_).json();
  send("DELETE", "/api/v1/cmdb/relationships/" + rels["data"][0]["id"].get<std::string>(), nullptr, operator_);
  EXPECT_EQ(send("GET", "/api/v1/cmdb/cis/" + id(sw) + "/impact", nullptr, user_).json()["cis"].size(), 0u);

  // Unknown CI and bad bodies.
  EXPECT_EQ(send("GET", "/api/v1/cmdb/cis/00000000-0000-0000-0000-000000000009/impact", nullptr, user_).status, 404);
  EXPECT_EQ(send("POST", "/api/v1/cmdb/impact", {{"ciIds", json::array()}}, user_).status, 400);
  EXPECT_EQ(send("POST", "/api/v1/cmdb/impact", {{"ciIds", {"nope"}}}, user_).status, 400);
  EXPECT_EQ(send("POST", "/api/v1/cmdb/impact", {{"ciIds", {"00000000-0000-0000-0000-000000000009"}}}, user_).status, 404);
}

TEST_F(CmdbGraph, RedundancySparesWhileEnoughAreUp) {
  auto t = type("red");
  auto member_of = rel_type("member_of_cluster", {{"minUp", 1}});
  auto half = rel_type("uplink", {{"minUp", "50%"}});
  auto runs_on = rel_type("runs_on_red");
  // A VM runs on a cluster of three hosts (at least 1 needed); an app runs on the VM.
  auto h1 = ci(t, "h1"), h2 = ci(t, "h2"), h3 = ci(t, "h3");
  auto vm = ci(t, "vm");
  auto app = ci(t, "app");
  for (auto* h : {&h1, &h2, &h3}) link(member_of, vm, *h);
  link(runs_on, app, vm);

  auto one = send("GET", "/api/v1/cmdb/cis/" + id(h1) + "/impact", nullptr, user_);
  ASSERT_EQ(one.status, 200) << one.body;
  auto j = one.json();
  ASSERT_EQ(j["cis"].size(), 1u) << j.dump();
  EXPECT_EQ(j["cis"][0]["ciCode"], vm["ciCode"]);
  EXPECT_EQ(j["cis"][0]["impact"], "spared");
  EXPECT_EQ(j["cis"][0]["reason"], "2 of 3 " + member_of["code"].get<std::string>() + " dependencies up, at least 1 needed");
  EXPECT_EQ(j["counts"]["spared"], 1);
  EXPECT_EQ(j["counts"]["impacted"], 0);

  // All three down at once: the VM and the app go down.
  auto all = send("POST", "/api/v1/cmdb/impact", {{"ciIds", {id(h1), id(h2), id(h3)}}}, user_);
  ASSERT_EQ(all.status, 200) << all.body;
  auto a = all.json();
  ASSERT_EQ(a["cis"].size(), 2u) << a.dump();
  EXPECT_EQ(a["cis"][0]["ciCode"], vm["ciCode"]);
  EXPECT_EQ(a["cis"][0]["impact"], "impacted");
  EXPECT_EQ(a["cis"][1]["ciCode"], app["ciCode"]);
  EXPECT_EQ(a["cis"][1]["distance"], 2);
  EXPECT_EQ(a["cis"][1]["path"].size(), 3u);

  // Percentages: two uplinks, 50% needed; one down is spared, both down is impacted.
  auto sw = ci(t, "sw");
  auto u1 = ci(t, "u1"), u2 = ci(t, "u2");
  link(half, sw, u1);
  link(half, sw, u2);
  auto p1 = send("GET", "/api/v1/cmdb/cis/" + id(u1) + "/impact", nullptr, user_).json();
  ASSERT_EQ(p1["cis"].size(), 1u);
  EXPECT_EQ(p1["cis"][0]["impact"], "spared");
  EXPECT_EQ(p1["cis"][0]["reason"], "1 of 2 " + half["code"].get<std::string>() + " dependencies up, at least 1 needed");
  auto p2 = send("POST", "/api/v1/cmdb/impact", {{"ciIds", {id(u1), id(u2)}}}, user_).json();
  ASSERT_EQ(p2["cis"].size(), 1u);
  EXPECT_EQ(p2["cis"][0]["impact"], "impacted");
}
