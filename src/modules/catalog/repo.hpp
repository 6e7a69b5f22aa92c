#pragma once
// SQL of the plain catalogs: vendors, asset categories, locations. Nothing else.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "http/listing.hpp"
#include "modules/catalog/common.hpp"

namespace netops::catalog {

struct ListFilter {
  std::optional<std::string> search;
  std::optional<std::optional<std::string>> parent_id;  // locations: set → only children of (null = roots)
};

using Page = std::pair<nlohmann::json, long long>;  // rows as API JSON, total

class CatalogRepo {
 public:
  explicit CatalogRepo(db::Db& db) : db_(db) {}

  // vendors
  Task<Page> list_vendors(const ListFilter& f, const http::Paging& p, const http::Sort& s);
  Task<std::optional<nlohmann::json>> find_vendor(const std::string& id, db::Tx* tx = nullptr, bool lock = false);
  Task<nlohmann::json> insert_vendor(db::Tx& tx, const ColumnValues& cols);
  Task<nlohmann::json> update_vendor(db::Tx& tx, const std::string& id, const ColumnValues& cols);
  Task<std::vector<Reference>> vendor_references(db::Tx& tx, const std::string& id);
  Task<void> delete_vendor(db::Tx& tx, const std::string& id);

  // asset categories (with their active spec version)
  Task<Page> list_categories(const ListFilter& f, const http::Paging& p, const http::Sort& s);
  Task<std::optional<nlohmann::json>> find_category(const std::string& id, db::Tx* tx = nullptr);
  Task<bool> lock_category(db::Tx& tx, const std::string& id);  // SELECT … FOR UPDATE; false when absent
  // FOR SHARE: a model validated against the active version waits for a publish in progress, so the
  // publish report and the model's stamped version agree.
  Task<bool> share_category(db::Tx& tx, const std::string& id);
  Task<std::string> insert_category(db::Tx& tx, const ColumnValues& cols);  // returns the id
  Task<void> update_category(db::Tx& tx, const std::string& id, const ColumnValues& cols);
  Task<std::vector<Reference>> category_references(db::Tx& tx, const std::string& id);
  Task<void> delete_category(db::Tx& tx, const std::string& id);

  // locations
  Task<Page> list_locations(const ListFilter& f, const http::Paging& p, const http::Sort& s);
  Task<std::optional<nlohmann::json>> find_location(const std::string& id, db::Tx* tx = nullptr, bool lock = false);
  // One lock for every move: two concurrent moves could otherwise each pass the cycle check.
  Task<void> lock_location_tree(db::Tx& tx);
  Task<nlohmann::json> insert_location(db::Tx& tx, const std::string& name, const std::optional<std::string>& parent_id,
                                       const std::string& parent_path);
  Task<void> rename_location(db::Tx& tx, const std::string& id, const std::string& name);
  // Re-paths the whole subtree under old_path in ONE statement and sets the moved node's parent.
  Task<long long> move_location(db::Tx& tx, const std::string& id, const std::optional<std::string>& parent_id,
                                const std::string& old_path, const std::string& new_path);
  Task<nlohmann::json> subtree(const std::string& path);  // flat rows ordered by path
  Task<std::vector<Reference>> location_references(db::Tx& tx, const std::string& id);
  Task<void> delete_location(db::Tx& tx, const std::string& id);

 private:
  db::Db& db_;
};

}  // namespace netops::catalog
