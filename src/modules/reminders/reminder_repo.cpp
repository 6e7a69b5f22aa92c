#include "modules/reminders/reminder_repo.hpp"

#include "db/where.hpp"

namespace netops::reminders {

namespace q {
#define REMINDER_COLUMNS                                                                                         \
  "r.id, r.reminder_type, r.asset_id, a.asset_code, r.due_at, r.status, r.channel, r.sent_at, r.correlation_id, " \
  "r.read_at, r.attempts, r.last_error, r.created_at, r.next_attempt_at, r.canceled_at, r.details, r.updated_at"
#define REMINDER_FROM " FROM reminders r JOIN assets a ON a.id = r.asset_id"
#define REMINDER_RETURNING \
  " RETURNING *) SELECT " REMINDER_COLUMNS " FROM r JOIN assets a ON a.id = r.asset_id"
constexpr db::Query kFind{"reminders.find", "SELECT " REMINDER_COLUMNS REMINDER_FROM " WHERE r.id = $1"};
constexpr db::Query kLock{"reminders.lock", "SELECT " REMINDER_COLUMNS REMINDER_FROM " WHERE r.id = $1 FOR UPDATE OF r"};
constexpr db::Query kRead{"reminders.read",
                          "WITH r AS (UPDATE reminders SET read_at = coalesce(read_at, now()), updated_at = now() "
                          "WHERE id = $1" REMINDER_RETURNING};
constexpr db::Query kCancel{"reminders.cancel",
                            "WITH r AS (UPDATE reminders SET status = 'canceled', canceled_at = now(), "
                            "claimed_until = NULL, claim_token = NULL, updated_at = now() WHERE id = $1" REMINDER_RETURNING};

// "netopsRM": one advisory key for every instance; transaction-scoped, so a crash cannot leave it held.
constexpr db::Query kLockWait{"reminders.generation_lock", "SELECT pg_advisory_xact_lock(7954894102378384717)"};
constexpr db::Query kLockTry{"reminders.generation_try_lock",
                             "SELECT pg_try_advisory_xact_lock(7954894102378384717) AS locked"};
constexpr db::Query kLongStatements{"reminders.long_statements", "SET LOCAL statement_timeout = '600s'"};

// Today is the UTC day. A reminder's due_at is its due date at 00:00 UTC.
constexpr db::Query kCreateWarranty{
    "reminders.create_warranty",
    "INSERT INTO reminders (reminder_type, asset_id, due_at, channel, details, correlation_id) "
    "SELECT 'warranty_expiring', a.id, a.warranty_end::timestamp AT TIME ZONE 'UTC', $2, "
    "jsonb_build_object('assetCode', a.asset_code, 'warrantyEnd', a.warranty_end), $3 "
    "FROM assets a "
    "WHERE a.warranty_end >= (now() AT TIME ZONE 'UTC')::date "
    "AND a.warranty_end <= (now() AT TIME ZONE 'UTC')::date + $1::int AND a.status <> 'disposed' "
    "ON CONFLICT (asset_id, reminder_type, due_at) DO NOTHING"};
// Models whose spec declares maintenanceIntervalDays (a number, or a string of digits; 1..36500 days);
// due = (last closed ticket's day, else the purchase date) + interval; created once the due date is reached.
constexpr db::Query kCreateMaintenance{
    "reminders.create_maintenance",
    "WITH m AS ("
    "  SELECT id, d::int AS days FROM ("
    "    SELECT id, CASE jsonb_typeof(spec -> 'maintenanceIntervalDays') "
    "      WHEN 'number' THEN floor((spec ->> 'maintenanceIntervalDays')::numeric) "
    "      WHEN 'string' THEN CASE WHEN btrim(spec ->> 'maintenanceIntervalDays') ~ '^[0-9]{1,6}$' "
    "        THEN btrim(spec ->> 'maintenanceIntervalDays')::numeric END END AS d "
    "    FROM asset_models WHERE spec ? 'maintenanceIntervalDays') x "
    "  WHERE d BETWEEN 1 AND 36500), "
    "last AS (SELECT asset_id, max(closed_at) AS closed_at FROM maintenance_tickets "
    "  WHERE status = 'closed' GROUP BY asset_id), "
    "due AS ("
    "  SELECT a.id, a.asset_code, a.purchase_date, m.days, l.closed_at, "
    "    coalesce((l.closed_at AT TIME ZONE 'UTC')::date, a.purchase_date) + m.days AS due_date "
    "  FROM m JOIN assets a ON a.model_id = m.id AND a.status <> 'disposed' "
    "  LEFT JOIN last l ON l.asset_id = a.id) "
    "INSERT INTO reminders (reminder_type, asset_id, due_at, channel, details, correlation_id) "
    "SELECT 'maintenance_due', id, due_date::timestamp AT TIME ZONE 'UTC', $1, "
    "jsonb_build_object('assetCode', asset_code, 'intervalDays', days, 'lastMaintenanceAt', closed_at, "
    "'purchaseDate', purchase_date), $2 "
    "FROM due WHERE due_date <= (now() AT TIME ZONE 'UTC')::date "
    "ON CONFLICT (asset_id, reminder_type, due_at) DO NOTHING"};
constexpr db::Query kCancelDisposed{
    "reminders.cancel_disposed",
    "UPDATE reminders r SET status = 'canceled', canceled_at = now(), claimed_until = NULL, claim_token = NULL, "
    "updated_at = now() FROM assets a WHERE a.id = r.asset_id AND a.status = 'disposed' "
    "AND (r.status IN ('pending', 'failed') OR (r.status = 'sent' AND r.channel = 'ui' AND r.read_at IS NULL))"};
constexpr db::Query kListUi{"reminders.list_ui",
                            "UPDATE reminders SET status = 'sent', sent_at = now(), updated_at = now() "
                            "WHERE status = 'pending' AND channel = 'ui' AND next_attempt_at <= now()"};
// The lease is written in the claiming statement itself, so the row lock lasts one statement and no other
// instance can claim the row until the lease ends (or the holder marks it).
constexpr db::Query kClaim{
    "reminders.claim",
    "WITH due AS (SELECT id, asset_id FROM reminders "
    "  WHERE status = 'pending' AND channel = 'webhook' AND next_attempt_at <= now() "
    "  AND (claimed_until IS NULL OR claimed_until < now()) "
    "  ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED), "
    "r AS (UPDATE reminders x SET claimed_until = now() + $1::bigint * interval '1 millisecond', "
    "  claim_token = $2::uuid, claimed_by = $3 FROM due WHERE x.id = due.id RETURNING x.*) "
    "SELECT " REMINDER_COLUMNS " FROM r JOIN assets a ON a.id = r.asset_id"};
constexpr db::Query kMarkSent{
    "reminders.mark_sent",
    "UPDATE reminders SET status = 'sent', sent_at = now(), attempts = attempts + 1, claimed_until = NULL, "
    "claim_token = NULL, updated_at = now() WHERE id = $1 AND claim_token = $2::uuid AND status = 'pending'"};
constexpr db::Query kMarkFailed{
    "reminders.mark_failed",
    "UPDATE reminders SET attempts = attempts + 1, last_error = $3, "
    "next_attempt_at = now() + $4::bigint * interval '1 millisecond', "
    "status = CASE WHEN attempts + 1 >= $5::int THEN 'failed' ELSE 'pending' END, claimed_until = NULL, "
    "claim_token = NULL, updated_at = now() WHERE id = $1 AND claim_token = $2::uuid AND status = 'pending'"};
constexpr db::Query kNextDue{
    "reminders.next_due",
    "SELECT (extract(epoch FROM min(greatest(next_attempt_at, coalesce(claimed_until, next_attempt_at))) - "
    "now()) * 1000)::bigint AS ms FROM reminders WHERE status = 'pending' AND channel = 'webhook'"};
}  // namespace q

Task<db::Page<Reminder>> ReminderRepo::list(const ReminderFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  w.eq("r.status", f.status);
  w.eq("r.reminder_type", f.type);
  w.eq("r.asset_id", f.asset_id);
  w.eq("r.channel", f.channel);
  // The inbox: not read and not withdrawn.
  if (f.unread) w.add(*f.unread ? "r.read_at IS NULL AND r.status <> 'canceled'" : "r.read_at IS NOT NULL");
  std::string sql = "SELECT " REMINDER_COLUMNS ", count(*) OVER () AS total" REMINDER_FROM + w.sql();
  sql += w.order_and_window(s, p, "r.id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<Reminder>(rows, p, reminder_from_row);
}

Task<std::optional<Reminder>> ReminderRepo::find(const std::string& id) {
  auto r = co_await db_.query(q::kFind, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return reminder_from_row(r.front());
}

Task<std::optional<Reminder>> ReminderRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kLock, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return reminder_from_row(r.front());
}

Task<Reminder> ReminderRepo::mark_read(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kRead, db::Params(id));
  co_return reminder_from_row(r.front());
}

Task<Reminder> ReminderRepo::cancel(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kCancel, db::Params(id));
  co_return reminder_from_row(r.front());
}

Task<bool> ReminderRepo::generation_lock(db::Tx& tx, bool wait) {
  co_await tx.query(q::kLongStatements);
  if (wait) {
    co_await tx.query(q::kLockWait);
    co_return true;
  }
  auto r = co_await tx.query(q::kLockTry);
  co_return r.front().get<bool>("locked");
}

Task<long long> ReminderRepo::create_warranty(db::Tx& tx, int days, const std::string& channel,
                                              const std::optional<std::string>& correlation_id) {
  auto r = co_await tx.query(q::kCreateWarranty, db::Params(days, channel, correlation_id));
  co_return r.affected();
}

Task<long long> ReminderRepo::create_maintenance(db::Tx& tx, const std::string& channel,
                                                 const std::optional<std::string>& correlation_id) {
  auto r = co_await tx.query(q::kCreateMaintenance, db::Params(channel, correlation_id));
  co_return r.affected();
}

Task<long long> ReminderRepo::cancel_disposed(db::Tx& tx) {
  auto r = co_await tx.query(q::kCancelDisposed);
  co_return r.affected();
}

Task<long long> ReminderRepo::cancel_disposed() {
  auto r = co_await db_.query(q::kCancelDisposed);
  co_return r.affected();
}

Task<long long> ReminderRepo::list_ui() {
  auto r = co_await db_.query(q::kListUi);
  co_return r.affected();
}

Task<std::optional<Reminder>> ReminderRepo::claim(long long lease_ms, const std::string& claim_token,
                                                  const std::string& by) {
  auto r = co_await db_.query(q::kClaim, db::Params(lease_ms, claim_token, by));
  if (r.empty()) co_return std::nullopt;
  co_return reminder_from_row(r.front());
}

Task<bool> ReminderRepo::mark_sent(const std::string& id, const std::string& claim_token) {
  auto r = co_await db_.query(q::kMarkSent, db::Params(id, claim_token));
  co_return r.affected() == 1;
}

Task<bool> ReminderRepo::mark_failed(const std::string& id, const std::string& claim_token, const std::string& error,
                                     long long retry_in_ms, int max_attempts) {
  auto r = co_await db_.query(q::kMarkFailed, db::Params(id, claim_token, error, retry_in_ms, max_attempts));
  co_return r.affected() == 1;
}

Task<std::optional<long long>> ReminderRepo::next_due_ms() {
  auto r = co_await db_.query(q::kNextDue);
  if (r.empty() || r.front().is_null("ms")) co_return std::nullopt;
  co_return r.front().get<std::int64_t>("ms");
}

}  // namespace netops::reminders
