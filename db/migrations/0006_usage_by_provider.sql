-- Usage of one provider over time (GET /api/usage/logs?provider=…, provider health and credits).
CREATE INDEX IF NOT EXISTS idx_usage_logs_provider_created ON usage_logs (provider, created_at DESC);
