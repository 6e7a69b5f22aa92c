#include "modules/audit/audit_repo.hpp"

#include <algorithm>

#include "db/where.hpp"

namespace netops::audit {

namespace q {
constexpr db::Query kInsert{"audit.insert",
                            "INSERT INTO audit_logs (correlation_id, user_id, action, resource, details) "
                            "VALUES ($1, $2, $3, $4, $5)"};
constexpr const char* kList =
    "SELECT id, correlation_id, user_id, action, resource, details, created_at FROM audit_logs";
// audit_logs grows without limit (partitioned by month, db/migrations/0015): matches are counted up to this
// many, beyond which meta.total is this lower bound and totalExact false.
constexpr long long kCountCap = 10'000;
}  // namespace q

namespace {
db::Params params(const Entry& e) { return db::Params(e.correlation_id, e.user_id, e.action, e.resource, e.details); }
}  // namespace

Task<void> AuditRepo::insert(db::Tx& tx, const Entry& e) { co_await tx.query(q::kInsert, params(e)); }
Task<void> AuditRepo::insert(const Entry& e) { co_await db_.query(q::kInsert, params(e)); }

Task<db::Page<LogEntry>> AuditRepo::list(const Filter& f, const db::PageRequest& p) {
  auto filters = [&f] {
    db::Where w;
    w.eq("user_id", f.user_id).eq("action", f.action).eq("resource", f.resource);
    if (f.from) w.add("created_at >= {}::timestamptz", *f.from);
    if (f.to) w.add("created_at < {}::timestamptz", *f.to);
    return w;
  };
  db::Where w = filters();
  std::string sql = q::kList + w.sql() + w.order_and_window({"created_at", true}, p, "id DESC");
  auto rows = co_await db_.query(sql, w.take_params());
  db::Where cw = filters();
  std::string count_sql =
      "SELECT count(*) AS total FROM (SELECT 1 FROM audit_logs" + cw.sql() + " LIMIT " + cw.param(q::kCountCap + 1) + ") s";
  auto counted = co_await db_.query(count_sql, cw.take_params());
  auto total = counted.front().get<std::int64_t>("total");
  db::Page<LogEntry> out;
  out.page = p.page;
  out.page_size = p.page_size;
  out.total = std::min<long long>(total, q::kCountCap);
  out.total_exact = total <= q::kCountCap;
  for (auto r : rows)
    out.items.push_back(LogEntry{r.get<std::string>("id"), r.opt<std::string>("correlation_id"),
                                 r.opt<std::string>("user_id"), r.opt<std::string>("resource"),
                                 r.get<std::string>("action"), r.json("details"), r.timestamp("created_at")});
  co_return out;
}

}  // namespace netops::audit
