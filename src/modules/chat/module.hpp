#pragma once
#include <memory>

#include "kit/context.hpp"
#include "modules/chat/service.hpp"
#include "modules/gateway/module.hpp"

namespace netops::chat {

struct Module {
  std::shared_ptr<ChatService> service;  // the app drains its background work (summaries) on shutdown
};

// Registers /api/conversations…, POST /api/chat/messages and /api/stats/chat/…. Call after
// gateway::register_routes: every turn goes through the gateway's orchestrator.
Module register_routes(AppContext& ctx, gateway::Module& gateway);

}  // namespace netops::chat
