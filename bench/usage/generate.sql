-- script/bench usage: one batch of generated usage_logs rows, k in [:lo, :hi) of :rows, in time order over
-- the 365 days before :'anchor' (as the gateway appends them). 10,000 users (ids 00000000-0000-4000-8000-000000000000 …), 20 models (bench/m00 …
-- bench/m19, provider bench), latencies 200–4,999 ms, one call in 50 failed. The usage_logs statement
-- trigger fills the per-model roll-ups as in production; user_token_stats (what budgets and the user
-- reports read) is filled from the same rows, as the accounting does.
WITH g AS (
  SELECT '00000000-0000-4000-8000-' || lpad(((k * 7919) % 10000)::text, 12, '0') AS user_id,
         'bench/m' || lpad(((k * 31) % 20)::text, 2, '0') AS model_id,
         100 + k % 900 AS prompt_tokens, 50 + k % 400 AS completion_tokens,
         200 + (k * 37) % 4800 AS latency_ms,
         CASE WHEN k % 50 = 0 THEN 'error' ELSE 'success' END AS status,
         'bench-' || k AS request_id,
         :'anchor'::timestamptz - interval '365 days' + (k * (365 * 86400.0 / :rows)) * interval '1 second' AS created_at
  FROM generate_series(:lo::bigint, :hi::bigint - 1) AS k
), ins AS (
  INSERT INTO usage_logs (user_id, model_id, tier, prompt_tokens, completion_tokens, total_tokens, total_cost, provider,
    latency_ms, upstream_latency_ms, status, error_code, request_id, created_at)
  SELECT user_id, model_id, 1, prompt_tokens, completion_tokens, prompt_tokens + completion_tokens,
    round((prompt_tokens * 0.001 + completion_tokens * 0.002) / 1000, 6), 'bench', latency_ms, latency_ms - 20, status,
    CASE WHEN status = 'error' THEN 'http_503' END, request_id, created_at
  FROM g
)
INSERT INTO user_token_stats AS s (user_id, date, model, provider, total_tokens, total_cost, message_count)
SELECT user_id, (created_at AT TIME ZONE 'UTC')::date, model_id, 'bench', sum(prompt_tokens + completion_tokens),
  sum(round((prompt_tokens * 0.001 + completion_tokens * 0.002) / 1000, 6)), count(*) FILTER (WHERE status = 'success')
FROM g GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
ON CONFLICT (user_id, date, model, provider) DO UPDATE SET
  total_tokens = s.total_tokens + EXCLUDED.total_tokens, total_cost = s.total_cost + EXCLUDED.total_cost,
  message_count = s.message_count + EXCLUDED.message_count;
UPDATE bench_usage_progress SET loaded = :hi;
