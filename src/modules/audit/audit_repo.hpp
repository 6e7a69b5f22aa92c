#pragma once
#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/audit/types.hpp"

namespace netops::audit {

class AuditRepo {
 public:
  explicit AuditRepo(db::Db& db) : db_(db) {}
  Task<void> insert(db::Tx& tx, const Entry& e);
  Task<void> insert(const Entry& e);
  Task<db::Page<LogEntry>> list(const Filter& f, const db::PageRequest& p);

 private:
  db::Db& db_;
};

}  // namespace netops::audit
