#include "modules/gateway/accounting_repo.hpp"

#include "db/db.hpp"

namespace netops::gateway {

namespace {
// usage_logs rows; created_at is the call's time, not the flush's. A row whose (created_at, usage_key) is
// already there (the batch was written before and its answer lost) is skipped; the keys inserted are answered
// so that the counters count only those.
const db::Query kInsertLogs{"gateway.usage_logs_insert", R"SQL(
INSERT INTO usage_logs (user_id, model_id, tier, prompt_tokens, completion_tokens, total_tokens, total_cost,
  quality_score, escalated, provider, latency_ms, upstream_latency_ms, status, error_code, estimated,
  cache_read_tokens, cache_write_tokens, request_id, attempts, conversation_id, created_at, cache_hit, usage_key)
SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::bigint[], $7::numeric[],
  $8::numeric[], $9::bool[], $10::text[], $11::int[], $12::int[], $13::text[], $14::text[], $15::bool[], $16::bigint[],
  $17::bigint[], $18::text[], $19::int[], $20::uuid[], $21::timestamptz[], $22::bool[], $23::uuid[])
ON CONFLICT (created_at, usage_key) DO NOTHING
RETURNING usage_key::text)SQL"};

// Rows are inserted in key order so two instances upserting the same keys lock them in the same order.
const db::Query kUpsertStats{"gateway.user_token_stats_upsert", R"SQL(
INSERT INTO user_token_stats AS s (user_id, date, model, provider, total_tokens, total_cost, message_count)
SELECT user_id, date, model, provider, total_tokens, total_cost, message_count
FROM json_to_recordset($1::json) AS x(user_id text, date date, model text, provider text, total_tokens bigint,
  total_cost numeric, message_count int)
ORDER BY user_id, date, model, provider
ON CONFLICT (user_id, date, model, provider) DO UPDATE SET
  total_tokens = s.total_tokens + EXCLUDED.total_tokens,
  total_cost = s.total_cost + EXCLUDED.total_cost,
  message_count = s.message_count + EXCLUDED.message_count)SQL"};

// conversation_count = distinct conversations of that (user, day, model, provider): a conversation is
// counted when its first row for the key is inserted into user_conversation_days, whichever batch or
// instance gets there first. The stats rows were upserted (and locked) by the previous statement.
const db::Query kCountConversations{"gateway.user_token_stats_conversations", R"SQL(
WITH x AS (
  SELECT DISTINCT user_id, date, model, provider, conversation_id
  FROM json_to_recordset($1::json) AS x(user_id text, date date, model text, provider text, conversation_id uuid)
), ins AS (
  INSERT INTO user_conversation_days (user_id, date, model, provider, conversation_id)
  SELECT * FROM x ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT DO NOTHING RETURNING user_id, date, model, provider
), n AS (SELECT user_id, date, model, provider, count(*) AS c FROM ins GROUP BY 1, 2, 3, 4)
UPDATE user_token_stats s SET conversation_count = s.conversation_count + n.c FROM n
WHERE s.user_id = n.user_id AND s.date = n.date AND s.model = n.model AND s.provider = n.provider)SQL"};

// Records whose row was refused and that are counted without it (migration 0022): the keys inserted are
// answered, so a write sent again after a lost COMMIT answer counts nothing twice.
const db::Query kMarkCountedWithoutRow{"gateway.usage_counted_without_row_insert", R"SQL(
INSERT INTO usage_counted_without_row (usage_key, request_id, user_id, model_id)
SELECT usage_key, request_id, user_id, model_id
FROM json_to_recordset($1::json) AS x(usage_key uuid, request_id text, user_id text, model_id text)
ON CONFLICT (usage_key) DO NOTHING
RETURNING usage_key::text)SQL"};

const db::Query kMarkSpill{"gateway.accounting_spill_mark", R"SQL(
INSERT INTO accounting_spill_files (id, records) VALUES ($1, $2::int) ON CONFLICT (id) DO NOTHING RETURNING id)SQL"};

// The usage_keys a RETURNING answered.
std::vector<std::string> keys_of(const db::Result& rows) {
  std::vector<std::string> keys;
  for (auto row : rows)
    if (auto k = row.opt<std::string>(0)) keys.push_back(std::move(*k));
  return keys;
}

}  // namespace

Task<std::vector<std::string>> AccountingRepo::insert_logs(db::Tx& tx, db::Params columns) {
  auto rows = co_await tx.query(kInsertLogs, std::move(columns));
  co_return keys_of(rows);
}

Task<std::vector<std::string>> AccountingRepo::mark_counted_without_row(db::Tx& tx, const std::string& rows_json) {
  db::Params p(rows_json);
  auto rows = co_await tx.query(kMarkCountedWithoutRow, std::move(p));
  co_return keys_of(rows);
}

Task<void> AccountingRepo::upsert_stats(db::Tx& tx, const std::string& rows_json) {
  db::Params p(rows_json);
  co_await tx.query(kUpsertStats, std::move(p));
}

Task<void> AccountingRepo::count_conversations(db::Tx& tx, const std::string& rows_json) {
  db::Params p(rows_json);
  co_await tx.query(kCountConversations, std::move(p));
}

Task<bool> AccountingRepo::mark_spill(db::Tx& tx, const std::string& id, std::size_t records) {
  db::Params p(id, static_cast<long long>(records));
  auto rows = co_await tx.query(kMarkSpill, std::move(p));
  co_return !rows.empty();
}

}  // namespace netops::gateway
