#include "modules/reminders/reminder_types.hpp"

namespace netops::reminders {

namespace {
nlohmann::json opt(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }
nlohmann::json date_of(const nlohmann::json& ts) {
  if (!ts.is_string()) return nullptr;
  return ts.get<std::string>().substr(0, 10);  // timestamps are ISO 8601 UTC: YYYY-MM-DDT…
}
}  // namespace

nlohmann::json to_json(const Reminder& r) {
  return {{"id", r.id},
          {"type", r.type},
          {"assetId", r.asset_id},
          {"assetCode", r.asset_code},
          {"dueDate", date_of(r.due_at)},
          {"dueAt", r.due_at},
          {"status", r.status},
          {"channel", r.channel},
          {"read", !r.read_at.is_null()},
          {"readAt", r.read_at},
          {"sentAt", r.sent_at},
          {"canceledAt", r.canceled_at},
          {"attempts", r.attempts},
          {"lastError", opt(r.last_error)},
          {"nextAttemptAt", r.status == "pending" ? r.next_attempt_at : nlohmann::json()},
          {"details", r.details},
          {"createdAt", r.created_at},
          {"updatedAt", r.updated_at},
          {"correlationId", opt(r.correlation_id)}};
}

nlohmann::json webhook_body(const Reminder& r) {
  return {{"event", "reminder." + r.type},
          {"id", r.id},
          {"type", r.type},
          {"assetId", r.asset_id},
          {"assetCode", r.asset_code},
          {"dueDate", date_of(r.due_at)},
          {"dueAt", r.due_at},
          {"details", r.details},
          {"createdAt", r.created_at}};
}

Reminder reminder_from_row(const db::Row& row) {
  Reminder r;
  r.id = row.get<std::string>("id");
  r.type = row.get<std::string>("reminder_type");
  r.asset_id = row.get<std::string>("asset_id");
  r.asset_code = row.opt<std::string>("asset_code").value_or("");
  r.status = row.get<std::string>("status");
  r.channel = row.get<std::string>("channel");
  r.attempts = row.get<int>("attempts");
  r.last_error = row.opt<std::string>("last_error");
  r.correlation_id = row.opt<std::string>("correlation_id");
  r.due_at = row.timestamp("due_at");
  r.sent_at = row.timestamp("sent_at");
  r.read_at = row.timestamp("read_at");
  r.canceled_at = row.timestamp("canceled_at");
  r.next_attempt_at = row.timestamp("next_attempt_at");
  r.created_at = row.timestamp("created_at");
  r.updated_at = row.timestamp("updated_at");
  if (!row.is_null("details")) r.details = row.get<nlohmann::json>("details");
  return r;
}

nlohmann::json to_json(const RunResult& r) {
  return {{"created", {{"warrantyExpiring", r.warranty_created}, {"maintenanceDue", r.maintenance_created}}},
          {"canceled", r.canceled},
          {"listed", r.listed},
          {"generated", r.generated}};
}

}  // namespace netops::reminders
