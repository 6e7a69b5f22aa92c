#include "modules/audit/repo.hpp"

namespace netops::audit {

namespace q {
constexpr db::Query kInsert{"audit.insert",
                            "INSERT INTO audit_logs (correlation_id, user_id, action, resource, details) "
                            "VALUES ($1, $2, $3, $4, $5)"};
}

namespace {
db::Params params(const Entry& e) {
  return db::Params(e.correlation_id, e.user_id, e.action, e.resource, e.details);
}
}  // namespace

Task<void> AuditRepo::insert(db::Tx& tx, const Entry& e) { co_await tx.query(q::kInsert, params(e)); }
Task<void> AuditRepo::insert(const Entry& e) { co_await db_.query(q::kInsert, params(e)); }

Task<std::pair<nlohmann::json, long long>> AuditRepo::list(const Filter& f, const http::Paging& p) {
  db::Params params;
  std::string where = " WHERE true";
  if (f.user_id) where += " AND user_id = " + params.push(*f.user_id);
  if (f.action) where += " AND action = " + params.push(*f.action);
  if (f.resource) where += " AND resource = " + params.push(*f.resource);
  if (f.from) where += " AND created_at >= " + params.push(*f.from) + "::timestamptz";
  if (f.to) where += " AND created_at < " + params.push(*f.to) + "::timestamptz";
  std::string sql =
      "SELECT id, correlation_id, user_id, action, resource, details, created_at, count(*) OVER () AS total "
      "FROM audit_logs" + where + " ORDER BY created_at DESC, id DESC LIMIT " + params.push(p.page_size) +
      " OFFSET " + params.push(p.offset());
  auto rows = co_await db_.query(sql, std::move(params));
  nlohmann::json out = nlohmann::json::array();
  long long total = 0;
  for (auto r : rows) {
    total = r.get<std::int64_t>("total");
    out.push_back({{"id", r.get<std::string>("id")},
                   {"correlationId", r.json("correlation_id")},
                   {"userId", r.json("user_id")},
                   {"action", r.get<std::string>("action")},
                   {"resource", r.json("resource")},
                   {"details", r.json("details")},
                   {"createdAt", r.timestamp("created_at")}});
  }
  co_return std::make_pair(std::move(out), total);
}

}  // namespace netops::audit
