#pragma once
// Persistence of versioned spec schemas (versions draft → active → retired, and their field
// definitions), parameterised by table names so the CMDB's CI-type attribute versions can reuse it:
//   asset categories: {"asset_category_spec_versions", "asset_category_spec_defs", "category_id"}
//   CMDB CI types:    {"cmdb_ci_type_versions", "cmdb_ci_type_attr_defs", "type_id"}
// SQL only; the rules are in spec_version_service.cpp.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "modules/catalog/types.hpp"
#include "specs/engine.hpp"

namespace netops::catalog {

struct SpecTables {
  std::string versions;  // versions table (id, <owner>, version, status, created_by, created_at)
  std::string defs;      // definitions table (the columns of specs::FieldDef + version_id)
  std::string owner;     // owner column of the versions table
  std::string label;     // prefix of the query names (metrics, logs, prepared-statement cache)
};


class SpecVersionRepo {
 public:
  SpecVersionRepo(db::Db& db, SpecTables t);
  // The tables of asset-category spec versions.
  static SpecTables asset_categories();
  const SpecTables& tables() const { return t_; }

  Task<std::vector<SpecVersion>> versions(const std::string& owner_id);
  Task<std::optional<SpecVersion>> version(const std::string& id, db::Tx* tx = nullptr, bool lock = false);
  Task<std::optional<SpecVersion>> with_status(db::Tx& tx, const std::string& owner_id, const std::string& status);
  Task<SpecVersion> create_version(db::Tx& tx, const std::string& owner_id, const std::string& status,
                                   const std::optional<std::string>& created_by);  // version = max + 1
  Task<long long> copy_defs(db::Tx& tx, const std::string& from_version, const std::string& to_version);
  Task<void> set_status(db::Tx& tx, const std::string& version_id, const std::string& status);
  Task<void> delete_version(db::Tx& tx, const std::string& version_id);

  Task<std::vector<specs::FieldDef>> defs(const std::string& version_id, db::Tx* tx = nullptr);
  // The definition and the id of its version.
  Task<std::optional<std::pair<specs::FieldDef, std::string>>> def(const std::string& id, db::Tx* tx = nullptr);
  Task<specs::FieldDef> insert_def(db::Tx& tx, const std::string& version_id, const specs::FieldDef& d);
  Task<specs::FieldDef> update_def(db::Tx& tx, const std::string& id, const specs::FieldDef& d);
  Task<void> delete_def(db::Tx& tx, const std::string& id);
  // Filterable definitions named `key` in active versions (of one owner when given): what a
  // `spec.<key>=value` filter may mean.
  Task<std::vector<specs::FieldDef>> active_filterable(const std::string& key, const std::optional<std::string>& owner);

 private:
  struct Sql {
    std::string name, text;
    db::Query query() const { return db::Query{name, text}; }
  };
  Sql make(const std::string& name, std::string text) const { return {t_.label + "." + name, std::move(text)}; }
  db::Db& db_;
  SpecTables t_;
  Sql list_, find_, lock_, by_status_, create_, copy_, set_status_, delete_version_;
  Sql defs_, def_, insert_def_, update_def_, delete_def_, filterable_;
};

}  // namespace netops::catalog
