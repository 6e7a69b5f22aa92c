#pragma once
// The usage log's read side (GET /api/usage/logs): the gateway writes usage_logs, this module lists them.
#include "db/page.hpp"
#include "modules/ai_registry/usage_repo.hpp"

namespace netops::ai_registry {

class UsageService {
 public:
  explicit UsageService(db::Db& db) : repo_(db) {}
  Task<UsageLogPage> list(const UsageFilter& f, const db::PageRequest& p, const std::optional<UsageCursor>& after) {
    co_return co_await repo_.list(f, p, after);
  }
  Task<UsageDaily> daily(int days, const std::string& group_by) { co_return co_await repo_.daily(days, group_by); }

 private:
  UsageRepo repo_;
};

}  // namespace netops::ai_registry
