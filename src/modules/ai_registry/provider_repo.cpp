#include "modules/ai_registry/provider_repo.hpp"

#include "db/where.hpp"

namespace netops::ai_registry {

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

// Provider rows are locked in id order first, so concurrent instances cannot deadlock.
// (Named as when the gateway ran it, so its metrics keep their label.)
constexpr db::Query kAddUsage{"gateway.ai_providers_usage", R"SQL(
WITH x AS (SELECT * FROM json_to_recordset($1::json) AS x(id text, tokens bigint, cost numeric)),
locked AS (SELECT p.id FROM ai_providers p WHERE p.id IN (SELECT id FROM x) ORDER BY p.id FOR UPDATE)
UPDATE ai_providers p SET tokens_used = coalesce(p.tokens_used, 0) + x.tokens, last_usage_at = now(),
  credits_remaining = CASE WHEN p.credits_remaining IS NULL THEN NULL ELSE p.credits_remaining - x.cost END
FROM x, locked WHERE p.id = x.id AND locked.id = x.id)SQL"};
}  // namespace q

namespace {
db::Params provider_params(const Provider& p) {
  return db::Params(p.id, p.name, p.description, p.api_endpoint, p.auth_type, p.api_key_sealed, p.capabilities,
                    p.status, p.rate_limit_per_minute, p.credits_remaining, p.metadata);
}
}  // namespace

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

Task<db::Page<Provider>> ProviderRepo::list(const ProviderFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  w.eq("status", f.status);
  if (f.search) w.add("(id ILIKE {} OR name ILIKE {} OR description ILIKE {})", db::like_contains(*f.search));
  std::string sql = std::string("SELECT ") + kProviderColumns + ", count(*) OVER () AS total FROM ai_providers" +
                    w.sql();
  sql += w.order_and_window(s, p);
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<Provider>(rows, p, [this](const db::Row& r) { return provider_from_row(r, key_); });
}

Task<void> ProviderRepo::add_usage(db::Tx& tx, const std::vector<ProviderUsage>& usage) {
  if (usage.empty()) co_return;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& u : usage) rows.push_back({{"id", u.provider_id}, {"tokens", u.tokens}, {"cost", u.cost}});
  db::Params params(rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  co_await tx.query(q::kAddUsage, std::move(params));
}

Task<std::vector<Provider>> ProviderRepo::all() {
  auto rows = co_await db_.query(q::kProviderAll);
  std::vector<Provider> out;
  for (auto r : rows) out.push_back(provider_from_row(r, key_));
  co_return out;
}

Task<std::optional<ProviderCredits>> ProviderRepo::credits(const std::string& id) {
  auto rows = co_await db_.query(q::kProviderCredits, db::Params(id));
  if (rows.empty()) co_return std::nullopt;
  auto r = rows.front();
  ProviderCredits out{id, r.opt<std::string>("credits_remaining"), r.opt<std::int64_t>("tokens_used").value_or(0),
                      r.timestamp("last_usage_at")};
  co_return out;
}

}  // namespace netops::ai_registry
