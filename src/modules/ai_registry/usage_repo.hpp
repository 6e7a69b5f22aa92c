#pragma once
// Reads of usage_logs (the gateway writes them) and of its daily roll-ups: the admin log list (keyset pages
// on (created_at, id), a capped count) and per-model statistics from usage_model_daily and
// usage_model_latency_daily (db/migrations/0015) — no report scans raw log rows.
#include <optional>
#include <string>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/ai_registry/types.hpp"

namespace netops::ai_registry {

// Where a newest-first page ends: created_at in microseconds since the epoch and the row id. Its text
// form "<micros>.<uuid>" is the opaque ?after= / meta.nextCursor of GET /api/usage/logs.
struct UsageCursor {
  long long micros = 0;
  std::string id;
  std::string text() const { return std::to_string(micros) + "." + id; }
  static std::optional<UsageCursor> parse(std::string_view s);  // nullopt unless well-formed
};

struct UsageLogPage {
  db::Page<UsageLog> page;
  std::optional<UsageCursor> next;  // set when the page is full (there may be more)
};

class UsageRepo {
 public:
  // Lists count their matches up to this many; beyond, total is this lower bound and totalExact false.
  static constexpr long long kCountCap = 10'000;

  explicit UsageRepo(db::Db& db) : db_(db) {}
  // Newest first. With `after`, the page starts below that cursor (page/offset ignored).
  Task<UsageLogPage> list(const UsageFilter& f, const db::PageRequest& p, const std::optional<UsageCursor>& after);
  // Aggregates over the last `days` UTC days, today included (performance), or per UTC day (history).
  Task<ModelPerformance> performance(const std::string& model_id, int days);
  Task<ModelHistory> history(const std::string& model_id, int days);
  // All users, per UTC day over the last `days` days; group_by "" | "model" | "provider" (GET /api/usage/daily).
  Task<UsageDaily> daily(int days, const std::string& group_by);

 private:
  db::Db& db_;
};

}  // namespace netops::ai_registry
