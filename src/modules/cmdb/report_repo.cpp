#include "modules/cmdb/report_repo.hpp"

namespace netops::cmdb {

namespace {
constexpr db::Query kSummary{
    "cmdb_reports.summary",
    "SELECT (SELECT count(*) FROM cmdb_cis) AS total, "
    "(SELECT COALESCE(jsonb_agg(jsonb_build_object('typeId', t.id, 'typeCode', t.code, 'count', x.n) "
    "  ORDER BY t.code), '[]') FROM (SELECT type_id, count(*) AS n FROM cmdb_cis GROUP BY type_id) x "
    "  JOIN cmdb_ci_types t ON t.id = x.type_id) AS by_type, "
    "(SELECT COALESCE(jsonb_object_agg(status, n), '{}') FROM (SELECT status, count(*) AS n FROM cmdb_cis "
    "  GROUP BY status) x) AS by_status, "
    "(SELECT COALESCE(jsonb_object_agg(environment, n), '{}') FROM (SELECT environment, count(*) AS n "
    "  FROM cmdb_cis GROUP BY environment) x) AS by_environment, "
    "(SELECT count(*) FROM cmdb_relationships WHERE status = 'active') AS active_relationships, "
    "(SELECT count(*) FROM cmdb_services) AS services"};
constexpr db::Query kOrphans{
    "cmdb_reports.orphans",
    "SELECT COALESCE(jsonb_agg(o ORDER BY o->>'ciCode'), '[]') AS rows, max(total) AS total FROM ("
    " SELECT jsonb_build_object('id', c.id, 'ciCode', c.ci_code, 'name', c.name, 'typeCode', t.code, "
    "  'status', c.status) AS o, count(*) OVER () AS total FROM cmdb_cis c JOIN cmdb_ci_types t ON t.id = c.type_id "
    " WHERE NOT EXISTS (SELECT 1 FROM cmdb_relationships r WHERE r.status = 'active' AND r.from_ci_id = c.id) "
    " AND NOT EXISTS (SELECT 1 FROM cmdb_relationships r WHERE r.status = 'active' AND r.to_ci_id = c.id) "
    " AND NOT EXISTS (SELECT 1 FROM cmdb_service_members m WHERE m.ci_id = c.id) "
    " ORDER BY c.ci_code LIMIT $1) x"};
constexpr db::Query kMostConnected{
    "cmdb_reports.most_connected",
    "SELECT COALESCE(jsonb_agg(jsonb_build_object('id', c.id, 'ciCode', c.ci_code, 'name', c.name, "
    " 'typeCode', t.code, 'dependsOn', x.outgoing, 'dependents', x.incoming, 'connections', x.total) "
    " ORDER BY x.total DESC, c.ci_code), '[]') AS rows FROM ("
    " SELECT ci_id, sum(o) AS outgoing, sum(i) AS incoming, sum(o + i) AS total FROM ("
    "  SELECT from_ci_id AS ci_id, 1 AS o, 0 AS i FROM cmdb_relationships WHERE status = 'active'"
    "  UNION ALL SELECT to_ci_id, 0, 1 FROM cmdb_relationships WHERE status = 'active') e "
    " GROUP BY ci_id ORDER BY total DESC, ci_id LIMIT $1) x "
    "JOIN cmdb_cis c ON c.id = x.ci_id JOIN cmdb_ci_types t ON t.id = c.type_id"};
constexpr db::Query kRetiredTargets{
    "cmdb_reports.retired_targets",
    "SELECT COALESCE(jsonb_agg(jsonb_build_object('id', r.id, 'relTypeCode', rt.code, 'fromCiId', f.id, "
    " 'fromCiCode', f.ci_code, 'fromStatus', f.status, 'toCiId', t.id, 'toCiCode', t.ci_code, 'toStatus', t.status) "
    " ORDER BY t.ci_code, f.ci_code), '[]') AS rows FROM (SELECT * FROM cmdb_relationships r0 "
    " WHERE r0.status = 'active' AND EXISTS (SELECT 1 FROM cmdb_cis x WHERE x.status = 'retired' "
    " AND (x.id = r0.to_ci_id OR x.id = r0.from_ci_id)) ORDER BY r0.id LIMIT $1) r "
    "JOIN cmdb_relationship_types rt ON rt.id = r.rel_type_id JOIN cmdb_cis f ON f.id = r.from_ci_id "
    "JOIN cmdb_cis t ON t.id = r.to_ci_id"};
}  // namespace

Task<nlohmann::json> ReportRepo::summary() {
  auto rows = co_await db_.query(kSummary);
  auto r = rows.front();
  co_return nlohmann::json{{"total", r.get<std::int64_t>("total")},
                           {"byType", r.json("by_type")},
                           {"byStatus", r.json("by_status")},
                           {"byEnvironment", r.json("by_environment")},
                           {"activeRelationships", r.get<std::int64_t>("active_relationships")},
                           {"services", r.get<std::int64_t>("services")}};
}

Task<nlohmann::json> ReportRepo::orphans(long long limit) {
  auto rows = co_await db_.query(kOrphans, db::Params(limit));
  auto r = rows.front();
  co_return nlohmann::json{{"data", r.json("rows")}, {"total", r.opt<std::int64_t>("total").value_or(0)}};
}

Task<nlohmann::json> ReportRepo::most_connected(long long limit) {
  auto rows = co_await db_.query(kMostConnected, db::Params(limit));
  co_return nlohmann::json{{"data", rows.front().json("rows")}};
}

Task<nlohmann::json> ReportRepo::retired_targets(long long limit) {
  auto rows = co_await db_.query(kRetiredTargets, db::Params(limit));
  co_return nlohmann::json{{"data", rows.front().json("rows")}};
}

}  // namespace netops::cmdb
