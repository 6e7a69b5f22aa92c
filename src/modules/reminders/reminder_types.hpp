#pragma once
// Reminders: the structs, their API representation, the webhook body and row mapping.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/query.hpp"

namespace netops::reminders {

struct Reminder {
  std::string id, type, asset_id, asset_code, status, channel;
  int attempts = 0;
  std::optional<std::string> last_error, correlation_id;
  nlohmann::json due_at, sent_at, read_at, canceled_at, next_attempt_at, created_at, updated_at;
  nlohmann::json details = nlohmann::json::object();
};
// The API representation (its ETag guards /read and /cancel).
nlohmann::json to_json(const Reminder& r);
// What the webhook receives: the same for every attempt of one reminder (receivers dedupe on its id, which
// is also the Idempotency-Key header).
nlohmann::json webhook_body(const Reminder& r);
Reminder reminder_from_row(const db::Row& row);

struct ReminderFilter {
  std::optional<std::string> status, type, asset_id, channel;
  std::optional<bool> unread;
};

// What one run of the job did.
struct RunResult {
  long long warranty_created = 0, maintenance_created = 0, canceled = 0, listed = 0;
  bool generated = true;  // false: another instance was generating at that moment (the job skipped it)
};
nlohmann::json to_json(const RunResult& r);

}  // namespace netops::reminders
