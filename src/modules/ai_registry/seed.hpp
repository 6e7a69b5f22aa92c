#pragma once
// Start-up seeding, a Background.start job of this module (idempotent, safe with several instances):
// providers for OPENAI_API_KEY, ANTHROPIC_API_KEY and OPENROUTER_API_KEY with a few default models when
// the provider row does not exist yet; with demo and NETOPS_DEMO_MOCK_URL, the `mock` provider (upserted:
// its port changes per run) with mock/echo and mock/echo-large. One audit row per seeded provider.
#include "kit/context.hpp"
#include "modules/audit/audit_service.hpp"

namespace netops::ai_registry {

Task<void> seed_defaults(AppContext& ctx, audit::AuditService& audit, bool demo);

}  // namespace netops::ai_registry
