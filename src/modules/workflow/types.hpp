#pragma once
// Workflow requests (SPEC §3 "Workflow & maintenance", §4.5); to_json is the API representation.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/query.hpp"

namespace netops::workflow {

struct WorkflowRequest {
  std::string id, request_type;
  std::optional<std::string> asset_id, from_dept, to_dept, requested_by, approved_by;
  std::string status;
  nlohmann::json payload = nlohmann::json::object();
  std::optional<std::string> correlation_id;
  nlohmann::json created_at, updated_at;
  std::optional<std::string> asset_code, asset_hostname;  // the asset's current code and hostname (read, not stored)
};
nlohmann::json to_json(const WorkflowRequest& r);
// Also valid after INSERT/UPDATE … RETURNING: the asset's code and name by primary key, per returned row.
inline constexpr const char* kRequestColumns =
    "id, request_type, asset_id, from_dept, to_dept, requested_by, approved_by, status, payload, correlation_id, "
    "created_at, updated_at, "
    "(SELECT a.asset_code FROM assets a WHERE a.id = workflow_requests.asset_id) AS asset_code, "
    "(SELECT a.hostname FROM assets a WHERE a.id = workflow_requests.asset_id) AS asset_hostname";
WorkflowRequest request_from_row(const db::Row& r);

struct NewRequest {
  std::string request_type, asset_id;
  std::optional<std::string> from_dept, to_dept;
  nlohmann::json payload = nlohmann::json::object();  // validated and normalised (workflow_rules.hpp)
};

struct RequestFilter {
  std::optional<std::string> status, request_type, asset_id, requested_by;
};

}  // namespace netops::workflow
