#include "modules/gateway/budget.hpp"

#include "core/dates.hpp"

#include "core/error.hpp"
#include "db/db.hpp"

namespace netops::gateway {

namespace {

using namespace std::chrono;

// One index range scan of the primary key (user_id, date, …) over the month.
const db::Query kUsage{"gateway.budget_usage", R"SQL(
SELECT least(coalesce(sum(total_cost) FILTER (WHERE date = $2::date), 0), 9000000)::numeric(20, 12)::text AS day_cost,
       least(coalesce(sum(total_tokens) FILTER (WHERE date = $2::date), 0), 9e18)::bigint AS day_tokens,
       least(coalesce(sum(total_cost), 0), 9000000)::numeric(20, 12)::text AS month_cost,
       least(coalesce(sum(total_tokens), 0), 9e18)::bigint AS month_tokens
FROM user_token_stats WHERE user_id = $1 AND date >= $3::date AND date <= $2::date)SQL"};
// (Sums are capped at 9,000,000 USD — within Decimal's range; any budget is far below — so a user whose
// stats passed that cannot make every budget check fail with an overflow.)

std::optional<Decimal> usd(long long micro) {
  if (micro <= 0) return std::nullopt;
  return Decimal::from_raw(micro * 1'000'000);  // micro-USD → pico-USD
}
std::optional<std::int64_t> tokens(long long n) {
  if (n <= 0) return std::nullopt;
  return n;
}

}  // namespace

BudgetLimits BudgetLimits::from(const Config::TierBudget& b) {
  return BudgetLimits{usd(b.daily_micro_usd), usd(b.monthly_micro_usd), tokens(b.daily_tokens),
                      tokens(b.monthly_tokens)};
}

long long seconds_to_next_utc_day(system_clock::time_point now) {
  auto next = floor<days>(now) + days(1);
  return std::max<long long>(1, ceil<seconds>(next - now).count());
}

long long seconds_to_next_utc_month(system_clock::time_point now) {
  year_month_day d{floor<days>(now)};
  year_month ym = d.year() / d.month() + months(1);
  sys_days next{ym / 1};
  return std::max<long long>(1, ceil<seconds>(next - now).count());
}

BudgetVerdict judge(const BudgetLimits& l, const BudgetUsage& u, system_clock::time_point now) {
  BudgetVerdict v;
  auto over = [&](const char* period, const char* what, std::string limit, std::string used, long long retry) {
    v.ok = false;
    v.period = period;
    v.what = what;
    v.limit = std::move(limit);
    v.used = std::move(used);
    v.retry_after_s = retry;
  };
  if (l.daily_cost && u.day_cost >= *l.daily_cost)
    over("day", "cost", l.daily_cost->to_string(6), u.day_cost.to_string(6), seconds_to_next_utc_day(now));
  else if (l.daily_tokens && u.day_tokens >= *l.daily_tokens)
    over("day", "tokens", std::to_string(*l.daily_tokens), std::to_string(u.day_tokens), seconds_to_next_utc_day(now));
  else if (l.monthly_cost && u.month_cost >= *l.monthly_cost)
    over("month", "cost", l.monthly_cost->to_string(6), u.month_cost.to_string(6), seconds_to_next_utc_month(now));
  else if (l.monthly_tokens && u.month_tokens >= *l.monthly_tokens)
    over("month", "tokens", std::to_string(*l.monthly_tokens), std::to_string(u.month_tokens),
         seconds_to_next_utc_month(now));
  return v;
}

Budgets::Budgets(db::Db& db, const Config& cfg)
    : db_(db),
      free_(BudgetLimits::from(cfg.budget_free)),
      pro_(BudgetLimits::from(cfg.budget_pro)),
      enterprise_(BudgetLimits::from(cfg.budget_enterprise)) {}

const BudgetLimits& Budgets::limits(const std::string& tier) const {
  if (tier == "free") return free_;
  if (tier == "pro") return pro_;
  if (tier == "enterprise") return enterprise_;
  return none_;  // unlimited (and anything unknown: the users table only allows the four)
}

void Budgets::forget(const std::string& user_id) {
  std::lock_guard lock(mu_);
  cache_.erase(user_id);
}

Task<BudgetUsage> Budgets::usage_of(const std::string& user_id, const std::string& day,
                                    const std::string& month_start) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(user_id); it != cache_.end() && it->second.day == day && now - it->second.at < kUsageTtl)
      co_return it->second.usage;
  }
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
  std::lock_guard lock(mu_);
  if (cache_.size() > 100000) cache_.clear();  // bounded: a flood of distinct users only costs queries
  cache_[user_id] = Cached{u, day, now};
  co_return u;
}

Task<void> Budgets::check(std::string user_id, std::string tier) {
  const auto& l = limits(tier);
  if (!l.any()) co_return;
  auto now = system_clock::now();
  year_month_day today{floor<days>(now)};
  std::string day = iso_date(sys_days(today)), month_start = iso_date(sys_days(today.year() / today.month() / 1));
  BudgetUsage u = co_await usage_of(user_id, day, month_start);
  auto v = judge(l, u, now);
  if (v.ok) co_return;
  nlohmann::json details = {{"tier", tier}, {"period", v.period}, {"limit", v.limit}, {"used", v.used},
                            {"kind", v.what}, {"retryAfter", v.retry_after_s}};
  throw AppError(ErrorCode::budget_exceeded,
                 "the " + (v.period == "day" ? std::string("daily") : std::string("monthly")) + " " + v.what +
                     " budget of tier " + tier + " is used up (" + v.used + " of " + v.limit + ")",
                 std::move(details));
}

}  // namespace netops::gateway
