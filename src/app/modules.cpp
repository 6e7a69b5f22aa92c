#include "app/modules.hpp"

#include "app/system_routes.hpp"
#include "modules/ai_registry/module.hpp"
#include "modules/assets/module.hpp"
#include "modules/audit/module.hpp"
#include "modules/auth/module.hpp"
#include "modules/catalog/module.hpp"
#include "modules/chat/module.hpp"
#include "modules/gateway/module.hpp"
#include "modules/health/module.hpp"
#include "modules/users/module.hpp"

namespace netops {

void register_modules(AppContext& ctx, llm::HttpClient& llm, Background& background) {
  health::register_routes(ctx);
  auto audit = audit::register_module(ctx);
  auto users = users::register_module(ctx, audit.service);
  auto auth = auth::register_module(ctx, users.service);
  for (auto* m : {&audit.background, &users.background, &auth.background})
    for (auto& job : m->start) background.start.push_back(job);
  auto registry = ai_registry::register_module(ctx, audit.service);
  for (auto& job : registry.background.start) background.start.push_back(job);
  auto gateway = gateway::register_module(ctx, registry.service, llm);
  auto chat = chat::register_routes(ctx, gateway);
  for (auto& job : gateway.background.run) background.run.push_back(job);
  // Chat's background work (summaries, streams whose client left) makes usage records: drained before the
  // gateway's accounting flush.
  background.drain.push_back([svc = chat.service] { return svc->tasks().drain(std::chrono::seconds(20)); });
  for (auto& job : gateway.background.drain) background.drain.push_back(job);
  catalog::register_routes(ctx);
  auto assets = assets::register_routes(ctx);
  background.drain.insert(background.drain.begin(), assets.drain);
  register_system_routes(ctx);  // last: /docs/json documents every route registered above
}

}  // namespace netops
