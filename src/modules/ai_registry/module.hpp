#pragma once
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/ai_registry/registry_service.hpp"
#include "modules/audit/audit_service.hpp"

namespace netops::ai_registry {

// Registers /api/providers, /api/models, /api/orchestration, /api/usage/logs and /v1/models, and the
// start-up seeding of default providers (Background.start). The service is what the gateway routes with.
Module<RegistryService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit);

}  // namespace netops::ai_registry
