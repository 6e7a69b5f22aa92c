#include "modules/ai_registry/usage_repo.hpp"

#include "db/where.hpp"

namespace netops::ai_registry {

namespace q {
// Latency percentiles over every call with a latency (errors included: a timeout is part of what a caller
// waited); tokens fall back to prompt + completion where total_tokens is missing. `l` prefixes columns.
std::string aggregates(const std::string& l) {
  std::string requests = "count(" + l + "created_at)";
  std::string ok = "count(*) FILTER (WHERE " + l + "status = 'success')";
  return requests + " AS requests, " + ok + " AS successes, round(" + ok + "::numeric / nullif(" + requests +
         ", 0), 4)::float8 AS success_rate, "
         "round(percentile_cont(0.5) WITHIN GROUP (ORDER BY " + l + "latency_ms)::numeric, 1)::float8 AS p50, "
         "round(percentile_cont(0.95) WITHIN GROUP (ORDER BY " + l + "latency_ms)::numeric, 1)::float8 AS p95, "
         "coalesce(sum(coalesce(" + l + "total_tokens, coalesce(" + l + "prompt_tokens, 0) + coalesce(" + l +
         "completion_tokens, 0))), 0)::bigint AS tokens, "
         "coalesce(sum(" + l + "total_cost), 0)::numeric(18, 6)::text AS cost";
}

const std::string kPerformanceSql =
    "SELECT " + aggregates("") + ", count(*) FILTER (WHERE status = 'error') AS errors, "
    "round(avg(latency_ms)::numeric, 1)::float8 AS avg_latency, "
    "coalesce(sum(prompt_tokens), 0)::bigint AS prompt_tokens, "
    "coalesce(sum(completion_tokens), 0)::bigint AS completion_tokens, "
    "count(*) FILTER (WHERE escalated) AS escalations, "
    "round(avg(quality_score), 3)::float8 AS avg_quality, "
    "to_char(now() - make_interval(days => $2::int), 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS since "
    "FROM usage_logs WHERE model_id = $1 AND created_at >= now() - make_interval(days => $2::int)";

// One row per UTC day of the window (the session time zone is UTC), days without calls included, oldest first.
const std::string kHistorySql =
    "WITH days AS (SELECT generate_series(current_date - ($2::int - 1), current_date, interval '1 day')::date AS day), "
    "logs AS (SELECT created_at::date AS day, status, latency_ms, total_tokens, prompt_tokens, completion_tokens, "
    "total_cost, created_at FROM usage_logs WHERE model_id = $1 AND created_at >= current_date - ($2::int - 1)) "
    "SELECT to_char(d.day, 'YYYY-MM-DD') AS date, " + aggregates("l.") +
    " FROM days d LEFT JOIN logs l ON l.day = d.day GROUP BY d.day ORDER BY d.day";

const db::Query kPerformance{"usage.model_performance", kPerformanceSql};
const db::Query kHistory{"usage.model_history", kHistorySql};
}  // namespace q

Task<db::Page<UsageLog>> UsageRepo::list(const UsageFilter& f, const db::PageRequest& p) {
  db::Where w;
  w.eq("user_id", f.user_id);
  w.eq("model_id", f.model_id);
  w.eq("provider", f.provider);
  w.eq("status", f.status);
  if (f.from) w.add("created_at >= {}::timestamptz", *f.from);
  if (f.to) w.add("created_at < {}::timestamptz", *f.to);
  std::string sql =
      "SELECT id, user_id, model_id, provider, tier, prompt_tokens, completion_tokens, total_tokens, cache_read_tokens, "
      "cache_write_tokens, total_cost, quality_score::float8 AS quality_score, escalated, latency_ms, "
      "upstream_latency_ms, status, error_code, estimated, request_id, attempts, conversation_id, created_at, "
      "count(*) OVER () AS total FROM usage_logs" + w.sql();
  db::Sort newest{"created_at", true};
  sql += w.order_and_window(newest, p, "id DESC");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<UsageLog>(rows, p, usage_from_row);
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
