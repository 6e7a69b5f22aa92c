#include "modules/ai_registry/usage_repo.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "core/ids.hpp"
#include "db/where.hpp"

namespace netops::ai_registry {

namespace q {
// Percentiles from the latency histogram usage_model_latency_daily, exactly as percentile_cont computes
// them over the calls' latencies: with N calls sorted, position f·(N−1), interpolated between the values
// at its floor and ceiling. `hist` yields (g, v, n): a group, a latency value and how many calls had it.
// Answers (g, f, value) for f = 0.5 and 0.95, rounded to 0.1 ms.
std::string percentiles(const std::string& hist) {
  return "h AS (" + hist + "), "
         "c AS (SELECT g, v, sum(n) OVER w - n AS cs, sum(n) OVER w AS ce FROM h WINDOW w AS (PARTITION BY g ORDER BY v)), "
         "t AS (SELECT g, sum(n) AS total FROM h GROUP BY g), "
         "p AS (SELECT t.g, x.f, x.f * (t.total - 1)::float8 AS pos FROM t CROSS JOIN (VALUES (0.5::float8), (0.95::float8)) "
         "AS x(f) WHERE t.total > 0), "
         "pq AS (SELECT p.g, p.f, p.pos, min(c.v) FILTER (WHERE c.cs <= floor(p.pos) AND floor(p.pos) < c.ce) AS lo, "
         "min(c.v) FILTER (WHERE c.cs <= ceil(p.pos) AND ceil(p.pos) < c.ce) AS hi FROM p JOIN c ON c.g = p.g "
         "GROUP BY p.g, p.f, p.pos), "
         "pv AS (SELECT g, f, round((lo::float8 + (hi - lo)::float8 * (pos - floor(pos)))::numeric, 1)::float8 AS value "
         "FROM pq)";
}

// The columns of aggregates_from_row over usage_model_daily rows `d` (sums over the group).
const std::string kSums =
    "coalesce(sum(d.requests), 0)::bigint AS requests, coalesce(sum(d.successes), 0)::bigint AS successes, "
    "round(sum(d.successes)::numeric / nullif(sum(d.requests), 0), 4)::float8 AS success_rate, "
    "least(coalesce(sum(d.tokens), 0), 9e18)::bigint AS tokens, coalesce(sum(d.cost), 0)::numeric(18, 6)::text AS cost";

// The window: the last $2 UTC days, today included (the session time zone is UTC).
const std::string kPerformanceSql =
    "WITH " + percentiles("SELECT 0 AS g, latency_ms AS v, sum(calls) AS n FROM usage_model_latency_daily "
                          "WHERE model_id = $1 AND day >= current_date - ($2::int - 1) GROUP BY latency_ms") +
    " SELECT " + kSums + ", coalesce(sum(d.errors), 0)::bigint AS errors, "
    "round(sum(d.latency_sum) / nullif(sum(d.latency_count), 0), 1)::float8 AS avg_latency, "
    "least(coalesce(sum(d.prompt_tokens), 0), 9e18)::bigint AS prompt_tokens, "
    "least(coalesce(sum(d.completion_tokens), 0), 9e18)::bigint AS completion_tokens, "
    "coalesce(sum(d.escalations), 0)::bigint AS escalations, "
    "round(sum(d.quality_sum) / nullif(sum(d.quality_count), 0), 3)::float8 AS avg_quality, "
    "(SELECT value FROM pv WHERE f = 0.5) AS p50, (SELECT value FROM pv WHERE f = 0.95) AS p95, "
    "to_char(current_date - ($2::int - 1), 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS since "
    "FROM usage_model_daily d WHERE d.model_id = $1 AND d.day >= current_date - ($2::int - 1)";

// One row per UTC day of the window, days without calls included, oldest first. A day's percentiles come
// from the histogram only when not kept (migration 0023): today, or a day whose kept values were computed
// over another number of calls than it has now. What is computed for days before today is kept, by rows
// taken with SKIP LOCKED (two histories of one model at once never wait for each other or deadlock; a day
// one of them skipped is computed again next time). The answer uses the values computed by this statement.
const std::string kHistorySql =
    "WITH days AS (SELECT generate_series(current_date - ($2::int - 1), current_date, interval '1 day')::date AS day), "
    "need AS (SELECT day FROM usage_model_daily WHERE model_id = $1 AND day >= current_date - ($2::int - 1) "
    "AND latency_count > 0 AND (day = current_date OR pct_calls IS DISTINCT FROM latency_count)), " +
    percentiles("SELECT l.day AS g, l.latency_ms AS v, l.calls AS n FROM usage_model_latency_daily l "
                "JOIN need ON need.day = l.day WHERE l.model_id = $1") +
    ", fresh AS (SELECT pv.g AS day, max(pv.value) FILTER (WHERE pv.f = 0.5) AS p50, "
    "max(pv.value) FILTER (WHERE pv.f = 0.95) AS p95, max(t.total) AS total FROM pv JOIN t ON t.g = pv.g GROUP BY pv.g), "
    "kept AS (SELECT d.day FROM usage_model_daily d JOIN fresh ON fresh.day = d.day "
    "WHERE d.model_id = $1 AND d.day < current_date FOR UPDATE OF d SKIP LOCKED), "
    "stored AS (UPDATE usage_model_daily d SET p50 = fresh.p50, p95 = fresh.p95, pct_calls = fresh.total "
    "FROM fresh JOIN kept ON kept.day = fresh.day WHERE d.model_id = $1 AND d.day = fresh.day RETURNING d.day) "
    "SELECT to_char(days.day, 'YYYY-MM-DD') AS date, " + kSums +
    ", CASE WHEN max(fresh.day) IS NOT NULL THEN max(fresh.p50) ELSE max(d.p50) END AS p50, "
    "CASE WHEN max(fresh.day) IS NOT NULL THEN max(fresh.p95) ELSE max(d.p95) END AS p95 "
    "FROM days LEFT JOIN usage_model_daily d ON d.model_id = $1 AND d.day = days.day "
    "LEFT JOIN fresh ON fresh.day = days.day GROUP BY days.day ORDER BY days.day";

// All users' usage per UTC day over the last $1 days (today included), from usage_model_daily alone.
const std::string kDailySums =
    "coalesce(sum(d.requests), 0)::bigint AS requests, coalesce(sum(d.successes), 0)::bigint AS successes, "
    "coalesce(sum(d.errors), 0)::bigint AS errors, least(coalesce(sum(d.tokens), 0), 9e18)::bigint AS tokens, "
    "least(coalesce(sum(d.prompt_tokens), 0), 9e18)::bigint AS prompt_tokens, "
    "least(coalesce(sum(d.completion_tokens), 0), 9e18)::bigint AS completion_tokens, "
    "coalesce(sum(d.cost), 0)::numeric(18, 6)::text AS cost";
// Ungrouped: one row per day, days without calls as zeros, oldest first.
const std::string kDailySql =
    "WITH days AS (SELECT generate_series(current_date - ($1::int - 1), current_date, interval '1 day')::date AS day) "
    "SELECT to_char(days.day, 'YYYY-MM-DD') AS date, NULL::text AS key, " + kDailySums +
    " FROM days LEFT JOIN usage_model_daily d ON d.day = days.day GROUP BY days.day ORDER BY days.day";
// Grouped: one row per (day, model) or (day, provider) that had calls, oldest day first, then key.
const std::string kDailyByModelSql =
    "SELECT to_char(d.day, 'YYYY-MM-DD') AS date, d.model_id::text AS key, " + kDailySums +
    " FROM usage_model_daily d WHERE d.day >= current_date - ($1::int - 1) GROUP BY d.day, d.model_id "
    "ORDER BY d.day, d.model_id";
// The provider is the model's current one (model_configs); a deleted model's rows have a null key.
const std::string kDailyByProviderSql =
    "SELECT to_char(d.day, 'YYYY-MM-DD') AS date, m.provider::text AS key, " + kDailySums +
    " FROM usage_model_daily d LEFT JOIN model_configs m ON m.id = d.model_id "
    "WHERE d.day >= current_date - ($1::int - 1) GROUP BY d.day, m.provider ORDER BY d.day, m.provider NULLS LAST";

const db::Query kDaily{"usage.daily", kDailySql};
const db::Query kDailyByModel{"usage.daily_by_model", kDailyByModelSql};
const db::Query kDailyByProvider{"usage.daily_by_provider", kDailyByProviderSql};
const db::Query kSince{"usage.daily_since", "SELECT to_char(current_date - ($1::int - 1), 'YYYY-MM-DD') AS since"};

const db::Query kPerformance{"usage.model_performance", kPerformanceSql};
const db::Query kHistory{"usage.model_history", kHistorySql};

constexpr const char* kColumns =
    "SELECT id, user_id, model_id, provider, tier, prompt_tokens, completion_tokens, total_tokens, cache_read_tokens, "
    "cache_write_tokens, total_cost, quality_score::float8 AS quality_score, escalated, latency_ms, "
    "upstream_latency_ms, status, error_code, estimated, request_id, attempts, conversation_id, created_at, "
    "(extract(epoch FROM created_at) * 1000000)::bigint AS cursor_us FROM usage_logs";
}  // namespace q

std::optional<UsageCursor> UsageCursor::parse(std::string_view s) {
  auto dot = s.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 19) return std::nullopt;
  UsageCursor c;
  auto [end, ec] = std::from_chars(s.data(), s.data() + dot, c.micros);
  if (ec != std::errc() || end != s.data() + dot) return std::nullopt;
  c.id = std::string(s.substr(dot + 1));
  if (!is_uuid(c.id)) return std::nullopt;
  return c;
}

namespace {
// The filters of the list (each one an indexed column with (created_at, id) after it).
db::Where filters(const UsageFilter& f) {
  db::Where w;
  w.eq("user_id", f.user_id);
  w.eq("model_id", f.model_id);
  w.eq("provider", f.provider);
  w.eq("status", f.status);
  w.eq("request_id COLLATE \"C\"", f.request_id);  // the index of migration 0024 compares bytes
  if (f.from) w.add("created_at >= {}::timestamptz", *f.from);
  if (f.to) w.add("created_at < {}::timestamptz", *f.to);
  return w;
}
}  // namespace

Task<UsageLogPage> UsageRepo::list(const UsageFilter& f, const db::PageRequest& p,
                                   const std::optional<UsageCursor>& after) {
  // The page: one ordered index range per partition (merged), at most page_size rows read.
  db::Where w = filters(f);
  // The plain bound on created_at lets the planner skip the partitions newer than the cursor.
  if (after)
    w.add("created_at <= ('epoch'::timestamptz + {}::bigint * interval '1 microsecond') AND (created_at, id) < "
          "('epoch'::timestamptz + {}::bigint * interval '1 microsecond', " + w.param(after->id) + "::uuid)",
          after->micros);
  std::string sql = std::string(q::kColumns) + w.sql() + " ORDER BY created_at DESC, id DESC LIMIT " +
                    w.param(p.page_size) + (after ? std::string() : " OFFSET " + w.param(p.offset()));
  auto rows = co_await db_.query(sql, w.take_params());

  // The total: counted up to kCountCap + 1 matches (bounded work whatever the table holds).
  db::Where cw = filters(f);
  std::string count_sql = "SELECT count(*) AS total FROM (SELECT 1 FROM usage_logs" + cw.sql() + " LIMIT " +
                          cw.param(kCountCap + 1) + ") s";
  auto counted = co_await db_.query(count_sql, cw.take_params());
  auto total = counted.front().get<std::int64_t>("total");

  UsageLogPage out;
  out.page.page = after ? 1 : p.page;
  out.page.page_size = p.page_size;
  out.page.total = std::min<long long>(total, kCountCap);
  out.page.total_exact = total <= kCountCap;
  out.page.items.reserve(static_cast<std::size_t>(rows.size()));
  for (auto r : rows) {
    out.page.items.push_back(usage_from_row(r));
    out.next = UsageCursor{r.get<std::int64_t>("cursor_us"), r.get<std::string>("id")};
  }
  if (static_cast<long long>(out.page.items.size()) < p.page_size) out.next.reset();
  co_return out;
}

Task<UsageDaily> UsageRepo::daily(int days, const std::string& group_by) {
  const db::Query& query = group_by == "model" ? q::kDailyByModel : group_by == "provider" ? q::kDailyByProvider : q::kDaily;
  auto rows = co_await db_.query(query, db::Params(days));
  auto since = co_await db_.query(q::kSince, db::Params(days));
  UsageDaily out;
  out.days = days;
  out.group_by = group_by;
  out.since = since.front().get<std::string>("since");
  out.data.reserve(static_cast<std::size_t>(rows.size()));
  for (auto r : rows) {
    out.data.push_back({.date = r.get<std::string>("date"),
                        .key = r.opt<std::string>("key"),
                        .requests = r.get<std::int64_t>("requests"),
                        .successes = r.get<std::int64_t>("successes"),
                        .errors = r.get<std::int64_t>("errors"),
                        .tokens = r.get<std::int64_t>("tokens"),
                        .prompt_tokens = r.get<std::int64_t>("prompt_tokens"),
                        .completion_tokens = r.get<std::int64_t>("completion_tokens"),
                        .cost = r.get<std::string>("cost")});
  }
  co_return out;
}

Task<ModelPerformance> UsageRepo::performance(const std::string& model_id, int days) {
  auto rows = co_await db_.query(q::kPerformance, db::Params(model_id, days));
  auto r = rows.front();
  ModelPerformance out;
  out.model_id = model_id;
  out.days = days;
  out.since = r.get<std::string>("since");
  out.totals = aggregates_from_row(r);
  out.errors = r.get<std::int64_t>("errors");
  out.latency_avg_ms = r.opt<double>("avg_latency");
  out.prompt_tokens = r.get<std::int64_t>("prompt_tokens");
  out.completion_tokens = r.get<std::int64_t>("completion_tokens");
  out.escalations = r.get<std::int64_t>("escalations");
  out.avg_quality_score = r.opt<double>("avg_quality");
  co_return out;
}

Task<ModelHistory> UsageRepo::history(const std::string& model_id, int days) {
  auto rows = co_await db_.query(q::kHistory, db::Params(model_id, days));
  ModelHistory out;
  out.model_id = model_id;
  out.days = days;
  for (auto r : rows) out.data.push_back({r.get<std::string>("date"), aggregates_from_row(r)});
  co_return out;
}

}  // namespace netops::ai_registry
