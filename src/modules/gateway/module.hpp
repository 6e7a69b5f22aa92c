#pragma once
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "llm/http_client.hpp"
#include "modules/ai_registry/registry_service.hpp"
#include "modules/gateway/gateway_service.hpp"

namespace netops::gateway {

// Registers POST /v1/chat/completions and POST /api/completions, and gives ai_registry the circuit-breaker
// view (GET /api/models/{id}) and the provider probe (GET /api/providers/{id}/health). Call after
// ai_registry::register_module and before the server runs. The service is for other modules (chat); the
// background jobs are the accounting flusher (run) and its final flush (drain).
netops::Module<Service> register_module(AppContext& ctx, std::shared_ptr<ai_registry::RegistryService> registry,
                                        llm::HttpClient& client);


}  // namespace netops::gateway
