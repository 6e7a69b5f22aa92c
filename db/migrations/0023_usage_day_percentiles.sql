-- A finished day's latency percentiles, kept once computed (GET /api/models/{id}/history). Percentiles
-- cannot be summed, so each day's p50/p95 is interpolated over its latency histogram
-- (usage_model_latency_daily, migration 0015); a year-long history did that over ~440,000 histogram rows
-- for a busy model (244 ms at 50 M usage rows, BENCHMARKS.md). The history now stores what it computed
-- for days before today, with the number of calls the histogram held then (pct_calls): the stored values
-- are used only while pct_calls = latency_count, so a late row landing on that day (a spill file replayed,
-- a batch retried) makes the day computed again. Today is always computed.
ALTER TABLE usage_model_daily
  ADD COLUMN IF NOT EXISTS p50 float8,
  ADD COLUMN IF NOT EXISTS p95 float8,
  ADD COLUMN IF NOT EXISTS pct_calls bigint;
