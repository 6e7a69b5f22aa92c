#pragma once
// SQL of reminders. Nothing else. Generation is set-based (INSERT … SELECT … ON CONFLICT DO NOTHING over the
// table's UNIQUE (asset_id, reminder_type, due_at)); delivery claims rows with FOR UPDATE SKIP LOCKED.
#include <optional>
#include <string>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/reminders/reminder_types.hpp"

namespace netops::reminders {

class ReminderRepo {
 public:
  explicit ReminderRepo(db::Db& db) : db_(db) {}
  Task<db::Page<Reminder>> list(const ReminderFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<Reminder>> find(const std::string& id);
  Task<std::optional<Reminder>> lock(db::Tx& tx, const std::string& id);
  Task<Reminder> mark_read(db::Tx& tx, const std::string& id);
  Task<Reminder> cancel(db::Tx& tx, const std::string& id);

  // ---- the job -------------------------------------------------------------------------------------
  // Serialises generation across instances for this transaction: wait (POST /run) or try (the job).
  Task<bool> generation_lock(db::Tx& tx, bool wait);
  Task<long long> create_warranty(db::Tx& tx, int days, const std::string& channel,
                                  const std::optional<std::string>& correlation_id);
  Task<long long> create_maintenance(db::Tx& tx, const std::string& channel,
                                     const std::optional<std::string>& correlation_id);
  Task<long long> cancel_disposed(db::Tx& tx);
  Task<long long> cancel_disposed();
  Task<long long> list_ui();  // pending ui reminders become sent: they are listed as unread from now on
  // One due webhook reminder, leased to claim_token for lease_ms; nullopt when none is due and free.
  Task<std::optional<Reminder>> claim(long long lease_ms, const std::string& claim_token, const std::string& by);
  // Both apply only while claim_token still holds the row and it is pending; false otherwise.
  Task<bool> mark_sent(const std::string& id, const std::string& claim_token);
  Task<bool> mark_failed(const std::string& id, const std::string& claim_token, const std::string& error,
                         long long retry_in_ms, int max_attempts);
  // Milliseconds until the next webhook reminder may be claimed (≤ 0: now); nullopt when none is pending.
  Task<std::optional<long long>> next_due_ms();

 private:
  db::Db& db_;
};

}  // namespace netops::reminders
