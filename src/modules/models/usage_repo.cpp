// UsageRepo: reads of usage_logs (the gateway writes them): the admin log list and per-model statistics.
#include "modules/models/repo.hpp"

namespace netops::models {

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

namespace {
nlohmann::json aggregates(const db::Row& r) {
  return {{"requests", r.json("requests")},       {"successes", r.json("successes")},
          {"successRate", r.json("success_rate")}, {"latencyP50Ms", r.json("p50")},
          {"latencyP95Ms", r.json("p95")},         {"tokens", r.json("tokens")},
          {"cost", r.get<std::string>("cost")}};
}
}  // namespace

Task<std::pair<nlohmann::json, long long>> UsageRepo::list(const UsageFilter& f, const http::Paging& p) {
  db::Params params;
  std::string where = " WHERE true";
  if (f.user_id) where += " AND user_id = " + params.push(*f.user_id);
  if (f.model_id) where += " AND model_id = " + params.push(*f.model_id);
  if (f.provider) where += " AND provider = " + params.push(*f.provider);
  if (f.status) where += " AND status = " + params.push(*f.status);
  if (f.from) where += " AND created_at >= " + params.push(*f.from) + "::timestamptz";
  if (f.to) where += " AND created_at < " + params.push(*f.to) + "::timestamptz";
  std::string sql =
      "SELECT id, user_id, model_id, provider, tier, prompt_tokens, completion_tokens, total_tokens, cache_read_tokens, "
      "cache_write_tokens, total_cost, quality_score::float8 AS quality_score, escalated, latency_ms, "
      "upstream_latency_ms, status, error_code, estimated, request_id, attempts, conversation_id, created_at, "
      "count(*) OVER () AS total FROM usage_logs" + where + " ORDER BY created_at DESC, id DESC LIMIT " +
      params.push(p.page_size) + " OFFSET " + params.push(p.offset());
  auto rows = co_await db_.query(sql, std::move(params));
  nlohmann::json out = nlohmann::json::array();
  long long total = 0;
  for (auto r : rows) {
    total = r.get<std::int64_t>("total");
    out.push_back({{"id", r.get<std::string>("id")},
                   {"userId", r.json("user_id")},
                   {"modelId", r.json("model_id")},
                   {"provider", r.json("provider")},
                   {"tier", r.json("tier")},
                   {"promptTokens", r.json("prompt_tokens")},
                   {"completionTokens", r.json("completion_tokens")},
                   {"totalTokens", r.json("total_tokens")},
                   {"cacheReadTokens", r.json("cache_read_tokens")},
                   {"cacheWriteTokens", r.json("cache_write_tokens")},
                   {"totalCost", r.json("total_cost")},
                   {"qualityScore", r.json("quality_score")},
                   {"escalated", r.json("escalated")},
                   {"latencyMs", r.json("latency_ms")},
                   {"upstreamLatencyMs", r.json("upstream_latency_ms")},
                   {"status", r.json("status")},
                   {"errorCode", r.json("error_code")},
                   {"estimated", r.json("estimated")},
                   {"requestId", r.json("request_id")},
                   {"attempts", r.json("attempts")},
                   {"conversationId", r.json("conversation_id")},
                   {"createdAt", r.timestamp("created_at")}});
  }
  co_return std::make_pair(std::move(out), total);
}

Task<nlohmann::json> UsageRepo::performance(const std::string& model_id, int days) {
  auto rows = co_await db_.query(q::kPerformance, db::Params(model_id, days));
  auto r = rows.front();
  auto out = aggregates(r);
  out["modelId"] = model_id;
  out["days"] = days;
  out["since"] = r.get<std::string>("since");
  out["errors"] = r.json("errors");
  out["latencyAvgMs"] = r.json("avg_latency");
  out["promptTokens"] = r.json("prompt_tokens");
  out["completionTokens"] = r.json("completion_tokens");
  out["escalations"] = r.json("escalations");
  out["avgQualityScore"] = r.json("avg_quality");
  co_return out;
}

Task<nlohmann::json> UsageRepo::history(const std::string& model_id, int days) {
  auto rows = co_await db_.query(q::kHistory, db::Params(model_id, days));
  nlohmann::json data = nlohmann::json::array();
  for (auto r : rows) {
    auto day = aggregates(r);
    day["date"] = r.get<std::string>("date");
    data.push_back(std::move(day));
  }
  nlohmann::json out = {{"modelId", model_id}, {"days", days}, {"data", std::move(data)}};
  co_return out;
}

}  // namespace netops::models
