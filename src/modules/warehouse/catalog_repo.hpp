#pragma once
// SQL of the two plain resources of the module, warehouses and spare parts: one repository over a
// descriptor (table, JSON shape, filters, what refers to a row). Nothing else.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "db/where.hpp"
#include "modules/warehouse/types.hpp"

namespace netops::warehouse {

struct Referrer {
  std::string key, singular, plural, count_sql;  // count_sql: "SELECT count(*) … WHERE … = $1"
};

struct CatalogKind {
  std::string table;   // "warehouses"
  std::string entity;  // "warehouse": ops_events entity type and the errors' noun
  std::string json;    // SQL expression of the API representation (json_build_object(…))
  std::function<void(db::Where&, const CatalogFilter&)> where;
  std::vector<Referrer> referrers;  // a delete is refused while any counts rows
};

const CatalogKind& warehouse_kind();
const CatalogKind& part_kind();

// The timestamp format of every representation of the module.
std::string ts(const std::string& column);

class CatalogRepo {
 public:
  CatalogRepo(db::Db& db, const CatalogKind& kind) : db_(db), kind_(kind) {}
  Task<db::Page<Item>> list(const CatalogFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<Item>> find(const std::string& id);
  Task<std::optional<Item>> lock(db::Tx& tx, const std::string& id);
  Task<Item> insert(db::Tx& tx, const Columns& cols);
  Task<Item> update(db::Tx& tx, const std::string& id, const Columns& cols);
  // key → count of what still refers to the row (only non-zero ones)
  Task<std::vector<std::pair<const Referrer*, long long>>> references(db::Tx& tx, const std::string& id);
  Task<void> remove(db::Tx& tx, const std::string& id);

 private:
  db::Db& db_;
  const CatalogKind& kind_;
};

}  // namespace netops::warehouse
