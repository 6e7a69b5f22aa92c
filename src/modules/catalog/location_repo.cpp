#include "modules/catalog/location_repo.hpp"

#include "db/where.hpp"

namespace netops::catalog {

namespace q {
const std::string kSelect = std::string("SELECT ") + kLocationColumns + " FROM locations";
const std::string kFindSql = kSelect + " WHERE id = $1";
const std::string kLockSql = kSelect + " WHERE id = $1 FOR UPDATE";
const std::string kInsertSql =
    std::string("WITH g AS (SELECT gen_random_uuid() AS id) INSERT INTO locations (id, name, parent_id, path) "
                "SELECT g.id, $1, $2::uuid, $3 || g.id::text || '/' FROM g RETURNING ") + kLocationColumns;
const std::string kSubtreeSql = kSelect + " WHERE path LIKE $1 || '%' ORDER BY path";
const db::Query kFind{"locations.find", kFindSql};
const db::Query kLock{"locations.lock", kLockSql};
const db::Query kInsert{"locations.insert", kInsertSql};
const db::Query kSubtree{"locations.subtree", kSubtreeSql};
constexpr db::Query kTreeLock{"locations.tree_lock", "SELECT pg_advisory_xact_lock(hashtext('netops.locations.tree'))"};
constexpr db::Query kRename{"locations.rename", "UPDATE locations SET name = $2 WHERE id = $1"};
// The whole subtree in one statement: every path under the old prefix gets the new prefix.
constexpr db::Query kMove{
    "locations.move",
    "UPDATE locations SET path = $3 || substr(path, length($2) + 1), "
    "parent_id = CASE WHEN id = $1 THEN $4::uuid ELSE parent_id END WHERE path LIKE $2 || '%'"};
constexpr db::Query kRefs{
    "locations.references",
    "SELECT (SELECT count(*) FROM locations WHERE parent_id = $1) AS children, "
    "(SELECT count(*) FROM assets WHERE location_id = $1) AS assets, "
    "(SELECT count(*) FROM inventory_sessions WHERE location_id = $1) AS sessions"};
constexpr db::Query kDelete{"locations.delete", "DELETE FROM locations WHERE id = $1"};
}  // namespace q

Task<db::Page<Location>> LocationRepo::list(const ListFilter& f, const db::PageRequest& p, const db::Sort& s) {
  db::Where w;
  if (f.search) w.add("name ILIKE {}", db::like_contains(*f.search));
  if (f.parent_id) {
    if (*f.parent_id) w.add("parent_id = {}::uuid", **f.parent_id);
    else w.add("parent_id IS NULL");
  }
  auto sql = std::string("SELECT ") + kLocationColumns + ", count(*) OVER () AS total FROM locations" + w.sql();
  sql += w.order_and_window(s, p, "id");
  auto rows = co_await db_.query(sql, w.take_params());
  co_return db::page_of<Location>(rows, p, location_from_row);
}

Task<std::optional<Location>> LocationRepo::find(const std::string& id, db::Tx* tx, bool lock) {
  auto& query = lock ? q::kLock : q::kFind;
  db::Result r;
  if (tx) r = co_await tx->query(query, db::Params(id));
  else r = co_await db_.query(query, db::Params(id));
  if (r.empty()) co_return std::nullopt;
  co_return location_from_row(r.front());
}

Task<void> LocationRepo::lock_tree(db::Tx& tx) { co_await tx.query(q::kTreeLock); }

Task<Location> LocationRepo::insert(db::Tx& tx, const std::string& name, const std::optional<std::string>& parent_id,
                                    const std::string& parent_path) {
  auto r = co_await tx.query(q::kInsert, db::Params(name, parent_id, parent_path));
  co_return location_from_row(r.front());
}

Task<void> LocationRepo::rename(db::Tx& tx, const std::string& id, const std::string& name) {
  co_await tx.query(q::kRename, db::Params(id, name));
}

Task<long long> LocationRepo::move(db::Tx& tx, const std::string& id, const std::optional<std::string>& parent_id,
                                   const std::string& old_path, const std::string& new_path) {
  auto r = co_await tx.query(q::kMove, db::Params(id, old_path, new_path, parent_id));
  co_return r.affected();
}

Task<std::vector<Location>> LocationRepo::subtree(const std::string& path) {
  auto rows = co_await db_.query(q::kSubtree, db::Params(path));
  std::vector<Location> out;
  for (auto r : rows) out.push_back(location_from_row(r));
  co_return out;
}

Task<std::vector<Reference>> LocationRepo::references(db::Tx& tx, const std::string& id) {
  auto r = co_await tx.query(q::kRefs, db::Params(id));
  auto row = r.front();
  std::vector<Reference> refs{
      {"childLocations", "child location", "child locations", row.get<std::int64_t>("children")},
      {"assets", "asset", "assets", row.get<std::int64_t>("assets")},
      {"inventorySessions", "inventory session", "inventory sessions", row.get<std::int64_t>("sessions")}};
  co_return refs;
}

Task<void> LocationRepo::remove(db::Tx& tx, const std::string& id) { co_await tx.query(q::kDelete, db::Params(id)); }

}  // namespace netops::catalog
