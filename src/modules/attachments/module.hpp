#pragma once
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/attachments/attachment_service.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/ops_events/ops_event_service.hpp"
#include "modules/repair/repair_service.hpp"
#include "modules/warehouse/document_service.hpp"

namespace netops::attachments {

// {base}/{id}/attachments (list, multipart upload, download, delete) for stock documents and repair orders.
Module<AttachmentService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                          std::shared_ptr<ops_events::OpsEventService> ops,
                                          std::shared_ptr<warehouse::DocumentService> documents,
                                          std::shared_ptr<repair::RepairService> repairs);

}  // namespace netops::attachments
