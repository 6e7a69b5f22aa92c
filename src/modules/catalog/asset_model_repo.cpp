#include "modules/catalog/asset_model_repo.hpp"

#include "db/where.hpp"

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

Task<db::Page<AssetModel>> AssetModelRepo::list(const AssetModelFilter& f, const db::PageRequest& p,
                                                const db::Sort& s) {
  db::Where w;
  if (f.category_id) w.add("m.category_id = {}::uuid", *f.category_id);
  if (f.vendor_id) w.add("m.vendor_id = {}::uuid", *f.vendor_id);
  w.eq("m.brand", f.brand);
  if (f.search) w.add("(m.model ILIKE {} OR m.brand ILIKE {})", db::like_contains(*f.search));
  for (auto& alternatives : f.spec_contains) {
    std::string any;
    for (auto& doc : alternatives) any += (any.empty() ? "" : " OR ") + std::string("m.spec @> ") + w.param(doc) + "::jsonb";
    w.add("(" + any + ")");
  }
  auto sql = std::string(kModelSelect);
  sql.insert(sql.find(" FROM asset_models"), ", count(*) OVER () AS total");
  sql += w.sql();
  sql += w.order_and_window(s, p, "m.id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<AssetModel>(rows, p, model_from_row);
}

Task<std::optional<AssetModel>> AssetModelRepo::find(const std::string& id, db::Tx* tx, bool lock) {
  auto& query = lock ? q::kLock : q::kFind;
  db::Result r;
  if (tx) r = co_await tx->query(query, db::Params(id));
  else r = co_await db_.query(query, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return model_from_row(r.front());
}

Task<std::string> AssetModelRepo::insert(db::Tx& tx, const AssetModel& m) {
  auto r = co_await tx.query(q::kInsert,
                             db::Params(m.category_id, m.spec_version_id, m.vendor_id, m.brand, m.model, m.spec));
  co_return r.front().get<std::string>("id");
}

Task<void> AssetModelRepo::update(db::Tx& tx, const std::string& id, const AssetModel& m) {
  co_await tx.query(q::kUpdate,
                    db::Params(id, m.category_id, m.spec_version_id, m.vendor_id, m.brand, m.model, m.spec));
}

Task<long long> AssetModelRepo::asset_count(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kAssets, db::Params(id));
  co_return r.front().get<std::int64_t>("n");
}

Task<void> AssetModelRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(q::kDelete, db::Params(id)); }

Task<std::vector<AssetModel>> AssetModelRepo::of_category(db::Tx& tx, const std::string& category_id) {
  auto rows = co_await tx.query(q::kOfCategory, db::Params(category_id));
  std::vector<AssetModel> out;
  for (auto r : rows) out.push_back(model_from_row(r));
  co_return out;
}

}  // namespace netops::catalog
