#include "modules/catalog/repo.hpp"

#include "modules/catalog/types.hpp"

namespace netops::catalog {

namespace q {
const std::string kVendorSelect = std::string("SELECT ") + kVendorColumns + " FROM vendors";
const std::string kVendorFindSql = kVendorSelect + " WHERE id = $1";
const std::string kVendorLockSql = kVendorSelect + " WHERE id = $1 FOR UPDATE";
const db::Query kVendorFind{"vendors.find", kVendorFindSql};
const db::Query kVendorLock{"vendors.lock", kVendorLockSql};
constexpr db::Query kVendorRefs{"vendors.references",
                                "SELECT (SELECT count(*) FROM asset_models WHERE vendor_id = $1) AS models, "
                                "(SELECT count(*) FROM assets WHERE vendor_id = $1) AS assets"};
constexpr db::Query kVendorDelete{"vendors.delete", "DELETE FROM vendors WHERE id = $1"};

const std::string kCategoryFindSql = std::string(kCategorySelect) + " WHERE c.id = $1";
const db::Query kCategoryFind{"categories.find", kCategoryFindSql};
constexpr db::Query kCategoryLock{"categories.lock", "SELECT id FROM asset_categories WHERE id = $1 FOR UPDATE"};
constexpr db::Query kCategoryShare{"categories.share", "SELECT id FROM asset_categories WHERE id = $1 FOR SHARE"};
constexpr db::Query kCategoryRefs{"categories.references",
                                  "SELECT (SELECT count(*) FROM asset_models WHERE category_id = $1) AS models"};
constexpr db::Query kCategoryDelete{"categories.delete", "DELETE FROM asset_categories WHERE id = $1"};

const std::string kLocationSelect = std::string("SELECT ") + kLocationColumns + " FROM locations";
const std::string kLocationFindSql = kLocationSelect + " WHERE id = $1";
const std::string kLocationLockSql = kLocationSelect + " WHERE id = $1 FOR UPDATE";
const std::string kLocationInsertSql =
    std::string("WITH g AS (SELECT gen_random_uuid() AS id) INSERT INTO locations (id, name, parent_id, path) "
                "SELECT g.id, $1, $2::uuid, $3 || g.id::text || '/' FROM g RETURNING ") + kLocationColumns;
const std::string kLocationSubtreeSql = kLocationSelect + " WHERE path LIKE $1 || '%' ORDER BY path";
const db::Query kLocationFind{"locations.find", kLocationFindSql};
const db::Query kLocationLock{"locations.lock", kLocationLockSql};
const db::Query kLocationInsert{"locations.insert", kLocationInsertSql};
const db::Query kLocationSubtree{"locations.subtree", kLocationSubtreeSql};
constexpr db::Query kLocationTreeLock{"locations.tree_lock", "SELECT pg_advisory_xact_lock(hashtext('netops.locations.tree'))"};
constexpr db::Query kLocationRename{"locations.rename", "UPDATE locations SET name = $2 WHERE id = $1"};
// The whole subtree in one statement: every path under the old prefix gets the new prefix.
constexpr db::Query kLocationMove{
    "locations.move",
    "UPDATE locations SET path = $3 || substr(path, length($2) + 1), "
    "parent_id = CASE WHEN id = $1 THEN $4::uuid ELSE parent_id END WHERE path LIKE $2 || '%'"};
constexpr db::Query kLocationRefs{
    "locations.references",
    "SELECT (SELECT count(*) FROM locations WHERE parent_id = $1) AS children, "
    "(SELECT count(*) FROM assets WHERE location_id = $1) AS assets, "
    "(SELECT count(*) FROM inventory_sessions WHERE location_id = $1) AS sessions"};
constexpr db::Query kLocationDelete{"locations.delete", "DELETE FROM locations WHERE id = $1"};
}  // namespace q

namespace {


template <class Map>
std::optional<nlohmann::json> first(const db::Result& r, Map map) {
  if (r.empty()) return std::nullopt;
  return map(r.front());
}

template <class Map>
Page to_page(const db::Result& rows, Map map) {
  nlohmann::json out = nlohmann::json::array();
  long long total = 0;
  for (auto r : rows) {
    total = r.get<std::int64_t>("total");
    out.push_back(map(r));
  }
  return {std::move(out), total};
}

std::string page_sql(const http::Paging& p, const http::Sort& s, db::Params& params, const std::string& tiebreak) {
  return " ORDER BY " + s.sql() + ", " + tiebreak + " LIMIT " + params.push(p.page_size) + " OFFSET " +
         params.push(p.offset());
}

std::string insert_sql(const std::string& table, const ColumnValues& cols, db::Params& params, const char* returning) {
  std::string names, values;
  for (auto& [column, value] : cols) {
    names += (names.empty() ? "" : ", ") + column;
    values += (values.empty() ? "" : ", ") + params.push(value);
  }
  return "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ") RETURNING " + returning;
}

std::string update_sql(const std::string& table, const std::string& id, const ColumnValues& cols, db::Params& params,
                       const char* returning) {
  std::string sets;
  params.add(id);
  for (auto& [column, value] : cols) sets += (sets.empty() ? "" : ", ") + column + " = " + params.push(value);
  return "UPDATE " + table + " SET " + sets + " WHERE id = $1 RETURNING " + returning;
}

long long count(const db::Row& r, const char* column) { return r.get<std::int64_t>(column); }

}  // namespace

// ---- vendors
Task<Page> CatalogRepo::list_vendors(const ListFilter& f, const http::Paging& p, const http::Sort& s) {
  db::Params params;
  std::string where = " WHERE true";
  if (f.search) {
    auto ph = params.push(db::like_contains(*f.search));
    where += " AND (name ILIKE " + ph + " OR tax_code ILIKE " + ph + " OR email ILIKE " + ph + ")";
  }
  auto sql = std::string("SELECT ") + kVendorColumns + ", count(*) OVER () AS total FROM vendors" + where +
             page_sql(p, s, params, "id");
  auto rows = co_await db_.query(sql, std::move(params));
  co_return to_page(rows, vendor_json);
}

Task<std::optional<nlohmann::json>> CatalogRepo::find_vendor(const std::string& id, db::Tx* tx, bool lock) {
  auto& query = lock ? q::kVendorLock : q::kVendorFind;
  db::Result r;
  if (tx) r = co_await tx->query(query, db::Params(id));
  else r = co_await db_.query(query, db::Params(id));
  co_return first(r, vendor_json);
}

Task<nlohmann::json> CatalogRepo::insert_vendor(db::Tx& tx, const ColumnValues& cols) {
  db::Params params;
  auto sql = insert_sql("vendors", cols, params, kVendorColumns);
  auto r = co_await tx.query(sql, std::move(params));
  co_return vendor_json(r.front());
}

Task<nlohmann::json> CatalogRepo::update_vendor(db::Tx& tx, const std::string& id, const ColumnValues& cols) {
  if (cols.empty()) {
    auto current = co_await find_vendor(id, &tx);
    co_return *current;
  }
  db::Params params;
  auto sql = update_sql("vendors", id, cols, params, kVendorColumns);
  auto r = co_await tx.query(sql, std::move(params));
  co_return vendor_json(r.front());
}

Task<std::vector<Reference>> CatalogRepo::vendor_references(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kVendorRefs, db::Params(id));
  auto row = r.front();
  std::vector<Reference> refs{{"assetModels", "asset model", "asset models", count(row, "models")},
                                   {"assets", "asset", "assets", count(row, "assets")}};
  co_return refs;
}

Task<void> CatalogRepo::delete_vendor(db::Tx& tx, const std::string& id) {
  co_await tx.query(q::kVendorDelete, db::Params(id));
}

// ---- asset categories
Task<Page> CatalogRepo::list_categories(const ListFilter& f, const http::Paging& p, const http::Sort& s) {
  db::Params params;
  std::string where = " WHERE true";
  if (f.search) where += " AND c.name ILIKE " + params.push(db::like_contains(*f.search));
  auto sql = std::string(kCategorySelect);
  sql.insert(sql.find(" FROM asset_categories"), ", count(*) OVER () AS total");
  sql += where + page_sql(p, s, params, "c.id");
  auto rows = co_await db_.query(sql, std::move(params));
  co_return to_page(rows, category_json);
}

Task<std::optional<nlohmann::json>> CatalogRepo::find_category(const std::string& id, db::Tx* tx) {
  db::Result r;
  if (tx) r = co_await tx->query(q::kCategoryFind, db::Params(id));
  else r = co_await db_.query(q::kCategoryFind, db::Params(id));
  co_return first(r, category_json);
}

Task<bool> CatalogRepo::lock_category(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kCategoryLock, db::Params(id));
  co_return !r.empty();
}

Task<bool> CatalogRepo::share_category(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kCategoryShare, db::Params(id));
  co_return !r.empty();
}

Task<std::string> CatalogRepo::insert_category(db::Tx& tx, const ColumnValues& cols) {
  db::Params params;
  auto sql = insert_sql("asset_categories", cols, params, "id");
  auto r = co_await tx.query(sql, std::move(params));
  co_return r.front().get<std::string>("id");
}

Task<void> CatalogRepo::update_category(db::Tx& tx, const std::string& id, const ColumnValues& cols) {
  if (cols.empty()) co_return;
  db::Params params;
  auto sql = update_sql("asset_categories", id, cols, params, "id");
  co_await tx.query(sql, std::move(params));
}

Task<std::vector<Reference>> CatalogRepo::category_references(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kCategoryRefs, db::Params(id));
  std::vector<Reference> refs{{"assetModels", "asset model", "asset models", count(r.front(), "models")}};
  co_return refs;
}

Task<void> CatalogRepo::delete_category(db::Tx& tx, const std::string& id) {
  co_await tx.query(q::kCategoryDelete, db::Params(id));
}

// ---- locations
Task<Page> CatalogRepo::list_locations(const ListFilter& f, const http::Paging& p, const http::Sort& s) {
  db::Params params;
  std::string where = " WHERE true";
  if (f.search) where += " AND name ILIKE " + params.push(db::like_contains(*f.search));
  if (f.parent_id) {
    if (*f.parent_id) where += " AND parent_id = " + params.push(**f.parent_id) + "::uuid";
    else where += " AND parent_id IS NULL";
  }
  auto sql = std::string("SELECT ") + kLocationColumns + ", count(*) OVER () AS total FROM locations" + where +
             page_sql(p, s, params, "id");
  auto rows = co_await db_.query(sql, std::move(params));
  co_return to_page(rows, location_json);
}

Task<std::optional<nlohmann::json>> CatalogRepo::find_location(const std::string& id, db::Tx* tx, bool lock) {
  auto& query = lock ? q::kLocationLock : q::kLocationFind;
  db::Result r;
  if (tx) r = co_await tx->query(query, db::Params(id));
  else r = co_await db_.query(query, db::Params(id));
  co_return first(r, location_json);
}

Task<void> CatalogRepo::lock_location_tree(db::Tx& tx) { co_await tx.query(q::kLocationTreeLock); }

Task<nlohmann::json> CatalogRepo::insert_location(db::Tx& tx, const std::string& name,
                                                  const std::optional<std::string>& parent_id,
                                                  const std::string& parent_path) {
  auto r = co_await tx.query(q::kLocationInsert, db::Params(name, parent_id, parent_path));
  co_return location_json(r.front());
}

Task<void> CatalogRepo::rename_location(db::Tx& tx, const std::string& id, const std::string& name) {
  co_await tx.query(q::kLocationRename, db::Params(id, name));
}

Task<long long> CatalogRepo::move_location(db::Tx& tx, const std::string& id,
                                           const std::optional<std::string>& parent_id, const std::string& old_path,
                                           const std::string& new_path) {
  auto r = co_await tx.query(q::kLocationMove, db::Params(id, old_path, new_path, parent_id));
  co_return r.affected();
}

Task<nlohmann::json> CatalogRepo::subtree(const std::string& path) {
  auto rows = co_await db_.query(q::kLocationSubtree, db::Params(path));
  nlohmann::json out = nlohmann::json::array();
  for (auto r : rows) out.push_back(location_json(r));
  co_return out;
}

Task<std::vector<Reference>> CatalogRepo::location_references(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kLocationRefs, db::Params(id));
  auto row = r.front();
  std::vector<Reference> refs{{"childLocations", "child location", "child locations", count(row, "children")},
                                   {"assets", "asset", "assets", count(row, "assets")},
                                   {"inventorySessions", "inventory session", "inventory sessions",
                                    count(row, "sessions")}};
  co_return refs;
}

Task<void> CatalogRepo::delete_location(db::Tx& tx, const std::string& id) {
  co_await tx.query(q::kLocationDelete, db::Params(id));
}

}  // namespace netops::catalog
