#pragma once
// SQL of locations (a tree kept as a materialised path). Nothing else.
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/catalog/references.hpp"
#include "modules/catalog/types.hpp"

namespace netops::catalog {

class LocationRepo {
 public:
  explicit LocationRepo(db::Db& db) : db_(db) {}
  Task<db::Page<Location>> list(const ListFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<Location>> find(const std::string& id, db::Tx* tx = nullptr, bool lock = false);
  // One lock for every move: two concurrent moves could otherwise each pass the cycle check.
  Task<void> lock_tree(db::Tx& tx);
  Task<Location> insert(db::Tx& tx, const std::string& name, const std::optional<std::string>& parent_id,
                        const std::string& parent_path);
  Task<void> rename(db::Tx& tx, const std::string& id, const std::string& name);
  // Re-paths the whole subtree under old_path in ONE statement and sets the moved node's parent.
  Task<long long> move(db::Tx& tx, const std::string& id, const std::optional<std::string>& parent_id,
                       const std::string& old_path, const std::string& new_path);
  Task<std::vector<Location>> subtree(const std::string& path);  // ordered by path
  Task<std::vector<Reference>> references(db::Tx& tx, const std::string& id);
  Task<void> remove(db::Tx& tx, const std::string& id);

 private:
  db::Db& db_;
};

}  // namespace netops::catalog
