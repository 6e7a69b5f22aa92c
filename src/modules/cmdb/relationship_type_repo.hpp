#pragma once
// SQL of cmdb_relationship_types.
#include <optional>
#include <string>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/cmdb/types.hpp"

namespace netops::cmdb {

struct RelTypeFilter {
  std::optional<std::string> search;
};

class RelTypeRepo {
 public:
  explicit RelTypeRepo(db::Db& db) : db_(db) {}
  Task<db::Page<RelType>> list(const RelTypeFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<RelType>> find(const std::string& id, db::Tx* tx = nullptr, bool lock = false);
  Task<std::string> insert(db::Tx& tx, const RelTypeInput& in);
  Task<void> update(db::Tx& tx, const std::string& id, const RelTypeInput& in);
  // Which of allowedFromTypeId / allowedToTypeId name no CI type.
  Task<std::vector<std::string>> missing_refs(db::Tx& tx, const std::optional<std::string>& from,
                                              const std::optional<std::string>& to);
  Task<long long> relationships(db::Tx& tx, const std::string& id);
  Task<void> remove(db::Tx& tx, const std::string& id);

 private:
  db::Db& db_;
};

}  // namespace netops::cmdb
