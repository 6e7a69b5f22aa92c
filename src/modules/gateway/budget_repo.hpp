#pragma once
// SQL of the budget check: a user's cost and token sums from user_token_stats (the rows accounting writes).
#include <cstdint>
#include <string>

#include "core/task.hpp"
#include "llm/decimal.hpp"

namespace netops::db {
class Db;
}

namespace netops::gateway {

struct BudgetUsage {
  Decimal day_cost, month_cost;
  std::int64_t day_tokens = 0, month_tokens = 0;
};

class BudgetRepo {
 public:
  explicit BudgetRepo(db::Db& db) : db_(db) {}
  // Sums of the UTC day `day` and of the month from `month_start` to `day` (ISO dates).
  Task<BudgetUsage> usage(const std::string& user_id, const std::string& day, const std::string& month_start);

 private:
  db::Db& db_;
};

}  // namespace netops::gateway
