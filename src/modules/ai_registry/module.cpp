// The module's registration: one registry per process, one service per resource, their routes, and seeding.
#include "modules/ai_registry/module.hpp"

#include "modules/ai_registry/model_service.hpp"
#include "modules/ai_registry/provider_service.hpp"
#include "modules/ai_registry/rule_service.hpp"
#include "modules/ai_registry/schemas.hpp"
#include "modules/ai_registry/seed.hpp"
#include "modules/ai_registry/usage_service.hpp"

namespace netops::ai_registry {

Module<RegistryService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit) {
  auto registry = std::make_shared<Registry>(ctx.db, ctx.redis, ctx.config.master_key, ctx.config.redis_url);
  auto hooks = std::make_shared<Hooks>();
  register_provider_routes(ctx, std::make_shared<ProviderService>(ctx, audit, registry, hooks));
  register_model_routes(ctx, std::make_shared<ModelService>(ctx, audit, registry, hooks));
  register_rule_routes(ctx, std::make_shared<RuleService>(ctx, audit, registry));
  register_usage_routes(ctx, std::make_shared<UsageService>(ctx.db));

  Module<RegistryService> m;
  m.service = std::make_shared<RegistryService>(registry, hooks, ProviderRepo(ctx.db, ctx.config.master_key));
  m.background.start.push_back([&ctx, audit]() -> Task<void> { co_await seed_defaults(ctx, *audit, ctx.demo); });
  m.background.run.push_back([registry]() -> Task<void> {  // the invalidation subscriber, once the server runs
    registry->start();
    co_return;
  });
  return m;
}

}  // namespace netops::ai_registry
