#pragma once
// Reminders (SPEC §4.5, issue 12 item 3). The job — every NETOPS_REMINDER_INTERVAL_S in the background, and
// POST /api/v1/reminders/run — creates warranty_expiring and maintenance_due reminders set-based and never
// twice for one (asset, type, due date) (the table's unique index), cancels those of disposed assets, lists
// pending ui reminders (status sent, unread until POST /{id}/read), and delivers webhook reminders:
//
//   claim   one statement: SELECT … FOR UPDATE SKIP LOCKED of a due row + a lease (claimed_until,
//           claim_token) written in the same statement, so the row lock lasts milliseconds and no other
//           instance takes the row while the lease runs;
//   deliver outside any transaction: POST with X-NetOps-Signature (HMAC-SHA256 of the body) and
//           Idempotency-Key (the reminder id);
//   mark    sent on 2xx, else attempts + 1, last_error, next_attempt_at (exponential backoff), failed after
//           NETOPS_REMINDER_MAX_ATTEMPTS — only while our claim_token still holds the row.
//
// The lease outlasts the whole HTTP call (timeout + 30 s), so a live instance always marks before anyone
// else may claim. An instance that dies between the receiver's 2xx and the mark leaves the lease to expire
// and another instance sends the reminder again: at-least-once in that one window, which is why every
// delivery carries the same body and Idempotency-Key.
#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "llm/http_client.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/reminders/reminder_repo.hpp"
#include "modules/reminders/reminders_settings.hpp"

namespace netops::reminders {

class ReminderService {
 public:
  ReminderService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit, llm::HttpClient& http);

  Task<db::Page<Reminder>> list(const ReminderFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<Reminder> get(const std::string& id);  // 404 when absent
  Task<Reminder> mark_read(const std::string& id, const std::optional<std::string>& expected_etag, const Caller& by);
  // 409 unless cancelable (reminder_rules.hpp).
  Task<Reminder> cancel(const std::string& id, const std::optional<std::string>& expected_etag, const Caller& by);

  // POST /run: waits for any generation running elsewhere, then creates, cancels and lists; webhook
  // deliveries follow in the background job (woken now).
  Task<RunResult> run_now(const Caller& by);

  // The background job (Module::background.run) and its drain.
  Task<void> run();
  Task<void> drain();

  const RemindersSettings& settings() const { return settings_; }

 private:
  Task<RunResult> generate(bool wait, const std::optional<Caller>& by);
  Task<long long> deliver_webhooks();  // until none is due; returns how many were attempted
  Task<void> deliver_one(const Reminder& r, const std::string& claim_token);
  void wake();

  struct Wake;
  AppContext& ctx_;
  const RemindersSettings settings_;
  ReminderRepo repo_;
  std::shared_ptr<audit::AuditService> audit_;
  llm::HttpClient& http_;
  std::string instance_;  // host:pid, written as claimed_by
  std::shared_ptr<Wake> wake_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> busy_{false};
};

}  // namespace netops::reminders
