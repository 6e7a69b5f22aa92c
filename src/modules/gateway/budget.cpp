#include "modules/gateway/budget.hpp"

#include "core/dates.hpp"

#include "core/error.hpp"

namespace netops::gateway {

namespace {

using namespace std::chrono;

std::optional<Decimal> usd(long long micro) {
  if (micro <= 0) return std::nullopt;
  return Decimal::from_raw(micro * 1'000'000);  // micro-USD → pico-USD
}
std::optional<std::int64_t> tokens(long long n) {
  if (n <= 0) return std::nullopt;
  return n;
}

}  // namespace

BudgetLimits BudgetLimits::from(const TierBudget& b) {
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

Budgets::Budgets(db::Db& db, const GatewaySettings& settings) : repo_(db) {
  for (auto t : kTiers) limits_[static_cast<std::size_t>(t)] = BudgetLimits::from(settings.budget(t));  // unlimited: none
}

void Budgets::forget(const std::string& user_id) {
  std::lock_guard lock(mu_);
  cache_.erase(user_id);
}

void Budgets::add(const std::string& user_id, system_clock::time_point at, const Decimal& cost, std::int64_t tokens) {
  std::string day = iso_date(sys_days(floor<days>(at)));
  std::lock_guard lock(mu_);
  auto it = cache_.find(user_id);
  if (it == cache_.end()) return;
  if (it->second.day != day) {
    cache_.erase(it);
    return;
  }
  auto& u = it->second.usage;
  u.day_cost += cost;
  u.month_cost += cost;
  u.day_tokens += tokens;
  u.month_tokens += tokens;
}

Task<BudgetUsage> Budgets::usage_of(const std::string& user_id, const std::string& day,
                                    const std::string& month_start) {
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(user_id); it != cache_.end() && it->second.day == day && now - it->second.at < kUsageTtl)
      co_return it->second.usage;
  }
  BudgetUsage u = co_await repo_.usage(user_id, day, month_start);
  std::lock_guard lock(mu_);
  if (cache_.size() > 100000) cache_.clear();  // bounded: a flood of distinct users only costs queries
  cache_[user_id] = Cached{u, day, now};
  co_return u;
}

Task<void> Budgets::check(std::string user_id, Tier tier) {
  const auto& l = limits(tier);
  if (!l.any()) co_return;
  auto now = system_clock::now();
  year_month_day today{floor<days>(now)};
  std::string day = iso_date(sys_days(today)), month_start = iso_date(sys_days(today.year() / today.month() / 1));
  BudgetUsage u = co_await usage_of(user_id, day, month_start);
  auto v = judge(l, u, now);
  if (v.ok) co_return;
  std::string name(tier_name(tier));
  nlohmann::json details = {{"tier", name}, {"period", v.period}, {"limit", v.limit}, {"used", v.used},
                            {"kind", v.what}, {"retryAfter", v.retry_after_s}};
  throw AppError(ErrorCode::budget_exceeded,
                 "the " + (v.period == "day" ? std::string("daily") : std::string("monthly")) + " " + v.what +
                     " budget of tier " + name + " is used up (" + v.used + " of " + v.limit + ")",
                 std::move(details));
}

}  // namespace netops::gateway
