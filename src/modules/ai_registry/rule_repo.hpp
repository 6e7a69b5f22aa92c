#pragma once
// SQL and row mapping of orchestration_rules; nothing else.
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/ai_registry/types.hpp"

namespace netops::ai_registry {

class RuleRepo {
 public:
  explicit RuleRepo(db::Db& db) : db_(db) {}
  Task<std::optional<Rule>> find(const std::string& id);
  Task<std::optional<Rule>> lock(db::Tx& tx, const std::string& id);
  Task<Rule> insert(db::Tx& tx, const Rule& r);
  Task<Rule> update(db::Tx& tx, const Rule& r);
  Task<void> remove(db::Tx& tx, const std::string& id);
  Task<db::Page<Rule>> list(const RuleFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::vector<Rule>> enabled();  // by priority, then age

 private:
  db::Db& db_;
};

}  // namespace netops::ai_registry
