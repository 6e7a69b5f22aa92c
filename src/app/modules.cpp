#include "app/modules.hpp"

#include "app/system_routes.hpp"
#include "app/console.hpp"
#include "modules/ai_registry/module.hpp"
#include "modules/assets/module.hpp"
#include "modules/audit/module.hpp"
#include "modules/auth/module.hpp"
#include "modules/catalog/module.hpp"
#include "modules/chat/module.hpp"
#include "modules/cmdb/module.hpp"
#include "modules/gateway/module.hpp"
#include "modules/health/module.hpp"
#include "modules/inventory/module.hpp"
#include "modules/maintenance/ticket_module.hpp"
#include "modules/mcp/module.hpp"
#include "modules/ops_events/module.hpp"
#include "modules/reminders/module.hpp"
#include "modules/tools/module.hpp"
#include "modules/users/module.hpp"
#include "modules/workflow/module.hpp"
#include "modules/warehouse/module.hpp"
#include "modules/repair/module.hpp"
#include "modules/attachments/module.hpp"
#include "modules/partitions/module.hpp"

namespace netops {

void register_modules(AppContext& ctx, llm::HttpClient& llm, Background& background) {
  // A module's jobs join the server's in the order adopted: start jobs run in that order after migrations,
  // drains run in that order on shutdown.
  auto adopt = [&background](const Background& b) {
    background.start.insert(background.start.end(), b.start.begin(), b.start.end());
    background.run.insert(background.run.end(), b.run.begin(), b.run.end());
    background.drain.insert(background.drain.end(), b.drain.begin(), b.drain.end());
  };
  health::register_module(ctx);
  auto audit = audit::register_module(ctx);
  auto users = users::register_module(ctx, audit.service);
  auto auth = auth::register_module(ctx, audit.service, users.service);
  auto registry = ai_registry::register_module(ctx, audit.service);
  auto gateway = gateway::register_module(ctx, registry.service, llm);
  auto chat = chat::register_module(ctx, audit.service, gateway.service);
  auto catalog = catalog::register_module(ctx, audit.service);
  auto assets = assets::register_module(ctx, audit.service);
  auto ops = ops_events::register_module(ctx);
  auto inventory = inventory::register_module(ctx, audit.service, assets.service);
  auto workflow = workflow::register_module(ctx, audit.service, assets.service);
  auto cmdb = cmdb::register_module(ctx, audit.service, ops.service);
  auto warehouse = warehouse::register_module(ctx, audit.service, ops.service);
  auto repair = repair::register_module(ctx, audit.service, ops.service, assets.service, warehouse.service);
  attachments::register_module(ctx, audit.service, ops.service, warehouse.service, repair.service);
  for (auto* m : {&audit.background, &users.background, &auth.background, &registry.background,
                  &catalog.background, &assets.background})
    adopt(*m);
  adopt(cmdb.background);
  // Chat's background work (summaries, streams whose client left) makes usage records: drained before the
  // gateway's accounting flush.
  adopt(chat.background);
  adopt(gateway.background);
  auto tickets = maintenance::register_module(ctx, audit.service, assets.service);
  auto reminder_jobs = reminders::register_module(ctx, audit.service, assets.service, llm);
  adopt(tickets.background);
  adopt(reminder_jobs.background);
  // The tool registry calls other modules' services; chat's tool loop and the MCP server run its tools.
  auto toolset = tools::register_module(ctx, tools::ToolDeps{.assets = assets.service,
                                                           .locations = catalog.service->locations,
                                                           .chat = chat.service,
                                                           .audit = audit.service,
                                                           .tickets = tickets.service,
                                                           .cis = cmdb.service->cis,
                                                           .graph = cmdb.service->graph,
                                                           .services = cmdb.service->services,
                                                           .stock = std::make_shared<warehouse::StockRepo>(ctx.db),
                                                           .stock_documents = warehouse.service,
                                                           .repairs = repair.service,
                                                           .workflows = workflow.service});
  chat.service->use_tools(toolset.service);
  mcp::register_module(ctx, toolset.service);
  // Monthly partitions of usage_logs and audit_logs: created ahead, dropped past retention (daily job).
  auto partition_jobs = partitions::register_module(ctx);
  adopt(partition_jobs.background);
  register_console(ctx);  // the web console's files: answers what no route matches (GET /, client routes)
  register_system_routes(ctx);  // last: /docs/json documents every route registered above
}

}  // namespace netops
