#pragma once
// SQL of cmdb_cis and cmdb_ci_attr_values.
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/cmdb/types.hpp"

namespace netops::cmdb {

// What still depends on a CI (a delete refuses while any is there).
struct CiDependents {
  nlohmann::json relationships = nlohmann::json::array();  // [{id, relTypeCode, fromCiCode, toCiCode}]
  nlohmann::json services = nlohmann::json::array();       // [{memberId, serviceId, serviceCode, role}]
  bool empty() const { return relationships.empty() && services.empty(); }
};

class CiRepo {
 public:
  explicit CiRepo(db::Db& db) : db_(db) {}
  Task<db::Page<Ci>> list(const CiFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<Ci>> find(const std::string& id, db::Tx* tx = nullptr);
  Task<bool> lock(db::Tx& tx, const std::string& id);
  // Which of typeId / assetId / locationId name no row.
  Task<std::vector<std::string>> missing_refs(db::Tx& tx, const std::optional<std::string>& type_id,
                                              const std::optional<std::string>& asset_id,
                                              const std::optional<std::string>& location_id);
  Task<std::string> insert(db::Tx& tx, const CiInput& in);
  Task<void> update(db::Tx& tx, const std::string& id, const CiInput& in);
  Task<void> replace_attributes(db::Tx& tx, const std::string& id, const std::optional<std::string>& version_id,
                                const nlohmann::json& values);
  Task<CiDependents> dependents(db::Tx& tx, const std::string& id);
  Task<std::vector<std::string>> retire_relationships(db::Tx& tx, const std::string& id);  // their ids
  Task<void> remove_memberships(db::Tx& tx, const std::string& id);
  Task<void> remove(db::Tx& tx, const std::string& id);
  // Filterable attribute keys of the active versions (of one type when given).
  Task<bool> filterable(const std::string& key, const std::optional<std::string>& type_id);
  // CSV export: every CI matching, with attributes (capped by the caller's limit).
  Task<std::vector<Ci>> export_rows(const CiFilter& f, long long limit);

 private:
  db::Db& db_;
};

}  // namespace netops::cmdb
