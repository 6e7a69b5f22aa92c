#include "modules/catalog/vendor_repo.hpp"

#include "db/where.hpp"
#include "modules/catalog/columns.hpp"

namespace netops::catalog {

namespace q {
const std::string kSelect = std::string("SELECT ") + kVendorColumns + " FROM vendors";
const std::string kFindSql = kSelect + " WHERE id = $1";
const std::string kLockSql = kSelect + " WHERE id = $1 FOR UPDATE";
const db::Query kFind{"vendors.find", kFindSql};
const db::Query kLock{"vendors.lock", kLockSql};
constexpr db::Query kRefs{"vendors.references",
                          "SELECT (SELECT count(*) FROM asset_models WHERE vendor_id = $1) AS models, "
                          "(SELECT count(*) FROM assets WHERE vendor_id = $1) AS assets"};
constexpr db::Query kDelete{"vendors.delete", "DELETE FROM vendors WHERE id = $1"};
}  // namespace q

namespace {
ColumnValues columns_of(const VendorInput& in) {
  ColumnValues cols;
  set_column(cols, "name", in.name);
  set_column(cols, "tax_code", in.tax_code);
  set_column(cols, "phone", in.phone);
  set_column(cols, "email", in.email);
  set_column(cols, "address", in.address);
  return cols;
}
}  // namespace

Task<db::Page<Vendor>> VendorRepo::list(const ListFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  if (f.search) w.add("(name ILIKE {} OR tax_code ILIKE {} OR email ILIKE {})", db::like_contains(*f.search));
  auto sql = std::string("SELECT ") + kVendorColumns + ", count(*) OVER () AS total FROM vendors" + w.sql();
  sql += w.order_and_window(s, p, "id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<Vendor>(rows, p, vendor_from_row);
}

Task<std::optional<Vendor>> VendorRepo::find(const std::string& id) {
  auto r = co_await db_.query(q::kFind, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return vendor_from_row(r.front());
}

Task<std::optional<Vendor>> VendorRepo::lock(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kLock, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return vendor_from_row(r.front());
}

Task<Vendor> VendorRepo::insert(db::Tx& tx, const VendorInput& in) {
  auto cols = columns_of(in);
  db::Params params;
  auto sql = insert_sql("vendors", cols, params, kVendorColumns);
  auto r = co_await tx.query(sql, std::move(params));
  co_return vendor_from_row(r.front());
}

Task<Vendor> VendorRepo::update(db::Tx& tx, const std::string& id, const VendorInput& in) {
  auto cols = columns_of(in);
  if (cols.empty()) {
    auto r = co_await tx.query(q::kFind, db::Params(id));
    co_return vendor_from_row(r.front());
  }
  db::Params params;
  auto sql = update_sql("vendors", id, cols, params, kVendorColumns);
  auto r = co_await tx.query(sql, std::move(params));
  co_return vendor_from_row(r.front());
}

Task<std::vector<Reference>> VendorRepo::references(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kRefs, db::Params(id));
  auto row = r.front();
  std::vector<Reference> refs{{"assetModels", "asset model", "asset models", row.get<std::int64_t>("models")},
                              {"assets", "asset", "assets", row.get<std::int64_t>("assets")}};
  co_return refs;
}

Task<void> VendorRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(q::kDelete, db::Params(id)); }

}  // namespace netops::catalog
