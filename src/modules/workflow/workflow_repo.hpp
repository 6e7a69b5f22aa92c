#pragma once
// SQL of workflow requests. Nothing else.
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/workflow/types.hpp"

namespace netops::workflow {

class WorkflowRepo {
 public:
  explicit WorkflowRepo(db::Db& db) : db_(db) {}
  Task<db::Page<WorkflowRequest>> list(const RequestFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<std::optional<WorkflowRequest>> find(const std::string& id);
  Task<std::optional<WorkflowRequest>> lock(db::Tx& tx, const std::string& id);  // FOR UPDATE
  Task<WorkflowRequest> insert(db::Tx& tx, const NewRequest& in, const Caller& by);
  // status, payload and (when given) approved_by; updated_at = now().
  Task<WorkflowRequest> update_state(db::Tx& tx, const std::string& id, const std::string& status,
                                     const nlohmann::json& payload, const std::optional<std::string>& approved_by);
  Task<bool> asset_exists(db::Tx& tx, const std::string& id);
  Task<bool> location_exists(db::Tx& tx, const std::string& id);

 private:
  db::Db& db_;
};

}  // namespace netops::workflow
