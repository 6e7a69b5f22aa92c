-- Data that grows without limit (issue #17, item 6): usage_logs and audit_logs are range-partitioned by
-- month (declarative partitioning) on created_at, with a DEFAULT partition so no insert ever fails, and
-- the per-model reports read daily roll-ups instead of raw rows.
--
-- Keys. A partitioned table's primary key and unique constraints must contain the partition key:
--   usage_logs  PRIMARY KEY (created_at, id)   (was (id); ids are gen_random_uuid(), still unique per row;
--   audit_logs  PRIMARY KEY (created_at, id)    the key doubles as the keyset index of the newest-first lists)
-- Nothing else relied on the old keys: no foreign key references usage_logs or audit_logs, no ON CONFLICT
-- targets them, no statement looks a row up by id alone. The accounting's exactly-once guarantees live in
-- other tables and are untouched: a spill file is replayed once because its id is inserted into
-- accounting_spill_files (PRIMARY KEY id, ON CONFLICT DO NOTHING) in the same transaction as its usage_logs
-- rows; user_token_stats (ON CONFLICT (user_id, date, model, provider)) and user_conversation_days keep
-- their keys. The roll-ups below are written by a statement trigger in the same transaction as the rows.
--
-- Partitions are named <table>_pYYYYMM and cover [first of month, first of next month) in UTC. The server
-- calls netops_maintain_partitions() at start and daily (modules/partitions) to create the current and
-- next months and to drop months older than the retention setting.

-- ── Partition maintenance ────────────────────────────────────────────────────────────────────────────
-- Creates <parent>_pYYYYMM for month m (any date in it): a plain table shaped like the parent, the rows of
-- that month the default partition caught moved into it, then ATTACH PARTITION. ATTACH takes only a SHARE
-- UPDATE EXCLUSIVE lock on the parent (CREATE … PARTITION OF would take ACCESS EXCLUSIVE and stall every
-- reader and writer behind it); the default partition is locked while its rows of that month move out.
CREATE OR REPLACE FUNCTION netops_create_month_partition(parent text, m date) RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
  lo date := date_trunc('month', m)::date;
  hi date := (date_trunc('month', m) + interval '1 month')::date;
  part text := parent || '_p' || to_char(lo, 'YYYYMM');
  lo_ts text := quote_literal(lo::text || ' 00:00:00+00');
  hi_ts text := quote_literal(hi::text || ' 00:00:00+00');
BEGIN
  IF to_regclass(part) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
  EXECUTE format('LOCK TABLE %I IN SHARE ROW EXCLUSIVE MODE', parent || '_default');
  EXECUTE format('WITH moved AS (DELETE FROM %I WHERE created_at >= %s AND created_at < %s RETURNING *) '
                 'INSERT INTO %I SELECT * FROM moved', parent || '_default', lo_ts, hi_ts, part);
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', parent, part, lo_ts, hi_ts);
  RETURN true;
END
$fn$;

-- Creates the months from `today`'s through `ahead` months later, and (retention_months > 0) drops the
-- monthly partitions that end on or before the first of (today's month − retention_months + 1), i.e.
-- keeps the current month and the retention_months − 1 before it; rows of those months in the default
-- partition are deleted too. retention_months = 0 keeps everything. Answers what it did as JSON.
-- Callers serialise it (the server holds an advisory lock); it takes explicit dates so tests need no clock.
CREATE OR REPLACE FUNCTION netops_maintain_partitions(parent text, today date, ahead int, retention_months int)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  created text[] := '{}';
  dropped text[] := '{}';
  cutoff date;
  r record;
  i int;
BEGIN
  IF parent NOT IN ('usage_logs', 'audit_logs') THEN
    RAISE EXCEPTION 'netops_maintain_partitions: % is not a partitioned log table', parent;
  END IF;
  FOR i IN 0 .. greatest(ahead, 0) LOOP
    IF netops_create_month_partition(parent, (date_trunc('month', today) + make_interval(months => i))::date) THEN
      created := created || (parent || '_p' || to_char(date_trunc('month', today) + make_interval(months => i), 'YYYYMM'));
    END IF;
  END LOOP;
  IF retention_months > 0 THEN
    cutoff := (date_trunc('month', today) - make_interval(months => retention_months - 1))::date;
    FOR r IN
      SELECT c.relname::text AS name
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = parent AND c.relname ~ ('^' || parent || '_p[0-9]{6}$')
        AND to_date(right(c.relname, 6), 'YYYYMM') < cutoff
      ORDER BY 1
    LOOP
      EXECUTE format('DROP TABLE %I', r.name);
      dropped := dropped || r.name;
    END LOOP;
    EXECUTE format('DELETE FROM %I WHERE created_at < %L::timestamptz', parent || '_default',
                   cutoff::text || ' 00:00:00+00');
  END IF;
  RETURN jsonb_build_object('table', parent, 'created', to_jsonb(created), 'dropped', to_jsonb(dropped));
END
$fn$;

-- ── usage_logs ───────────────────────────────────────────────────────────────────────────────────────
ALTER TABLE usage_logs RENAME TO usage_logs_unpartitioned;
CREATE TABLE usage_logs (LIKE usage_logs_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
  PARTITION BY RANGE (created_at);
CREATE TABLE usage_logs_default PARTITION OF usage_logs DEFAULT;
-- A partition for every month that holds rows (the 240 most recent; older ones stay in the default),
-- created before the rows are copied so they land in their months.
SELECT netops_create_month_partition('usage_logs', m)
FROM (SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS m FROM usage_logs_unpartitioned
      ORDER BY 1 DESC LIMIT 240) months;
SELECT netops_maintain_partitions('usage_logs', (now() AT TIME ZONE 'UTC')::date, 2, 0);
INSERT INTO usage_logs SELECT * FROM usage_logs_unpartitioned;
DROP TABLE usage_logs_unpartitioned;

ALTER TABLE usage_logs ADD CONSTRAINT usage_logs_pkey PRIMARY KEY (created_at, id);
-- The filters of GET /api/usage/logs, each with (created_at, id) so a filtered page is one ordered index
-- range (keyset: WHERE (created_at, id) < (…) ORDER BY created_at DESC, id DESC LIMIT n).
CREATE INDEX idx_usage_logs_user_created ON usage_logs (user_id, created_at, id);
CREATE INDEX idx_usage_logs_model_created ON usage_logs (model_id, created_at, id);
CREATE INDEX idx_usage_logs_provider_created ON usage_logs (provider, created_at, id);
CREATE INDEX idx_usage_logs_status_created ON usage_logs (status, created_at, id);
CREATE INDEX idx_usage_logs_conversation_id ON usage_logs (conversation_id) WHERE conversation_id IS NOT NULL;

-- ── audit_logs ───────────────────────────────────────────────────────────────────────────────────────
ALTER TABLE audit_logs RENAME TO audit_logs_unpartitioned;
CREATE TABLE audit_logs (LIKE audit_logs_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
  PARTITION BY RANGE (created_at);
CREATE TABLE audit_logs_default PARTITION OF audit_logs DEFAULT;
SELECT netops_create_month_partition('audit_logs', m)
FROM (SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS m FROM audit_logs_unpartitioned
      ORDER BY 1 DESC LIMIT 240) months;
SELECT netops_maintain_partitions('audit_logs', (now() AT TIME ZONE 'UTC')::date, 2, 0);
INSERT INTO audit_logs SELECT * FROM audit_logs_unpartitioned;
DROP TABLE audit_logs_unpartitioned;

ALTER TABLE audit_logs ADD CONSTRAINT audit_logs_pkey PRIMARY KEY (created_at, id);
CREATE INDEX idx_audit_logs_user_created ON audit_logs (user_id, created_at, id);
CREATE INDEX idx_audit_logs_action ON audit_logs (action, created_at, id);
CREATE INDEX idx_audit_logs_resource ON audit_logs (resource, created_at, id);
CREATE INDEX idx_audit_logs_correlation_id ON audit_logs (correlation_id);

-- ── Daily roll-ups of usage_logs per model (GET /api/models/{id}/performance and /history) ─────────────
-- One row per (model, UTC day): the sums behind requests, success rate, tokens, cost, escalations and
-- the averages. Percentiles cannot be summed, so latencies are kept as a histogram per (model, day):
-- exact milliseconds below 1,000 ms, rounded to 3 significant digits above (at most 0.5 % off), which
-- percentile_cont's interpolation then runs over — the same figure as over the raw rows below 1 s.
CREATE TABLE IF NOT EXISTS usage_model_daily (
  model_id VARCHAR(150) NOT NULL,
  day DATE NOT NULL,
  requests BIGINT NOT NULL DEFAULT 0,
  successes BIGINT NOT NULL DEFAULT 0,
  errors BIGINT NOT NULL DEFAULT 0,
  escalations BIGINT NOT NULL DEFAULT 0,
  tokens NUMERIC NOT NULL DEFAULT 0,
  prompt_tokens NUMERIC NOT NULL DEFAULT 0,
  completion_tokens NUMERIC NOT NULL DEFAULT 0,
  cost NUMERIC NOT NULL DEFAULT 0,
  latency_sum NUMERIC NOT NULL DEFAULT 0,
  latency_count BIGINT NOT NULL DEFAULT 0,
  quality_sum NUMERIC NOT NULL DEFAULT 0,
  quality_count BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (model_id, day)
);
CREATE TABLE IF NOT EXISTS usage_model_latency_daily (
  model_id VARCHAR(150) NOT NULL,
  day DATE NOT NULL,
  latency_ms INT NOT NULL,
  calls BIGINT NOT NULL,
  PRIMARY KEY (model_id, day, latency_ms)
);

-- The histogram bucket of a latency: exact below 1,000 ms, 3 significant digits above.
CREATE OR REPLACE FUNCTION netops_latency_bucket(ms int) RETURNS int LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE WHEN ms < 1000 THEN ms
              ELSE round(ms::numeric, 3 - length(ms::text))::bigint::int END
$fn$;

-- Adds a set of usage_logs rows (the statement's new rows) to the roll-ups, keys in order so concurrent
-- writers lock the same rows in the same order. Rows without a model are not part of any model report.
CREATE OR REPLACE FUNCTION netops_usage_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO usage_model_daily AS d (model_id, day, requests, successes, errors, escalations, tokens, prompt_tokens,
    completion_tokens, cost, latency_sum, latency_count, quality_sum, quality_count)
  SELECT model_id, (created_at AT TIME ZONE 'UTC')::date, count(*), count(*) FILTER (WHERE status = 'success'),
    count(*) FILTER (WHERE status = 'error'), count(*) FILTER (WHERE escalated),
    coalesce(sum(coalesce(total_tokens, coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0))), 0),
    coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0), coalesce(sum(total_cost), 0),
    coalesce(sum(latency_ms), 0), count(latency_ms), coalesce(sum(quality_score), 0), count(quality_score)
  FROM new_rows WHERE model_id IS NOT NULL
  GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (model_id, day) DO UPDATE SET
    requests = d.requests + EXCLUDED.requests, successes = d.successes + EXCLUDED.successes,
    errors = d.errors + EXCLUDED.errors, escalations = d.escalations + EXCLUDED.escalations,
    tokens = d.tokens + EXCLUDED.tokens, prompt_tokens = d.prompt_tokens + EXCLUDED.prompt_tokens,
    completion_tokens = d.completion_tokens + EXCLUDED.completion_tokens, cost = d.cost + EXCLUDED.cost,
    latency_sum = d.latency_sum + EXCLUDED.latency_sum, latency_count = d.latency_count + EXCLUDED.latency_count,
    quality_sum = d.quality_sum + EXCLUDED.quality_sum, quality_count = d.quality_count + EXCLUDED.quality_count;
  INSERT INTO usage_model_latency_daily AS l (model_id, day, latency_ms, calls)
  SELECT model_id, (created_at AT TIME ZONE 'UTC')::date, netops_latency_bucket(latency_ms), count(*)
  FROM new_rows WHERE model_id IS NOT NULL AND latency_ms IS NOT NULL
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (model_id, day, latency_ms) DO UPDATE SET calls = l.calls + EXCLUDED.calls;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER usage_logs_rollup AFTER INSERT ON usage_logs REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION netops_usage_rollup_insert();

-- The roll-ups of the rows that exist now (the trigger counts every row inserted from here on).
INSERT INTO usage_model_daily (model_id, day, requests, successes, errors, escalations, tokens, prompt_tokens,
  completion_tokens, cost, latency_sum, latency_count, quality_sum, quality_count)
SELECT model_id, (created_at AT TIME ZONE 'UTC')::date, count(*), count(*) FILTER (WHERE status = 'success'),
  count(*) FILTER (WHERE status = 'error'), count(*) FILTER (WHERE escalated),
  coalesce(sum(coalesce(total_tokens, coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0))), 0),
  coalesce(sum(prompt_tokens), 0), coalesce(sum(completion_tokens), 0), coalesce(sum(total_cost), 0),
  coalesce(sum(latency_ms), 0), count(latency_ms), coalesce(sum(quality_score), 0), count(quality_score)
FROM usage_logs WHERE model_id IS NOT NULL GROUP BY 1, 2;
INSERT INTO usage_model_latency_daily (model_id, day, latency_ms, calls)
SELECT model_id, (created_at AT TIME ZONE 'UTC')::date, netops_latency_bucket(latency_ms), count(*)
FROM usage_logs WHERE model_id IS NOT NULL AND latency_ms IS NOT NULL GROUP BY 1, 2, 3;
