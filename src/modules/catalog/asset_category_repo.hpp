#pragma once
// SQL of asset categories (each with its active spec version). Nothing else.
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/catalog/references.hpp"
#include "modules/catalog/types.hpp"

namespace netops::catalog {

class AssetCategoryRepo {
 public:
  explicit AssetCategoryRepo(db::Db& db) : db_(db) {}
  Task<db::Page<AssetCategory>> list(const ListFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<AssetCategory>> find(const std::string& id, db::Tx* tx = nullptr);
  Task<bool> lock(db::Tx& tx, const std::string& id);  // SELECT … FOR UPDATE; false when absent
  // FOR SHARE: a model validated against the active version waits for a publish in progress, so the
  // publish report and the model's stamped version agree.
  Task<bool> share(db::Tx& tx, const std::string& id);
  Task<std::string> insert(db::Tx& tx, const AssetCategoryInput& in);  // returns the id
  Task<void> update(db::Tx& tx, const std::string& id, const AssetCategoryInput& in);
  Task<std::vector<Reference>> references(db::Tx& tx, const std::string& id);
  Task<void> remove(db::Tx& tx, const std::string& id);  // its spec versions and definitions go with it

 private:
  db::Db& db_;
};

}  // namespace netops::catalog
