-- Accounting safety (issue #10): every column that stores what the code writes is wide enough for it, so a
-- record is never refused for one field.

-- Request ids: the pipeline accepts a client's X-Request-Id of at most 100 characters (else it makes a
-- UUID); every column holding one is at least 128 wide, so no accepted id can make a row unwritable.
ALTER TABLE usage_logs ALTER COLUMN request_id TYPE VARCHAR(128);
ALTER TABLE audit_logs ALTER COLUMN correlation_id TYPE VARCHAR(128);
ALTER TABLE asset_events ALTER COLUMN correlation_id TYPE VARCHAR(128);
ALTER TABLE maintenance_tickets ALTER COLUMN correlation_id TYPE VARCHAR(128);

-- Error codes, model and provider ids as the accounting writes them (model ids are VARCHAR(100) in
-- model_configs, but user_token_stats holds 150; keep the log as wide as the stats).
ALTER TABLE usage_logs ALTER COLUMN error_code TYPE VARCHAR(100);
ALTER TABLE usage_logs ALTER COLUMN model_id TYPE VARCHAR(150);

-- Token counts: a call's prompt counts its cached tokens too, and each count is clamped to 10^9, so a
-- call's total can pass 2^31.
ALTER TABLE usage_logs ALTER COLUMN prompt_tokens TYPE BIGINT;
ALTER TABLE usage_logs ALTER COLUMN completion_tokens TYPE BIGINT;
ALTER TABLE usage_logs ALTER COLUMN total_tokens TYPE BIGINT;
ALTER TABLE usage_logs ALTER COLUMN cache_read_tokens TYPE BIGINT;
ALTER TABLE usage_logs ALTER COLUMN cache_write_tokens TYPE BIGINT;

-- Costs: the gateway's decimal holds up to 9,223,372.036854775807 USD; the columns hold at least that
-- (a per-call cost of 10,000 USD or more was refused by DECIMAL(10,6) and the record dropped).
ALTER TABLE usage_logs ALTER COLUMN total_cost TYPE NUMERIC(16,6);
ALTER TABLE user_token_stats ALTER COLUMN total_cost TYPE NUMERIC(18,6);
ALTER TABLE ai_providers ALTER COLUMN credits_remaining TYPE NUMERIC(18,4);

-- A socket's IPv6 address with its zone ("fe80::1%enp0s31f6") is longer than 45 characters.
ALTER TABLE sessions ALTER COLUMN ip_address TYPE VARCHAR(100);

-- Spill files of usage records replayed at start-up (modules/gateway/spill.hpp): the row is inserted in
-- the transaction that writes the file's records, so a file is replayed exactly once even when the process
-- stops between that commit and the file's deletion.
CREATE TABLE IF NOT EXISTS accounting_spill_files (
  id TEXT PRIMARY KEY,
  records INT NOT NULL,
  replayed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
