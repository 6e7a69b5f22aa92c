-- script/bench usage: prepares a database for generated usage rows (psql -v anchor='YYYY-MM-DD HH:MI:SS+00').
-- Monthly partitions for the 13 months the rows span (the server creates the current and next ones), and
-- the progress table batches resume from.
SELECT netops_create_month_partition('usage_logs', d::date)
FROM generate_series(date_trunc('month', :'anchor'::timestamptz - interval '13 months'),
                     date_trunc('month', :'anchor'::timestamptz), interval '1 month') AS d;
CREATE TABLE IF NOT EXISTS bench_usage_progress (anchor TIMESTAMPTZ NOT NULL, planned BIGINT NOT NULL, loaded BIGINT NOT NULL);
INSERT INTO bench_usage_progress (anchor, planned, loaded)
SELECT :'anchor'::timestamptz, :rows, 0 WHERE NOT EXISTS (SELECT 1 FROM bench_usage_progress);
