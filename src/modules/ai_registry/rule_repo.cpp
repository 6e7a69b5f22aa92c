#include "modules/ai_registry/rule_repo.hpp"

#include "db/where.hpp"

namespace netops::ai_registry {

namespace q {
using std::string;
const string kR = kRuleColumns;
const string kRuleFindSql = "SELECT " + kR + " FROM orchestration_rules WHERE id = $1";
const string kRuleLockSql = kRuleFindSql + " FOR UPDATE";
const string kRuleInsertSql =
    "INSERT INTO orchestration_rules (name, description, strategy, model_sequence, conditions, enabled, priority, "
    "metadata) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING " + kR;
const string kRuleUpdateSql =
    "UPDATE orchestration_rules SET name = $2, description = $3, strategy = $4, model_sequence = $5, conditions = $6, "
    "enabled = $7, priority = $8, metadata = $9, updated_at = now() WHERE id = $1 RETURNING " + kR;
const string kRuleEnabledSql = "SELECT " + kR + " FROM orchestration_rules WHERE enabled ORDER BY priority, created_at, id";
const db::Query kRuleFind{"rules.find", kRuleFindSql};
const db::Query kRuleLock{"rules.lock", kRuleLockSql};
const db::Query kRuleInsert{"rules.insert", kRuleInsertSql};
const db::Query kRuleUpdate{"rules.update", kRuleUpdateSql};
const db::Query kRuleEnabled{"rules.enabled", kRuleEnabledSql};
constexpr db::Query kRuleDelete{"rules.delete", "DELETE FROM orchestration_rules WHERE id = $1"};
}  // namespace q

Task<std::optional<Rule>> RuleRepo::find(const std::string& id) {
  auto r = co_await db_.query(q::kRuleFind, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return rule_from_row(r.front());
}

Task<std::optional<Rule>> RuleRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kRuleLock, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return rule_from_row(r.front());
}

Task<Rule> RuleRepo::insert(db::Tx& tx, const Rule& x) {
  nlohmann::json seq = x.model_sequence;
  auto r = co_await tx.query(q::kRuleInsert, db::Params(x.name, x.description, x.strategy, seq, x.conditions,
                                                        x.enabled, x.priority, x.metadata));
  co_return rule_from_row(r.front());
}

Task<Rule> RuleRepo::update(db::Tx& tx, const Rule& x) {
  nlohmann::json seq = x.model_sequence;
  auto r = co_await tx.query(q::kRuleUpdate, db::Params(x.id, x.name, x.description, x.strategy, seq, x.conditions,
                                                        x.enabled, x.priority, x.metadata));
  co_return rule_from_row(r.front());
}

Task<void> RuleRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(q::kRuleDelete, db::Params(id)); }

Task<db::Page<Rule>> RuleRepo::list(const RuleFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  w.eq("strategy", f.strategy);
  w.eq("enabled", f.enabled);
  std::string sql = std::string("SELECT ") + kRuleColumns + ", count(*) OVER () AS total FROM orchestration_rules" +
                    w.sql();
  sql += w.order_and_window(s, p);
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<Rule>(rows, p, rule_from_row);
}

Task<std::vector<Rule>> RuleRepo::enabled() {
  auto rows = co_await db_.query(q::kRuleEnabled);
  std::vector<Rule> out;
  for (auto r : rows) out.push_back(rule_from_row(r));
  co_return out;
}

}  // namespace netops::ai_registry
