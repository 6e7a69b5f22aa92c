#include "modules/workflow/workflow_service.hpp"

#include <exception>

#include "core/error.hpp"
#include "modules/workflow/workflow_rules.hpp"

namespace netops::workflow {

namespace {
bool is_admin(const Caller& by) { return by.at_least(Role::admin); }
bool visible_to(const WorkflowRequest& r, const Caller& by) {
  return is_admin(by) || (r.requested_by && *r.requested_by == by.user_id);
}
}  // namespace

Task<db::Page<WorkflowRequest>> WorkflowService::list(RequestFilter f, const db::PageRequest& p, const db::Sort& s,
                                                      const Caller& by) {
  if (!is_admin(by)) f.requested_by = by.user_id;
  co_return co_await repo_.list(f, p, s);
}

Task<WorkflowRequest> WorkflowService::get(const std::string& id, const Caller& by) {
  auto r = co_await repo_.find(id);
  if (!r || !visible_to(*r, by)) throw NotFound("workflow request");
  co_return std::move(*r);
}

Task<WorkflowRequest> WorkflowService::locked_visible(db::Tx& tx, const std::string& id, const Caller& by) {
  auto r = co_await repo_.lock(tx, id);
  if (!r || !visible_to(*r, by)) throw NotFound("workflow request");
  co_return std::move(*r);
}

Task<void> WorkflowService::record(db::Tx& tx, const WorkflowRequest& before, const WorkflowRequest& after,
                                   std::string_view event, std::string_view action, const Caller& by) {
  if (after.asset_id) {
    nlohmann::json payload = {{"requestId", after.id},
                              {"requestType", after.request_type},
                              {"changes", {{"status", {{"before", before.status}, {"after", after.status}}}}},
                              {"request", to_json(after)}};
    std::string asset_id = *after.asset_id;
    co_await assets_->record_event(tx, asset_id, event, payload, by);
  }
  std::string resource = "workflow_request:" + after.id;
  std::string act(action);
  nlohmann::json details = {{"changes", audit::changes(to_json(before), to_json(after))}};
  co_await audit_->record(tx, by, act, resource, details);
}

Task<WorkflowRequest> WorkflowService::submit(const NewRequest& in, const Caller& by) {
  std::optional<WorkflowRequest> out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    Validation refs;
    if (!co_await repo_.asset_exists(tx, in.asset_id)) refs.add("assetId", "does not exist");
    if (in.request_type == "move") {
      std::string location = in.payload.value("locationId", std::string());
      if (!co_await repo_.location_exists(tx, location)) refs.add("payload.locationId", "does not exist");
    }
    if (!refs.empty())
      throw Unprocessable("unknown " + refs.errors()[0]["field"].get<std::string>(), {{"errors", refs.errors()}});
    out = co_await repo_.insert(tx, in, by);
    WorkflowRequest none;
    none.id = out->id;
    none.request_type = out->request_type;
    none.status = "";
    co_await record(tx, none, *out, "REQUEST_SUBMITTED", "workflow.submitted", by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return std::move(*out);
}

Task<WorkflowRequest> WorkflowService::approve(const std::string& id, const std::optional<std::string>& note,
                                               const Caller& by) {
  std::optional<WorkflowRequest> out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await locked_visible(tx, id, by);
    if (!may_decide(current.requested_by, by))
      throw Forbidden("four-eyes rule: the requester cannot approve their own request (only a super_admin may)");
    auto next = next_status(current.status, "approve");
    auto payload = current.payload;
    if (note) payload["approvalNote"] = *note;
    std::optional<std::string> approver = by.user_id;
    out = co_await repo_.update_state(tx, id, next, payload, approver);
    co_await record(tx, current, *out, "REQUEST_APPROVED", "workflow.approved", by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return std::move(*out);
}

Task<WorkflowRequest> WorkflowService::reject(const std::string& id, const std::optional<std::string>& reason,
                                              const Caller& by) {
  std::optional<WorkflowRequest> out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await locked_visible(tx, id, by);
    if (!may_decide(current.requested_by, by))
      throw Forbidden("four-eyes rule: the requester cannot reject their own request (cancel it instead)");
    auto next = next_status(current.status, "reject");
    auto payload = current.payload;  // kept as submitted; the reason beside it
    payload["rejectionReason"] = reason ? nlohmann::json(*reason) : nlohmann::json();
    payload["rejectedBy"] = by.user_id;
    std::optional<std::string> keep;
    out = co_await repo_.update_state(tx, id, next, payload, keep);
    co_await record(tx, current, *out, "REQUEST_REJECTED", "workflow.rejected", by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return std::move(*out);
}

Task<WorkflowRequest> WorkflowService::cancel(const std::string& id, const std::optional<std::string>& reason,
                                              const Caller& by) {
  std::optional<WorkflowRequest> out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await locked_visible(tx, id, by);  // a user reaches only their own requests
    // Once approved, a request is in the admins' hands: its requester may withdraw it only while it is
    // submitted. So a requester's cancel racing an approval has exactly one winner (the other gets 409).
    if (!by.at_least(Role::admin) && current.status == "approved")
      throw Conflict("the request is already approved: ask an admin to cancel it",
                     {{"status", current.status}, {"allowed", nlohmann::json::array({"submitted"})}});
    auto next = next_status(current.status, "cancel");
    auto payload = current.payload;
    payload["canceledBy"] = by.user_id;
    if (reason) payload["cancelReason"] = *reason;
    std::optional<std::string> keep;
    out = co_await repo_.update_state(tx, id, next, payload, keep);
    co_await record(tx, current, *out, "REQUEST_CANCELED", "workflow.canceled", by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return std::move(*out);
}

Task<void> WorkflowService::apply_effect(db::Tx& tx, const WorkflowRequest& r, const Caller& by) {
  if (!r.asset_id) throw Conflict("the request's asset no longer exists");
  auto effect = effect_of(r.request_type, r.payload);
  std::string asset_id = *r.asset_id;
  std::optional<std::string> any;
  if (effect.type == "assign") {
    co_await assets_->assign_in(tx, asset_id, effect.assignment, any, by);
  } else if (effect.type == "return") {
    co_await assets_->return_in(tx, asset_id, effect.note, any, by);
  } else if (effect.type == "move") {
    co_await assets_->move_in(tx, asset_id, effect.move, any, by);
  } else {  // repair → in_repair, dispose → disposed, along the asset status table
    co_await assets_->change_status_in(tx, asset_id, effect.status, any, by);
  }
}

Task<WorkflowRequest> WorkflowService::execute(const std::string& id, const Caller& by) {
  std::optional<WorkflowRequest> out;
  bool applying = false;  // set while the effect runs: only its refusals go back to approved with lastError
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await locked_visible(tx, id, by);
    auto running_status = next_status(current.status, "execute");
    std::optional<std::string> keep;
    auto running = co_await repo_.update_state(tx, id, running_status, current.payload, keep);
    applying = true;
    co_await apply_effect(tx, running, by);
    applying = false;
    auto payload = running.payload;
    payload.erase("lastError");
    auto done = next_status(running.status, "complete");
    out = co_await repo_.update_state(tx, id, done, payload, keep);
    co_await record(tx, current, *out, "REQUEST_EXECUTED", "workflow.executed", by);
  };
  std::exception_ptr failure;
  nlohmann::json last_error;
  try {
    co_await ctx_.db.transaction(in_tx);
  } catch (const AppError& e) {
    if (!applying) throw;
    failure = std::current_exception();
    last_error = {{"code", std::string(code_name(e.code()))}, {"status", e.status()}, {"message", e.what()},
                  {"details", e.details()}, {"requestId", by.request_id}};
  }
  if (failure) {
    // The refusal rolled the whole execution back (the request is approved again, the asset untouched);
    // this second transaction keeps why, beside the payload.
    auto record_failure = [&](db::Tx& tx) -> Task<void> {
      auto current = co_await repo_.lock(tx, id);
      if (!current || current->status != "approved") co_return;  // changed meanwhile: nothing to record
      auto back = next_status("in_progress", "fail");
      auto payload = current->payload;
      payload["lastError"] = last_error;
      std::optional<std::string> keep;
      co_await repo_.update_state(tx, id, back, payload, keep);
      std::string resource = "workflow_request:" + id;
      std::string action = "workflow.execute_failed";
      nlohmann::json details = {{"lastError", last_error}};
      co_await audit_->record(tx, by, action, resource, details);
    };
    co_await ctx_.db.transaction(record_failure);
    std::rethrow_exception(failure);
  }
  co_await assets_->changed();
  co_return std::move(*out);
}

}  // namespace netops::workflow
