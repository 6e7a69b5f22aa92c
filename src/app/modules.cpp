#include "app/modules.hpp"

#include "app/system_routes.hpp"
#include "modules/assets/module.hpp"
#include "modules/audit/module.hpp"
#include "modules/auth/module.hpp"
#include "modules/catalog/module.hpp"
#include "modules/chat/module.hpp"
#include "modules/gateway/module.hpp"
#include "modules/health/module.hpp"
#include "modules/models/module.hpp"
#include "modules/models/service.hpp"
#include "modules/users/module.hpp"

namespace netops {

void register_modules(AppContext& ctx, llm::HttpClient& llm, Background& background) {
  health::register_routes(ctx);
  auto audit = audit::register_module(ctx);
  auto users = users::register_module(ctx, audit.service);
  auto auth = auth::register_module(ctx, users.service);
  for (auto* m : {&audit.background, &users.background, &auth.background})
    for (auto& job : m->start) background.start.push_back(job);
  auto model_module = models::register_routes(ctx);
  background.start.push_back([&ctx] { return models::seed_defaults(ctx, ctx.demo); });
  auto gateway = gateway::register_routes(ctx, model_module, llm);
  auto chat = chat::register_routes(ctx, gateway);
  background.run.push_back([svc = gateway.service] { return svc->accounting().run(); });
  // Chat's background work (summaries, streams whose client left) makes usage records: drained first.
  background.drain.push_back([svc = chat.service] { return svc->tasks().drain(std::chrono::seconds(20)); });
  background.drain.push_back([svc = gateway.service] { return svc->accounting().flush(); });
  auto catalog = catalog::register_module(ctx, audit.service);
  auto assets = assets::register_module(ctx, audit.service);
  background.drain.insert(background.drain.begin(), assets.background.drain.begin(), assets.background.drain.end());
  register_system_routes(ctx);  // last: /docs/json documents every route registered above
}

}  // namespace netops
