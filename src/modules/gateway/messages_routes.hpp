#pragma once
// The Anthropic Messages API in front of the same orchestrator: POST /v1/messages and
// POST /v1/messages/count_tokens (README "Anthropic Messages API").
#include <memory>

#include "kit/context.hpp"
#include "modules/gateway/gateway_service.hpp"
#include "modules/gateway/response_cache.hpp"

namespace netops::gateway {

void register_messages_routes(AppContext& ctx, std::shared_ptr<Service> svc, std::shared_ptr<ResponseCache> cache);

}  // namespace netops::gateway
