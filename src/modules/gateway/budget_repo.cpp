#include "modules/gateway/budget_repo.hpp"

#include "db/db.hpp"

namespace netops::gateway {

namespace {
// One index range scan of the primary key (user_id, date, …) over the month.
const db::Query kUsage{"gateway.budget_usage", R"SQL(
SELECT least(coalesce(sum(total_cost) FILTER (WHERE date = $2::date), 0), 9000000)::numeric(20, 12)::text AS day_cost,
       least(coalesce(sum(total_tokens) FILTER (WHERE date = $2::date), 0), 9e18)::bigint AS day_tokens,
       least(coalesce(sum(total_cost), 0), 9000000)::numeric(20, 12)::text AS month_cost,
       least(coalesce(sum(total_tokens), 0), 9e18)::bigint AS month_tokens
FROM user_token_stats WHERE user_id = $1 AND date >= $3::date AND date <= $2::date)SQL"};
// (Sums are capped at 9,000,000 USD — within Decimal's range; any budget is far below — so a user whose
// stats passed that cannot make every budget check fail with an overflow.)
}  // namespace

Task<BudgetUsage> BudgetRepo::usage(const std::string& user_id, const std::string& day, const std::string& month_start) {
  db::Params params(user_id, day, month_start);
  auto rows = co_await db_.query(kUsage, std::move(params));
  BudgetUsage u;
  if (!rows.empty()) {
    auto r = rows.front();
    u.day_cost = Decimal::parse(r.get<std::string>("day_cost"));
    u.month_cost = Decimal::parse(r.get<std::string>("month_cost"));
    u.day_tokens = r.get<std::int64_t>("day_tokens");
    u.month_tokens = r.get<std::int64_t>("month_tokens");
  }
  co_return u;
}

}  // namespace netops::gateway
