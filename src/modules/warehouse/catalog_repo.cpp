#include "modules/warehouse/catalog_repo.hpp"

#include "modules/warehouse/columns.hpp"

namespace netops::warehouse {

std::string ts(const std::string& column) {
  return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
}

const CatalogKind& warehouse_kind() {
  static const CatalogKind k{
      .table = "warehouses",
      .entity = "warehouse",
      .json = "json_build_object('id', id, 'code', code, 'name', name, 'locationId', location_id, 'createdAt', " +
              ts("created_at") + ")",
      .where =
          [](db::Where& w, const CatalogFilter& f) {
            if (f.search) w.add("(code ILIKE {} OR name ILIKE {})", db::like_contains(*f.search));
            w.eq("location_id", f.location_id);
          },
      .referrers =
          {{"stock", "stock row", "stock rows",
            "SELECT count(*) FROM spare_part_stock WHERE warehouse_id = $1 AND (on_hand > 0 OR reserved > 0)"},
           {"movements", "movement", "movements", "SELECT count(*) FROM spare_part_movements WHERE warehouse_id = $1"},
           {"documents", "stock document", "stock documents",
            "SELECT count(*) FROM stock_documents WHERE warehouse_id = $1 OR target_warehouse_id = $1"},
           {"repairOrderParts", "repair order part", "repair order parts",
            "SELECT count(*) FROM repair_order_parts WHERE warehouse_id = $1"}},
  };
  return k;
}

const CatalogKind& part_kind() {
  static const CatalogKind k{
      .table = "spare_parts",
      .entity = "spare_part",
      .json = "json_build_object('id', id, 'partCode', part_code, 'code', part_code, 'name', name, 'category', "
              "category, 'uom', uom, 'manufacturer', manufacturer, 'model', model, 'spec', spec, 'minLevel', "
              "min_level, 'createdAt', " +
              ts("created_at") + ")",
      .where =
          [](db::Where& w, const CatalogFilter& f) {
            if (f.search)
              w.add("(part_code ILIKE {} OR name ILIKE {} OR manufacturer ILIKE {} OR model ILIKE {})",
                    db::like_contains(*f.search));
            w.eq("category", f.category);
            w.eq("uom", f.uom);
            w.eq("manufacturer", f.manufacturer);
          },
      .referrers =
          {{"stock", "stock row", "stock rows",
            "SELECT count(*) FROM spare_part_stock WHERE part_id = $1 AND (on_hand > 0 OR reserved > 0)"},
           {"movements", "movement", "movements", "SELECT count(*) FROM spare_part_movements WHERE part_id = $1"},
           {"documentLines", "stock document line", "stock document lines",
            "SELECT count(*) FROM stock_document_lines WHERE part_id = $1"},
           {"repairOrderParts", "repair order part", "repair order parts",
            "SELECT count(*) FROM repair_order_parts WHERE part_id = $1"}},
  };
  return k;
}

Task<db::Page<Item>> CatalogRepo::list(const CatalogFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  kind_.where(w, f);
  auto sql = "SELECT " + kind_.json + " AS j, count(*) OVER () AS total FROM " + kind_.table + w.sql();
  sql += w.order_and_window(s, p, "id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<Item>(rows, p, [](const db::Row& r) { return Item{r.get<nlohmann::json>("j")}; });
}

Task<std::optional<Item>> CatalogRepo::find(const std::string& id) {
  const std::string sql = "SELECT " + kind_.json + " AS j FROM " + kind_.table + " WHERE id = $1";
  auto r = co_await db_.query(sql, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return Item{r.front().get<nlohmann::json>("j")};
}

Task<std::optional<Item>> CatalogRepo::lock(db::Tx& tx, const std::string& id) {
  const std::string sql = "SELECT " + kind_.json + " AS j FROM " + kind_.table + " WHERE id = $1 FOR UPDATE";
  auto r = co_await tx.query(sql, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return Item{r.front().get<nlohmann::json>("j")};
}

Task<Item> CatalogRepo::insert(db::Tx& tx, const Columns& cols) {
  db::Params params;
  auto sql = insert_sql(kind_.table, cols, params, kind_.json + " AS j");
  auto r = co_await tx.query(sql, std::move(params));
  co_return Item{r.front().get<nlohmann::json>("j")};
}

Task<Item> CatalogRepo::update(db::Tx& tx, const std::string& id, const Columns& cols) {
  if (cols.empty()) {
    auto found = co_await lock(tx, id);
    co_return *found;
  }
  db::Params params;
  auto sql = update_sql(kind_.table, id, cols, params, kind_.json + " AS j");
  auto r = co_await tx.query(sql, std::move(params));
  co_return Item{r.front().get<nlohmann::json>("j")};
}

Task<std::vector<std::pair<const Referrer*, long long>>> CatalogRepo::references(db::Tx& tx, const std::string& id) {
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < kind_.referrers.size(); ++i)
    sql += (i ? ", (" : "(") + kind_.referrers[i].count_sql + ") AS c" + std::to_string(i);
  auto r = co_await tx.query(sql, db::Params(id));
  std::vector<std::pair<const Referrer*, long long>> out;
  for (std::size_t i = 0; i < kind_.referrers.size(); ++i) {
    auto n = r.front().get<std::int64_t>("c" + std::to_string(i));
    if (n > 0) out.emplace_back(&kind_.referrers[i], n);
  }
  co_return out;
}

Task<void> CatalogRepo::remove(db::Tx& tx, const std::string& id) {
  const std::string sql = "DELETE FROM " + kind_.table + " WHERE id = $1";
  co_await tx.query(sql, db::Params(id));
}

}  // namespace netops::warehouse
