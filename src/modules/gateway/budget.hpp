#pragma once
// Per-user budgets by users.tier (SPEC §4.2): daily and monthly cost and token limits, checked before the
// call against user_token_stats — the same rows accounting writes — summed over the current UTC day and
// month. A tier without limits (unlimited, or all zero) costs no query. Accounting is batched, so a burst
// of concurrent calls can overshoot a limit by what is in flight (at most one flush interval's worth).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "core/task.hpp"
#include "llm/decimal.hpp"

namespace netops::db {
class Db;
}

namespace netops::gateway {

struct BudgetLimits {
  std::optional<Decimal> daily_cost, monthly_cost;
  std::optional<std::int64_t> daily_tokens, monthly_tokens;
  bool any() const { return daily_cost || monthly_cost || daily_tokens || monthly_tokens; }
  static BudgetLimits from(const Config::TierBudget& b);
};

struct BudgetUsage {
  Decimal day_cost, month_cost;
  std::int64_t day_tokens = 0, month_tokens = 0;
};

struct BudgetVerdict {
  bool ok = true;
  std::string period;  // day | month
  std::string what;    // cost | tokens
  std::string limit, used;
  long long retry_after_s = 0;  // until the next UTC day / month
};

// Pure: the first limit reached (daily before monthly, cost before tokens).
BudgetVerdict judge(const BudgetLimits& limits, const BudgetUsage& used, std::chrono::system_clock::time_point now);
long long seconds_to_next_utc_day(std::chrono::system_clock::time_point now);
long long seconds_to_next_utc_month(std::chrono::system_clock::time_point now);

class Budgets {
 public:
  Budgets(db::Db& db, const Config& cfg);
  const BudgetLimits& limits(const std::string& tier) const;
  // Throws AppError(budget_exceeded) with retryAfter when the user is over a limit of its tier.
  Task<void> check(std::string user_id, std::string tier);

 private:
  db::Db& db_;
  BudgetLimits free_, pro_, enterprise_, none_;
};

}  // namespace netops::gateway
