#pragma once
// SQL of asset models. Nothing else.
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/catalog/types.hpp"

namespace netops::catalog {

class AssetModelRepo {
 public:
  explicit AssetModelRepo(db::Db& db) : db_(db) {}
  Task<db::Page<AssetModel>> list(const AssetModelFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<AssetModel>> find(const std::string& id, db::Tx* tx = nullptr, bool lock = false);
  // The stored columns of m (category, spec version, vendor, brand, model, spec); returns the id.
  Task<std::string> insert(db::Tx& tx, const AssetModel& m);
  Task<void> update(db::Tx& tx, const std::string& id, const AssetModel& m);
  Task<long long> asset_count(db::Tx& tx, const std::string& id);
  Task<void> remove(db::Tx& tx, const std::string& id);
  Task<std::vector<AssetModel>> of_category(db::Tx& tx, const std::string& category_id);  // by model name

 private:
  db::Db& db_;
};

}  // namespace netops::catalog
