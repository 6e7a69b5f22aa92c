#pragma once
// The audit trail of SPEC §4.1: who did what to which resource, with before/after in details and the
// request's correlation id. Other modules record through this service, inside their own transaction
// when they have one (modules/audit/audited.hpp wraps the usual lock → check → write → record).
#include <string>

#include "core/caller.hpp"
#include "modules/audit/audit_repo.hpp"

namespace netops::audit {

class AuditService {
 public:
  explicit AuditService(db::Db& db) : repo_(db) {}
  Task<void> record(db::Tx& tx, const Entry& e) { co_await repo_.insert(tx, e); }
  Task<void> record(const Entry& e) { co_await repo_.insert(e); }
  // The row of one change by a caller: its user id and request id go into the row.
  Task<void> record(db::Tx& tx, const Caller& by, std::string action, std::string resource, nlohmann::json details);
  Task<db::Page<LogEntry>> list(const Filter& f, const db::PageRequest& p) { co_return co_await repo_.list(f, p); }

 private:
  AuditRepo repo_;
};

// The JSON fields whose values differ between two objects: {"field": {"before": …, "after": …}}.
nlohmann::json changes(const nlohmann::json& before, const nlohmann::json& after);

}  // namespace netops::audit
