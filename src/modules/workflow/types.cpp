#include "modules/workflow/types.hpp"

#include "modules/workflow/workflow_rules.hpp"

namespace netops::workflow {

namespace {
nlohmann::json opt(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(); }
}  // namespace

nlohmann::json to_json(const WorkflowRequest& r) {
  return {{"id", r.id},
          {"requestType", r.request_type},
          {"assetId", opt(r.asset_id)},
          {"assetCode", opt(r.asset_code)},
          {"assetHostname", opt(r.asset_hostname)},
          {"fromDept", opt(r.from_dept)},
          {"toDept", opt(r.to_dept)},
          {"requestedBy", opt(r.requested_by)},
          {"approvedBy", opt(r.approved_by)},
          {"status", r.status},
          {"payload", r.payload},
          {"allowedActions", allowed_actions(r.status)},
          {"correlationId", opt(r.correlation_id)},
          {"createdAt", r.created_at},
          {"updatedAt", r.updated_at}};
}

WorkflowRequest request_from_row(const db::Row& r) {
  WorkflowRequest w;
  w.id = r.get<std::string>("id");
  w.request_type = r.get<std::string>("request_type");
  w.asset_id = r.opt<std::string>("asset_id");
  w.from_dept = r.opt<std::string>("from_dept");
  w.to_dept = r.opt<std::string>("to_dept");
  w.requested_by = r.opt<std::string>("requested_by");
  w.approved_by = r.opt<std::string>("approved_by");
  w.status = r.get<std::string>("status");
  w.payload = r.get<nlohmann::json>("payload");
  w.correlation_id = r.opt<std::string>("correlation_id");
  w.created_at = r.timestamp("created_at");
  w.updated_at = r.timestamp("updated_at");
  w.asset_code = r.opt<std::string>("asset_code");
  w.asset_hostname = r.opt<std::string>("asset_hostname");
  return w;
}

}  // namespace netops::workflow
