#include "modules/catalog/asset_category_repo.hpp"

#include "db/where.hpp"
#include "modules/catalog/columns.hpp"

namespace netops::catalog {

namespace q {
const std::string kFindSql = std::string(kCategorySelect) + " WHERE c.id = $1";
const db::Query kFind{"categories.find", kFindSql};
constexpr db::Query kLock{"categories.lock", "SELECT id FROM asset_categories WHERE id = $1 FOR UPDATE"};
constexpr db::Query kShare{"categories.share", "SELECT id FROM asset_categories WHERE id = $1 FOR SHARE"};
constexpr db::Query kRefs{"categories.references",
                          "SELECT (SELECT count(*) FROM asset_models WHERE category_id = $1) AS models"};
constexpr db::Query kDelete{"categories.delete", "DELETE FROM asset_categories WHERE id = $1"};
}  // namespace q

namespace {
ColumnValues columns_of(const AssetCategoryInput& in) {
  ColumnValues cols;
  set_column(cols, "name", in.name);
  return cols;
}
}  // namespace

Task<db::Page<AssetCategory>> AssetCategoryRepo::list(const ListFilter& f, const db::PageRequest& p,
                                                      const db::Sort& s) {
  db::Where w;
  if (f.search) w.add("c.name ILIKE {}", db::like_contains(*f.search));
  auto sql = std::string(kCategorySelect);
  sql.insert(sql.find(" FROM asset_categories"), ", count(*) OVER () AS total");
  sql += w.sql();
  sql += w.order_and_window(s, p, "c.id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<AssetCategory>(rows, p, category_from_row);
}

Task<std::optional<AssetCategory>> AssetCategoryRepo::find(const std::string& id, db::Tx* tx) {
  db::Result r;
  if (tx) r = co_await tx->query(q::kFind, db::Params(id));
  else r = co_await db_.query(q::kFind, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return category_from_row(r.front());
}

Task<bool> AssetCategoryRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kLock, db::Params(id));
  co_return !r.empty();
}

Task<bool> AssetCategoryRepo::share(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kShare, db::Params(id));
  co_return !r.empty();
}

Task<std::string> AssetCategoryRepo::insert(db::Tx& tx, const AssetCategoryInput& in) {
  auto cols = columns_of(in);
  db::Params params;
  auto sql = insert_sql("asset_categories", cols, params, "id");
  auto r = co_await tx.query(sql, std::move(params));
  co_return r.front().get<std::string>("id");
}

Task<void> AssetCategoryRepo::update(db::Tx& tx, const std::string& id, const AssetCategoryInput& in) {
  auto cols = columns_of(in);
  if (cols.empty()) co_return;
  db::Params params;
  auto sql = update_sql("asset_categories", id, cols, params, "id");
  co_await tx.query(sql, std::move(params));
}

Task<std::vector<Reference>> AssetCategoryRepo::references(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kRefs, db::Params(id));
  std::vector<Reference> refs{
      {"assetModels", "asset model", "asset models", r.front().get<std::int64_t>("models")}};
  co_return refs;
}

Task<void> AssetCategoryRepo::remove(db::Tx& tx, const std::string& id) {
  co_await tx.query(q::kDelete, db::Params(id));
}

}  // namespace netops::catalog
