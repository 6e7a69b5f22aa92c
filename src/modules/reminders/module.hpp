#pragma once
// Reminders: /api/v1/reminders (SPEC §3 "Workflow & maintenance", §4.5), all routes Role::admin; the
// background job (background.run) and its drain.
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "llm/http_client.hpp"
#include "modules/assets/asset_service.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/reminders/reminder_service.hpp"

namespace netops::reminders {

// assets: reminders read the asset register in SQL only (never write it); the argument keeps the module's
// dependencies explicit. http: the outgoing client (egress policy included) for webhook deliveries.
Module<ReminderService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                        std::shared_ptr<assets::AssetService> assets, llm::HttpClient& http);

void register_reminder_routes(AppContext& ctx, std::shared_ptr<ReminderService> svc);

}  // namespace netops::reminders
