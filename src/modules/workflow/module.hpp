#pragma once
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/assets/asset_service.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/workflow/workflow_service.hpp"

namespace netops::workflow {

// /api/v1/workflows: submit, list, get, /approve, /reject, /cancel, /execute.
Module<WorkflowService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                        std::shared_ptr<assets::AssetService> assets);

// The body of POST /api/v1/workflows → NewRequest (400 naming every field at once): also used by the
// submit_workflow_request tool, so both check a request exactly alike.
NewRequest parse_new_request(const nlohmann::json& body);

}  // namespace netops::workflow
