#pragma once
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/chat/chat_service.hpp"
#include "modules/gateway/gateway_service.hpp"

namespace netops::chat {

// Registers /api/conversations…, POST /api/chat/messages and /api/stats/chat/…. Every turn goes through
// the gateway's orchestrator. Its drain lets streams whose client left and summaries finish (up to 20 s):
// they make usage records, so the app runs it before the gateway's accounting flush.
Module<ChatService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                    std::shared_ptr<gateway::Service> gateway);

}  // namespace netops::chat
