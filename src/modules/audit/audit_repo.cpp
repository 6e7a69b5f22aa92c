#include "modules/audit/audit_repo.hpp"

#include "db/where.hpp"

namespace netops::audit {

namespace q {
constexpr db::Query kInsert{"audit.insert",
                            "INSERT INTO audit_logs (correlation_id, user_id, action, resource, details) "
                            "VALUES ($1, $2, $3, $4, $5)"};
constexpr const char* kList =
    "SELECT id, correlation_id, user_id, action, resource, details, created_at, count(*) OVER () AS total "
    "FROM audit_logs";
}  // namespace q

namespace {
db::Params params(const Entry& e) { return db::Params(e.correlation_id, e.user_id, e.action, e.resource, e.details); }
}  // namespace

Task<void> AuditRepo::insert(db::Tx& tx, const Entry& e) { co_await tx.query(q::kInsert, params(e)); }
Task<void> AuditRepo::insert(const Entry& e) { co_await db_.query(q::kInsert, params(e)); }

Task<db::Page<LogEntry>> AuditRepo::list(const Filter& f, const db::PageRequest& p) {
  db::Where w;
  w.eq("user_id", f.user_id).eq("action", f.action).eq("resource", f.resource);
  if (f.from) w.add("created_at >= {}::timestamptz", *f.from);
  if (f.to) w.add("created_at < {}::timestamptz", *f.to);
  std::string sql = q::kList + w.sql() + w.order_and_window({"created_at", true}, p, "id DESC");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<LogEntry>(rows, p, [](const db::Row& r) {
    return LogEntry{r.get<std::string>("id"), r.opt<std::string>("correlation_id"), r.opt<std::string>("user_id"),
                    r.opt<std::string>("resource"), r.get<std::string>("action"), r.json("details"),
                    r.timestamp("created_at")};
  });
}

}  // namespace netops::audit
