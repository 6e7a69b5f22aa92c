#pragma once
// Workflow requests (SPEC §4.5): assign | return | move | repair | dispose requests with four-eyes approval.
// Every change locks the request row (SELECT … FOR UPDATE) and checks the transition table, so of two
// concurrent decisions on one request exactly one succeeds and the other gets 409. Executing applies the
// effect through the assets module's own rules (assign_in, return_in, move_in, change_status_in) in the
// request's transaction; a refused effect rolls everything back and a second short transaction records
// payload.lastError. Each change writes a REQUEST_* asset event and an audit row.
#include <memory>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/assets/asset_service.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/workflow/workflow_repo.hpp"

namespace netops::workflow {

class WorkflowService {
 public:
  WorkflowService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                  std::shared_ptr<assets::AssetService> assets)
      : ctx_(ctx), repo_(ctx.db), audit_(std::move(audit)), assets_(std::move(assets)) {}

  // Users see their own requests only (the requestedBy filter is forced to them).
  Task<db::Page<WorkflowRequest>> list(RequestFilter f, const db::PageRequest& p, const db::Sort& s, const Caller& by);
  Task<WorkflowRequest> get(const std::string& id, const Caller& by);  // 404 also when not the caller's to see
  Task<WorkflowRequest> submit(const NewRequest& in, const Caller& by);
  Task<WorkflowRequest> approve(const std::string& id, const std::optional<std::string>& note, const Caller& by);
  Task<WorkflowRequest> reject(const std::string& id, const std::optional<std::string>& reason, const Caller& by);
  Task<WorkflowRequest> cancel(const std::string& id, const std::optional<std::string>& reason, const Caller& by);
  Task<WorkflowRequest> execute(const std::string& id, const Caller& by);

 private:
  Task<WorkflowRequest> locked_visible(db::Tx& tx, const std::string& id, const Caller& by);
  Task<void> apply_effect(db::Tx& tx, const WorkflowRequest& r, const Caller& by);
  // The REQUEST_* asset event (when the asset still exists) and the audit row of one change.
  Task<void> record(db::Tx& tx, const WorkflowRequest& before, const WorkflowRequest& after, std::string_view event,
                    std::string_view action, const Caller& by);

  AppContext& ctx_;
  WorkflowRepo repo_;
  std::shared_ptr<audit::AuditService> audit_;
  std::shared_ptr<assets::AssetService> assets_;
};

}  // namespace netops::workflow
