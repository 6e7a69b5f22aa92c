#pragma once
// SQL of cmdb_ci_types (their versions and definitions: catalog::SpecVersionRepo on the CMDB tables).
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/catalog/spec_version_service.hpp"
#include "modules/cmdb/types.hpp"

namespace netops::cmdb {

struct TypeFilter {
  std::optional<std::string> search;
};

class CiTypeRepo {
 public:
  explicit CiTypeRepo(db::Db& db) : db_(db) {}
  static catalog::SpecTables tables() {
    return {"cmdb_ci_type_versions", "cmdb_ci_type_attr_defs", "type_id", "cmdb_types"};
  }
  Task<db::Page<CiType>> list(const TypeFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<CiType>> find(const std::string& id, db::Tx* tx = nullptr);
  Task<bool> lock(db::Tx& tx, const std::string& id);
  Task<CiType> insert(db::Tx& tx, const CiTypeInput& in);
  Task<CiType> update(db::Tx& tx, const std::string& id, const CiTypeInput& in);
  Task<long long> ci_count(db::Tx& tx, const std::string& id);
  Task<long long> rel_type_refs(db::Tx& tx, const std::string& id);
  Task<void> remove(db::Tx& tx, const std::string& id);
  // The CIs of a type with their attribute values (what a publish checks).
  Task<std::vector<catalog::SpecSubject>> subjects(db::Tx& tx, const std::string& id);

 private:
  db::Db& db_;
};

}  // namespace netops::cmdb
