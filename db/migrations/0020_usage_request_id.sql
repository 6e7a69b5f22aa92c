-- A call's usage row by its x-request-id (the console's "open one request", GET /api/usage/logs?requestId=):
-- an index on every partition, so the lookup needs no date window.
CREATE INDEX IF NOT EXISTS idx_usage_logs_request_id ON usage_logs (request_id);
