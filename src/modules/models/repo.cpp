#include "modules/models/repo.hpp"

#include <algorithm>

namespace netops::models {

namespace q {
using std::string;
const string kP = kProviderColumns, kM = kModelColumns;
const string kProviderFindSql = "SELECT " + kP + " FROM ai_providers WHERE id = $1";
const string kProviderLockSql = kProviderFindSql + " FOR UPDATE";
const string kProviderInsertSql =
    "INSERT INTO ai_providers (id, name, description, api_endpoint, auth_type, api_key, capabilities, status, "
    "rate_limit_per_minute, credits_remaining, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
const string kProviderInsertAllSql = kProviderInsertSql + " RETURNING " + kP;
const string kProviderInsertNewSql = kProviderInsertSql + " ON CONFLICT (id) DO NOTHING RETURNING " + kP;
const string kProviderUpdateSql =
    "UPDATE ai_providers SET name = $2, description = $3, api_endpoint = $4, auth_type = $5, api_key = $6, "
    "capabilities = $7, status = $8, rate_limit_per_minute = $9, credits_remaining = $10, metadata = $11, "
    "updated_at = now() WHERE id = $1 RETURNING " + kP;
const string kProviderAllSql = "SELECT " + kP + " FROM ai_providers ORDER BY id";
const db::Query kProviderFind{"providers.find", kProviderFindSql};
const db::Query kProviderLock{"providers.lock", kProviderLockSql};
const db::Query kProviderInsert{"providers.insert", kProviderInsertAllSql};
const db::Query kProviderInsertNew{"providers.insert_if_absent", kProviderInsertNewSql};
const db::Query kProviderUpdate{"providers.update", kProviderUpdateSql};
const db::Query kProviderAll{"providers.all", kProviderAllSql};
constexpr db::Query kProviderShare{"providers.lock_shared", "SELECT id FROM ai_providers WHERE id = $1 FOR SHARE"};
constexpr db::Query kProviderDelete{"providers.delete", "DELETE FROM ai_providers WHERE id = $1"};
constexpr db::Query kProviderModels{"providers.models", "SELECT id FROM model_configs WHERE provider = $1 ORDER BY id"};
constexpr db::Query kProviderCredits{
    "providers.credits", "SELECT credits_remaining, tokens_used, last_usage_at FROM ai_providers WHERE id = $1"};

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

namespace {
// One list query (filters, sort, page and the total through a window function), as SPEC §2 asks.
template <class T, class Map>
Task<Page<T>> list_page(db::Db& db, std::string select, std::string where, db::Params params, const http::Sort& s,
                        const http::Paging& p, Map map) {
  std::string sql = select + ", count(*) OVER () AS total" + where + " ORDER BY " + s.sql() + ", id LIMIT " +
                    params.push(p.page_size) + " OFFSET " + params.push(p.offset());
  db::Result rows = co_await db.query(sql, std::move(params));
  Page<T> out;
  for (db::Row r : rows) {
    out.second = r.get<std::int64_t>("total");
    out.first.push_back(map(r));
  }
  co_return out;
}

db::Params provider_params(const Provider& p) {
  return db::Params(p.id, p.name, p.description, p.api_endpoint, p.auth_type, p.api_key_sealed, p.capabilities,
                    p.status, p.rate_limit_per_minute, p.credits_remaining, p.metadata);
}
db::Params model_params(const ModelConfig& m) {
  return db::Params(m.id, m.provider, m.tier, m.context_window, m.max_tokens, m.cost_per_1k_input,
                    m.cost_per_1k_output, m.cost_per_1k_cache_read, m.cost_per_1k_cache_write, m.capabilities,
                    m.enabled, m.supports_streaming, m.supports_functions, m.supports_vision, m.description,
                    m.priority, m.status, m.display_name);
}
}  // namespace

// ---- providers ----

Task<std::optional<Provider>> ProviderRepo::find(const std::string& id) {
  auto r = co_await db_.query(q::kProviderFind, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return provider_from_row(r.front(), key_);
}

Task<std::optional<Provider>> ProviderRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kProviderLock, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return provider_from_row(r.front(), key_);
}

Task<bool> ProviderRepo::lock_shared(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kProviderShare, db::Params(id));
  co_return !r.empty();
}

Task<Provider> ProviderRepo::insert(db::Tx& tx, const Provider& p) {
  auto r = co_await tx.query(q::kProviderInsert, provider_params(p));
  co_return provider_from_row(r.front(), key_);
}

Task<std::optional<Provider>> ProviderRepo::insert_if_absent(db::Tx& tx, const Provider& p) {
  auto r = co_await tx.query(q::kProviderInsertNew, provider_params(p));
  if (r.empty()) co_return std::nullopt;
  co_return provider_from_row(r.front(), key_);
}

Task<Provider> ProviderRepo::update(db::Tx& tx, const Provider& p) {
  auto r = co_await tx.query(q::kProviderUpdate, provider_params(p));
  co_return provider_from_row(r.front(), key_);
}

Task<void> ProviderRepo::remove(db::Tx& tx, const std::string& id) {
  co_await tx.query(q::kProviderDelete, db::Params(id));
}

Task<std::vector<std::string>> ProviderRepo::model_ids(db::Tx& tx, const std::string& provider_id) {
  auto rows = co_await tx.query(q::kProviderModels, db::Params(provider_id));
  std::vector<std::string> out;
  for (auto r : rows) out.push_back(r.get<std::string>("id"));
  co_return out;
}

Task<Page<Provider>> ProviderRepo::list(const ProviderFilter& f, const http::Paging& p, const http::Sort& s) {
  db::Params params;
  std::string where = " FROM ai_providers WHERE true";
  if (f.status) where += " AND status = " + params.push(*f.status);
  if (f.search) {
    auto ph = params.push(db::like_contains(*f.search));
    where += " AND (id ILIKE " + ph + " OR name ILIKE " + ph + " OR description ILIKE " + ph + ")";
  }
  auto map = [this](const db::Row& r) { return provider_from_row(r, key_); };
  std::string select = std::string("SELECT ") + kProviderColumns;
  co_return co_await list_page<Provider>(db_, select, where, std::move(params), s, p, map);
}

Task<std::vector<Provider>> ProviderRepo::all() {
  auto rows = co_await db_.query(q::kProviderAll);
  std::vector<Provider> out;
  for (auto r : rows) out.push_back(provider_from_row(r, key_));
  co_return out;
}

Task<std::optional<nlohmann::json>> ProviderRepo::credits(const std::string& id) {
  auto rows = co_await db_.query(q::kProviderCredits, db::Params(id));
  if (rows.empty()) co_return std::nullopt;
  auto r = rows.front();
  nlohmann::json out = {{"providerId", id},
                        {"creditsRemaining", r.json("credits_remaining")},
                        {"tokensUsed", r.opt<std::int64_t>("tokens_used").value_or(0)},
                        {"lastUsageAt", r.timestamp("last_usage_at")}};
  co_return out;
}

// ---- models ----

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

Task<nlohmann::json> ModelRepo::rules_using(db::Tx& tx, const std::string& model_id) {
  auto rows = co_await tx.query(q::kModelRules, db::Params(model_id));
  nlohmann::json out = nlohmann::json::array();
  for (auto r : rows) out.push_back({{"id", r.get<std::string>("id")}, {"name", r.get<std::string>("name")}});
  co_return out;
}

Task<Page<ModelConfig>> ModelRepo::list(const ModelFilter& f, const http::Paging& p, const http::Sort& s) {
  db::Params params;
  std::string where = " FROM model_configs WHERE true";
  if (f.provider) where += " AND provider = " + params.push(*f.provider);
  if (f.tier) where += " AND tier = " + params.push(*f.tier);
  if (f.enabled) where += " AND enabled = " + params.push(*f.enabled);
  if (f.status) where += " AND status = " + params.push(*f.status);
  if (f.search) {
    auto ph = params.push(db::like_contains(*f.search));
    where += " AND (id ILIKE " + ph + " OR display_name ILIKE " + ph + " OR description ILIKE " + ph + ")";
  }
  std::string select = std::string("SELECT ") + kModelColumns;
  co_return co_await list_page<ModelConfig>(db_, select, where, std::move(params), s, p, model_from_row);
}

Task<std::vector<ModelConfig>> ModelRepo::all() {
  auto rows = co_await db_.query(q::kModelAll);
  std::vector<ModelConfig> out;
  for (auto r : rows) out.push_back(model_from_row(r));
  co_return out;
}

// ---- orchestration rules ----

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

Task<Page<Rule>> RuleRepo::list(const RuleFilter& f, const http::Paging& p, const http::Sort& s) {
  db::Params params;
  std::string where = " FROM orchestration_rules WHERE true";
  if (f.strategy) where += " AND strategy = " + params.push(*f.strategy);
  if (f.enabled) where += " AND enabled = " + params.push(*f.enabled);
  std::string select = std::string("SELECT ") + kRuleColumns;
  co_return co_await list_page<Rule>(db_, select, where, std::move(params), s, p, rule_from_row);
}

Task<std::vector<Rule>> RuleRepo::enabled() {
  auto rows = co_await db_.query(q::kRuleEnabled);
  std::vector<Rule> out;
  for (auto r : rows) out.push_back(rule_from_row(r));
  co_return out;
}

}  // namespace netops::models
