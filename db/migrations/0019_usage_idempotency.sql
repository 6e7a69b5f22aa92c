-- Usage accounting exactly once (issue #17): every usage record carries an idempotency key, and a usage_logs
-- row is inserted only if its key is not there yet (INSERT … ON CONFLICT (created_at, usage_key) DO NOTHING).
-- A batch written twice — its COMMIT reached PostgreSQL but the answer was lost in an outage, and the
-- accounting retried it; or a spill file replayed after its rows were written — then adds nothing, and the
-- counters (user_token_stats, conversation counts, provider usage) are added only for the rows inserted.
--
-- usage_logs is partitioned by created_at (0015): a unique index on a partitioned table must contain the
-- partition key, so the key is (created_at, usage_key). created_at is the call's time, fixed in the record
-- (and in spill files, to the microsecond), so a replay carries the same pair. Rows written before this
-- migration have no key (NULL): NULLs never conflict. The index is created on every partition (and on
-- partitions attached later: ATTACH PARTITION builds the missing index).
ALTER TABLE usage_logs ADD COLUMN IF NOT EXISTS usage_key uuid;
CREATE UNIQUE INDEX IF NOT EXISTS usage_logs_usage_key ON usage_logs (created_at, usage_key);
