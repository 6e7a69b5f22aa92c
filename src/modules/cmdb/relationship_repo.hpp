#pragma once
// SQL of cmdb_relationships.
#include <optional>
#include <string>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/cmdb/types.hpp"

namespace netops::cmdb {

struct CiRef {
  std::string id, ci_code, type_id, type_code;
};

class RelationshipRepo {
 public:
  explicit RelationshipRepo(db::Db& db) : db_(db) {}
  Task<db::Page<Relationship>> list(const RelationshipFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<Relationship>> find(const std::string& id, db::Tx* tx = nullptr, bool lock = false);
  Task<std::optional<CiRef>> ci(db::Tx& tx, const std::string& id);  // locks the CI row (KEY SHARE)
  Task<std::optional<std::string>> type_code(db::Tx& tx, const std::string& type_id);
  Task<std::optional<std::string>> active_duplicate(db::Tx& tx, const RelationshipInput& in);
  Task<std::string> insert(db::Tx& tx, const RelationshipInput& in);
  Task<void> update(db::Tx& tx, const std::string& id, const RelationshipInput& in);
  Task<void> retire(db::Tx& tx, const std::string& id);

 private:
  db::Db& db_;
};

}  // namespace netops::cmdb
