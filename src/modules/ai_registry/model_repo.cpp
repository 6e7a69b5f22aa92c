#include "modules/ai_registry/model_repo.hpp"

#include <algorithm>

#include "db/where.hpp"

namespace netops::ai_registry {

namespace q {
using std::string;
const string kM = kModelColumns;
const string kModelFindSql = "SELECT " + kM + " FROM model_configs WHERE id = $1";
const string kModelLockSql = kModelFindSql + " FOR UPDATE";
const string kModelInsertSql =
    "INSERT INTO model_configs (id, provider, tier, context_window, max_tokens, cost_per_1k_input, cost_per_1k_output, "
    "cost_per_1k_cache_read, cost_per_1k_cache_write, capabilities, enabled, supports_streaming, supports_functions, "
    "supports_vision, description, priority, status, display_name) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";
const string kModelInsertAllSql = kModelInsertSql + " RETURNING " + kM;
const string kModelInsertNewSql = kModelInsertSql + " ON CONFLICT (id) DO NOTHING RETURNING " + kM;
const string kModelUpdateSql =
    "UPDATE model_configs SET provider = $2, tier = $3, context_window = $4, max_tokens = $5, cost_per_1k_input = $6, "
    "cost_per_1k_output = $7, cost_per_1k_cache_read = $8, cost_per_1k_cache_write = $9, capabilities = $10, "
    "enabled = $11, supports_streaming = $12, supports_functions = $13, supports_vision = $14, description = $15, "
    "priority = $16, status = $17, display_name = $18, updated_at = now() WHERE id = $1 RETURNING " + kM;
const string kModelAllSql = "SELECT " + kM + " FROM model_configs ORDER BY tier, priority, id";
const db::Query kModelFind{"models.find", kModelFindSql};
const db::Query kModelLock{"models.lock", kModelLockSql};
const db::Query kModelInsert{"models.insert", kModelInsertAllSql};
const db::Query kModelInsertNew{"models.insert_if_absent", kModelInsertNewSql};
const db::Query kModelUpdate{"models.update", kModelUpdateSql};
const db::Query kModelAll{"models.all", kModelAllSql};
constexpr db::Query kModelDelete{"models.delete", "DELETE FROM model_configs WHERE id = $1"};
constexpr db::Query kModelShare{
    "models.lock_shared",
    "SELECT id FROM model_configs WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY id FOR SHARE"};
constexpr db::Query kModelRules{"models.rules_using",
                                "SELECT id, name FROM orchestration_rules WHERE model_sequence ? $1 ORDER BY priority, name"};

}  // namespace q

namespace {
db::Params model_params(const ModelConfig& m) {
  return db::Params(m.id, m.provider, m.tier, m.context_window, m.max_tokens, m.cost_per_1k_input,
                    m.cost_per_1k_output, m.cost_per_1k_cache_read, m.cost_per_1k_cache_write, m.capabilities,
                    m.enabled, m.supports_streaming, m.supports_functions, m.supports_vision, m.description,
                    m.priority, m.status, m.display_name);
}
}  // namespace

Task<std::optional<ModelConfig>> ModelRepo::find(const std::string& id) {
  auto r = co_await db_.query(q::kModelFind, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return model_from_row(r.front());
}

Task<std::optional<ModelConfig>> ModelRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kModelLock, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return model_from_row(r.front());
}

Task<std::optional<ModelConfig>> ModelRepo::insert(db::Tx& tx, const ModelConfig& m, bool if_absent) {
  auto r = co_await tx.query(if_absent ? q::kModelInsertNew : q::kModelInsert, model_params(m));
  if (r.empty()) co_return std::nullopt;
  co_return model_from_row(r.front());
}

Task<ModelConfig> ModelRepo::update(db::Tx& tx, const ModelConfig& m) {
  auto r = co_await tx.query(q::kModelUpdate, model_params(m));
  co_return model_from_row(r.front());
}

Task<void> ModelRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(q::kModelDelete, db::Params(id)); }

Task<std::vector<std::string>> ModelRepo::lock_and_find_missing(db::Tx& tx, const std::vector<std::string>& ids) {
  nlohmann::json list = ids;
  auto rows = co_await tx.query(q::kModelShare, db::Params(list));
  std::vector<std::string> found, missing;
  for (auto r : rows) found.push_back(r.get<std::string>("id"));
  for (auto& id : ids)
    if (std::find(found.begin(), found.end(), id) == found.end()) missing.push_back(id);
  co_return missing;
}

Task<std::vector<RuleRef>> ModelRepo::rules_using(db::Tx& tx, const std::string& model_id) {
  auto rows = co_await tx.query(q::kModelRules, db::Params(model_id));
  std::vector<RuleRef> out;
  for (auto r : rows) out.push_back({r.get<std::string>("id"), r.get<std::string>("name")});
  co_return out;
}

Task<db::Page<ModelConfig>> ModelRepo::list(const ModelFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  w.eq("provider", f.provider);
  w.eq("tier", f.tier);
  w.eq("enabled", f.enabled);
  w.eq("status", f.status);
  if (f.search) w.add("(id ILIKE {} OR display_name ILIKE {} OR description ILIKE {})", db::like_contains(*f.search));
  std::string sql = std::string("SELECT ") + kModelColumns + ", count(*) OVER () AS total FROM model_configs" + w.sql();
  sql += w.order_and_window(s, p);
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<ModelConfig>(rows, p, model_from_row);
}

Task<std::vector<ModelConfig>> ModelRepo::all() {
  auto rows = co_await db_.query(q::kModelAll);
  std::vector<ModelConfig> out;
  for (auto r : rows) out.push_back(model_from_row(r));
  co_return out;
}

}  // namespace netops::ai_registry
