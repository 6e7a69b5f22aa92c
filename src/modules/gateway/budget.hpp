#pragma once
// Per-user budgets by users.tier (SPEC §4.2): daily and monthly cost and token limits, checked before the
// call against user_token_stats — the same rows accounting writes — summed over the current UTC day and
// month. A tier without limits (unlimited, or all zero) costs no query. Accounting is batched, so a burst
// of concurrent calls can overshoot a limit by what is in flight (at most one flush interval's worth).
// A user's sums are kept in process for kUsageTtl so that a busy user costs one query a second, not one
// per request; this instance's accounting adds what it has just written to them (counted locally, the
// read a second later reconciles with what every instance wrote), so only usage written by *other*
// instances can be up to kUsageTtl late. (A read that began in the microseconds between a batch's commit
// and this add counts that batch twice until the next read: early refusal, never late.)
#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/config.hpp"
#include "core/task.hpp"
#include "core/tier.hpp"
#include "llm/decimal.hpp"
#include "modules/gateway/budget_repo.hpp"

#include "modules/gateway/gateway_settings.hpp"

namespace netops::gateway {

struct BudgetLimits {
  std::optional<Decimal> daily_cost, monthly_cost;
  std::optional<std::int64_t> daily_tokens, monthly_tokens;
  bool any() const { return daily_cost || monthly_cost || daily_tokens || monthly_tokens; }
  static BudgetLimits from(const TierBudget& b);
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
  Budgets(db::Db& db, const GatewaySettings& settings);
  const BudgetLimits& limits(Tier tier) const { return limits_[static_cast<std::size_t>(tier)]; }
  // Throws AppError(budget_exceeded) with retryAfter when the user is over a limit of its tier.
  Task<void> check(std::string user_id, Tier tier);
  // Drops the cached sums of a user.
  void forget(const std::string& user_id);
  // Adds usage this instance has just written (cost as usage_logs stores it) to the user's cached sums;
  // drops them when the usage is of another UTC day than the sums.
  void add(const std::string& user_id, std::chrono::system_clock::time_point at, const Decimal& cost,
           std::int64_t tokens);

  static constexpr std::chrono::milliseconds kUsageTtl{1000};

 private:
  struct Cached {
    BudgetUsage usage;
    std::string day;  // the UTC day the sums are for
    std::chrono::steady_clock::time_point at;
  };
  Task<BudgetUsage> usage_of(const std::string& user_id, const std::string& day, const std::string& month_start);

  BudgetRepo repo_;
  std::array<BudgetLimits, kTiers.size()> limits_;  // by Tier; unlimited has none
  std::mutex mu_;
  std::unordered_map<std::string, Cached> cache_;
};

}  // namespace netops::gateway
