#pragma once
// SQL of cmdb_services and cmdb_service_members (health rolled up in the same statement: kHealthSql).
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/cmdb/types.hpp"

namespace netops::cmdb {

class ServiceRepo {
 public:
  explicit ServiceRepo(db::Db& db) : db_(db) {}
  Task<db::Page<Service>> list(const ServiceFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<Service>> find(const std::string& id, db::Tx* tx = nullptr);
  Task<bool> lock(db::Tx& tx, const std::string& id);
  Task<std::string> insert(db::Tx& tx, const ServiceInput& in);
  Task<void> update(db::Tx& tx, const std::string& id, const ServiceInput& in);
  Task<void> remove(db::Tx& tx, const std::string& id);
  Task<std::vector<Member>> members(const std::string& service_id, db::Tx* tx = nullptr);
  Task<std::optional<Member>> member(db::Tx& tx, const std::string& member_id);
  Task<bool> ci_exists(db::Tx& tx, const std::string& ci_id);
  Task<std::optional<std::string>> member_of(db::Tx& tx, const std::string& service_id, const std::string& ci_id);
  Task<std::string> add_member(db::Tx& tx, const std::string& service_id, const std::string& ci_id,
                               const std::optional<std::string>& role);
  Task<void> remove_member(db::Tx& tx, const std::string& member_id);

 private:
  db::Db& db_;
};

}  // namespace netops::cmdb
