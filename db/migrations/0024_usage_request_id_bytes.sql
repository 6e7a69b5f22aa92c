-- usage_logs.request_id holds identifiers (a UUID or the client's X-Request-Id, checked by the server): it is
-- looked up by equality (GET /api/usage/logs?requestId=), never sorted for people. Under the database's
-- collation (C.UTF-8 as script/setup creates it, often en_US.UTF-8 elsewhere) each comparison in its btree
-- goes through strcoll(), and every call inserts one random key into that btree: in psql on this machine a
-- usage row cost 14.4 µs to insert with the index of 0020, 10.5 µs with an index comparing bytes
-- (BENCHMARKS.md "Session 15"). The index is rebuilt with COLLATE "C" (the table is not rewritten); the
-- lookup says `request_id COLLATE "C" = $1` to use it (ai_registry/usage_repo.cpp).
CREATE INDEX IF NOT EXISTS idx_usage_logs_request_id_bytes ON usage_logs (request_id COLLATE "C");
DROP INDEX IF EXISTS idx_usage_logs_request_id;
