-- Gateway APIs (issue 18): a usage_logs row answered from the gateway's response cache says so. Such rows
-- carry 0 tokens and 0 cost (the upstream was not called), so they never count against a budget.
-- Additive only: usage_logs may be partitioned by 0015, and nothing here depends on its primary key.
ALTER TABLE usage_logs ADD COLUMN IF NOT EXISTS cache_hit BOOLEAN NOT NULL DEFAULT false;
