#include "modules/cmdb/graph_repo.hpp"

#include <algorithm>
#include <unordered_map>

namespace netops::cmdb {

namespace {

// $1 roots (uuid[]), $2 depth, $3 cap on walked rows. next/prev: the column the walk goes to / comes from.
// DISTINCT ON (next) keeps one path per CI and level: the walk grows with the CIs reached (at most depth × CIs
// rows), not with the number of paths, which explodes on dense graphs. Shortest distances are kept: a CI at its
// shortest level is reached from a CI at its own shortest level, whose kept path is a shortest path and cannot
// contain it.
std::string walk_sql(bool upstream) {
  const std::string next = upstream ? "from_ci_id" : "to_ci_id";
  const std::string prev = upstream ? "to_ci_id" : "from_ci_id";
  return "WITH RECURSIVE walk(ci_id, depth, path, rels) AS ("
         " SELECT c.id, 0, ARRAY[c.id], ARRAY[]::uuid[] FROM cmdb_cis c WHERE c.id = ANY($1::uuid[])"
         " UNION ALL"
         " SELECT DISTINCT ON (r." + next + ") r." + next + ", w.depth + 1, w.path || r." + next + ", w.rels || r.rel_type_id"
         " FROM walk w JOIN cmdb_relationships r ON r." + prev + " = w.ci_id AND r.status = 'active'"
         " WHERE w.depth < $2"
         ") CYCLE ci_id SET is_cycle USING cycle_path, "
         "capped AS MATERIALIZED (SELECT ci_id, depth, path, rels FROM walk WHERE NOT is_cycle LIMIT $3), "
         "best AS (SELECT DISTINCT ON (ci_id) ci_id, depth, path, rels FROM capped ORDER BY ci_id, depth) "
         "SELECT b.ci_id, b.depth, c.ci_code, c.name, c.status, c.environment, t.code AS type_code, c.asset_id, "
         " b.path AS path_ids, b.rels AS rel_ids, "
         " CASE WHEN c.asset_id IS NULL THEN 0 ELSE (SELECT count(*) FROM maintenance_tickets mt "
         "   WHERE mt.asset_id = c.asset_id AND mt.status IN ('open', 'in_progress')) END AS open_tickets, "
         " CASE WHEN c.asset_id IS NULL THEN 0 ELSE (SELECT count(*) FROM repair_orders ro "
         "   WHERE ro.asset_id = c.asset_id AND ro.status NOT IN ('closed', 'canceled')) END AS open_repairs, "
         " (SELECT count(*) FROM capped) AS walked "
         "FROM best b JOIN cmdb_cis c ON c.id = b.ci_id JOIN cmdb_ci_types t ON t.id = c.type_id "
         "ORDER BY b.depth, c.ci_code";
}

const std::string kUpSql = walk_sql(true);
const std::string kDownSql = walk_sql(false);
const db::Query kUp{"cmdb_graph.walk_upstream", kUpSql};
const db::Query kDown{"cmdb_graph.walk_downstream", kDownSql};

// $1 root, $2 depth, $3 direction, $4 cap.
const std::string kGraphSql =
    "WITH RECURSIVE walk(ci_id, depth) AS ("
    " SELECT c.id, 0 FROM cmdb_cis c WHERE c.id = $1::uuid"
    " UNION ALL"
    " SELECT DISTINCT ON (n.next) n.next, w.depth + 1 FROM walk w CROSS JOIN LATERAL ("
    "   SELECT r.to_ci_id AS next FROM cmdb_relationships r"
    "   WHERE $3::text IN ('downstream', 'both') AND r.from_ci_id = w.ci_id AND r.status = 'active'"
    "   UNION ALL"
    "   SELECT r.from_ci_id FROM cmdb_relationships r"
    "   WHERE $3::text IN ('upstream', 'both') AND r.to_ci_id = w.ci_id AND r.status = 'active') n"
    " WHERE w.depth < $2"
    ") CYCLE ci_id SET is_cycle USING cycle_path, "
    "capped AS MATERIALIZED (SELECT ci_id, depth FROM walk WHERE NOT is_cycle LIMIT $4), "
    "nodes AS MATERIALIZED (SELECT ci_id, min(depth) AS depth FROM capped GROUP BY ci_id) "
    "SELECT "
    " (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', c.id, 'ciCode', c.ci_code, 'name', c.name, "
    "   'typeCode', t.code, 'status', c.status, 'environment', c.environment, 'distance', n.depth) "
    "   ORDER BY n.depth, c.ci_code), '[]'::jsonb) "
    "   FROM nodes n JOIN cmdb_cis c ON c.id = n.ci_id JOIN cmdb_ci_types t ON t.id = c.type_id) AS nodes, "
    " (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', r.id, 'fromCiId', r.from_ci_id, 'toCiId', r.to_ci_id, "
    "   'relTypeCode', rt.code) ORDER BY r.id), '[]'::jsonb) "
    "   FROM cmdb_relationships r JOIN cmdb_relationship_types rt ON rt.id = r.rel_type_id "
    "   WHERE r.status = 'active' AND r.from_ci_id IN (SELECT ci_id FROM nodes) "
    "   AND r.to_ci_id IN (SELECT ci_id FROM nodes)) AS edges, "
    " (SELECT count(*) FROM capped) AS walked";
const db::Query kGraph{"cmdb_graph.graph", kGraphSql};

constexpr db::Query kDependencies{
    "cmdb_graph.dependencies",
    "SELECT r.from_ci_id, r.to_ci_id, r.rel_type_id, rt.code, rt.min_up, rt.min_up_percent "
    "FROM cmdb_relationships r JOIN cmdb_relationship_types rt ON rt.id = r.rel_type_id "
    "WHERE r.status = 'active' AND r.from_ci_id = ANY($1::uuid[])"};
constexpr db::Query kServices{
    "cmdb_graph.services",
    "SELECT s.id, s.code, s.name, s.criticality, m.ci_id, m.role FROM cmdb_service_members m "
    "JOIN cmdb_services s ON s.id = m.service_id WHERE m.ci_id = ANY($1::uuid[]) ORDER BY s.code"};
constexpr db::Query kMembers{"cmdb_graph.members",
                             "SELECT ci_id FROM cmdb_service_members WHERE service_id = $1 ORDER BY ci_id"};
constexpr db::Query kRelTypeCodes{"cmdb_graph.rel_type_codes", "SELECT id, code FROM cmdb_relationship_types"};
constexpr db::Query kExisting{"cmdb_graph.existing", "SELECT id FROM cmdb_cis WHERE id = ANY($1::uuid[])"};

std::vector<std::string> text_array(const db::Row& r, const char* col) {
  auto j = r.opt<std::string>(col);
  std::vector<std::string> out;
  if (!j) return out;
  // PostgreSQL array literal of uuids: {a,b,c} (no quoting needed).
  std::string s = j->substr(1, j->size() - 2);
  std::size_t start = 0;
  while (start <= s.size() && !s.empty()) {
    auto comma = s.find(',', start);
    auto item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.size() >= 2 && item.front() == '"') item = item.substr(1, item.size() - 2);
    out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<Dependency> dependencies_of(const db::Result& rows) {
  std::vector<Dependency> out;
  for (auto r : rows)
    out.push_back(Dependency{r.get<std::string>("from_ci_id"), r.get<std::string>("to_ci_id"),
                             r.get<std::string>("rel_type_id"), r.get<std::string>("code"), r.opt<int>("min_up"),
                             r.get<bool>("min_up_percent")});
  return out;
}

}  // namespace

std::string uuid_array(const std::vector<std::string>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + ids[i];
  return out + "}";
}

Task<Walk> GraphRepo::walk(const std::vector<std::string>& roots, int depth, bool upstream) {
  auto rows = co_await db_.query(upstream ? kUp : kDown, db::Params(uuid_array(roots), depth, kMaxWalkRows));
  auto types = co_await db_.query(kRelTypeCodes);
  std::unordered_map<std::string, std::string> type_code;
  for (auto t : types) type_code[t.get<std::string>("id")] = t.get<std::string>("code");
  Walk out;
  std::vector<std::vector<std::string>> rel_ids;
  for (auto r : rows) {
    Reached x;
    x.id = r.get<std::string>("ci_id");
    x.distance = r.get<int>("depth");
    x.ci_code = r.get<std::string>("ci_code");
    x.name = r.get<std::string>("name");
    x.status = r.get<std::string>("status");
    x.environment = r.get<std::string>("environment");
    x.type_code = r.get<std::string>("type_code");
    x.asset_id = r.opt<std::string>("asset_id");
    x.path_ids = text_array(r, "path_ids");
    std::reverse(x.path_ids.begin(), x.path_ids.end());  // from the reached CI back to its root
    auto rels = text_array(r, "rel_ids");
    std::reverse(rels.begin(), rels.end());
    x.rel_types.reserve(rels.size());
    for (auto& id : rels) {
      auto t = type_code.find(id);
      x.rel_types.push_back(t == type_code.end() ? id : t->second);
    }
    x.open_tickets = r.get<std::int64_t>("open_tickets");
    x.open_repairs = r.get<std::int64_t>("open_repairs");
    out.truncated = r.get<std::int64_t>("walked") >= kMaxWalkRows;
    out.rows.push_back(std::move(x));
  }
  // Every CI on a walked path was itself walked (a prefix of a path is a path), so its code is in the rows.
  std::unordered_map<std::string, std::string> code;
  for (auto& x : out.rows) code[x.id] = x.ci_code;
  for (auto& x : out.rows) {
    x.path.reserve(x.path_ids.size());
    for (auto& id : x.path_ids) {
      auto c = code.find(id);
      x.path.push_back(c == code.end() ? id : c->second);
    }
  }
  co_return out;
}

Task<nlohmann::json> GraphRepo::graph(const std::string& id, int depth, const std::string& direction) {
  auto rows = co_await db_.query(kGraph, db::Params(id, depth, direction, kMaxWalkRows));
  auto r = rows.front();
  co_return nlohmann::json{{"nodes", r.json("nodes")},
                           {"edges", r.json("edges")},
                           {"truncated", r.get<std::int64_t>("walked") >= kMaxWalkRows}};
}

Task<std::vector<Dependency>> GraphRepo::dependencies(const std::vector<std::string>& cis) {
  auto rows = co_await db_.query(kDependencies, db::Params(uuid_array(cis)));
  co_return dependencies_of(rows);
}

Task<std::vector<ServiceHit>> GraphRepo::services_of(const std::vector<std::string>& cis) {
  auto rows = co_await db_.query(kServices, db::Params(uuid_array(cis)));
  std::vector<ServiceHit> out;
  for (auto r : rows)
    out.push_back(ServiceHit{r.get<std::string>("id"), r.get<std::string>("code"), r.get<std::string>("name"),
                             r.get<std::string>("ci_id"), r.opt<std::string>("criticality"),
                             r.opt<std::string>("role")});
  co_return out;
}

Task<std::vector<std::string>> GraphRepo::members(const std::string& service_id) {
  auto rows = co_await db_.query(kMembers, db::Params(service_id));
  std::vector<std::string> out;
  for (auto r : rows) out.push_back(r.get<std::string>("ci_id"));
  co_return out;
}

Task<std::vector<std::string>> GraphRepo::existing(const std::vector<std::string>& ids) {
  auto rows = co_await db_.query(kExisting, db::Params(uuid_array(ids)));
  std::vector<std::string> out;
  for (auto r : rows) out.push_back(r.get<std::string>("id"));
  co_return out;
}

}  // namespace netops::cmdb
