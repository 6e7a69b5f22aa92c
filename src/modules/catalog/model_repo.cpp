#include "modules/catalog/model_repo.hpp"

#include "modules/catalog/types.hpp"

namespace netops::catalog {

namespace q {
const std::string kFindSql = std::string(kModelSelect) + " WHERE m.id = $1";
const std::string kLockSql = std::string(kModelSelect) + " WHERE m.id = $1 FOR UPDATE OF m";
const std::string kOfCategorySql = std::string(kModelSelect) + " WHERE m.category_id = $1 ORDER BY m.model, m.id";
const db::Query kFind{"asset_models.find", kFindSql};
const db::Query kLock{"asset_models.lock", kLockSql};
const db::Query kOfCategory{"asset_models.of_category", kOfCategorySql};
constexpr db::Query kInsert{"asset_models.insert",
                            "INSERT INTO asset_models (category_id, spec_version_id, vendor_id, brand, model, spec) "
                            "VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::jsonb) RETURNING id"};
constexpr db::Query kUpdate{"asset_models.update",
                            "UPDATE asset_models SET category_id = $2::uuid, spec_version_id = $3::uuid, "
                            "vendor_id = $4::uuid, brand = $5, model = $6, spec = $7::jsonb WHERE id = $1"};
constexpr db::Query kAssets{"asset_models.assets", "SELECT count(*) AS n FROM assets WHERE model_id = $1"};
constexpr db::Query kDelete{"asset_models.delete", "DELETE FROM asset_models WHERE id = $1"};
}  // namespace q

namespace {
std::optional<std::string> opt(const nlohmann::json& j) {
  return j.is_string() ? std::optional<std::string>(j.get<std::string>()) : std::nullopt;
}
}  // namespace

ModelRow model_row(const nlohmann::json& api) {
  ModelRow m;
  m.category_id = opt(api["categoryId"]);
  m.spec_version_id = opt(api["specVersionId"]);
  m.vendor_id = opt(api["vendorId"]);
  m.brand = opt(api["brand"]);
  m.model = api["model"].get<std::string>();
  m.spec = api["spec"].is_object() ? api["spec"] : nlohmann::json::object();
  return m;
}

Task<Page> ModelRepo::list(const ModelFilter& f, const http::Paging& p, const http::Sort& s) {
  db::Params params;
  std::string where = " WHERE true";
  if (f.category_id) where += " AND m.category_id = " + params.push(*f.category_id) + "::uuid";
  if (f.vendor_id) where += " AND m.vendor_id = " + params.push(*f.vendor_id) + "::uuid";
  if (f.brand) where += " AND m.brand = " + params.push(*f.brand);
  if (f.search) {
    auto ph = params.push(db::like_contains(*f.search));
    where += " AND (m.model ILIKE " + ph + " OR m.brand ILIKE " + ph + ")";
  }
  for (auto& alternatives : f.spec_contains) {
    std::string any;
    for (auto& doc : alternatives) any += (any.empty() ? "" : " OR ") + std::string("m.spec @> ") + params.push(doc) + "::jsonb";
    where += " AND (" + any + ")";
  }
  auto sql = std::string(kModelSelect);
  sql.insert(sql.find(" FROM asset_models"), ", count(*) OVER () AS total");
  sql += where + " ORDER BY " + s.sql() + ", m.id LIMIT " + params.push(p.page_size) + " OFFSET " +
         params.push(p.offset());
  auto rows = co_await db_.query(sql, std::move(params));
  nlohmann::json out = nlohmann::json::array();
  long long total = 0;
  for (auto r : rows) {
    total = r.get<std::int64_t>("total");
    out.push_back(model_json(r));
  }
  co_return std::make_pair(std::move(out), total);
}

Task<std::optional<nlohmann::json>> ModelRepo::find(const std::string& id, db::Tx* tx, bool lock) {
  auto& query = lock ? q::kLock : q::kFind;
  db::Result r;
  if (tx) r = co_await tx->query(query, db::Params(id));
  else r = co_await db_.query(query, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return model_json(r.front());
}

Task<std::string> ModelRepo::insert(db::Tx& tx, const ModelRow& m) {
  auto r = co_await tx.query(q::kInsert, db::Params(m.category_id, m.spec_version_id, m.vendor_id, m.brand, m.model, m.spec));
  co_return r.front().get<std::string>("id");
}

Task<void> ModelRepo::update(db::Tx& tx, const std::string& id, const ModelRow& m) {
  co_await tx.query(q::kUpdate, db::Params(id, m.category_id, m.spec_version_id, m.vendor_id, m.brand, m.model, m.spec));
}

Task<long long> ModelRepo::asset_count(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kAssets, db::Params(id));
  co_return r.front().get<std::int64_t>("n");
}

Task<void> ModelRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(q::kDelete, db::Params(id)); }

Task<nlohmann::json> ModelRepo::of_category(db::Tx& tx, const std::string& category_id) {
  auto rows = co_await tx.query(q::kOfCategory, db::Params(category_id));
  nlohmann::json out = nlohmann::json::array();
  for (auto r : rows) out.push_back(model_json(r));
  co_return out;
}

}  // namespace netops::catalog
