#pragma once
#include <memory>

#include "kit/context.hpp"
#include "llm/http_client.hpp"
#include "modules/gateway/service.hpp"
#include "modules/ai_registry/module.hpp"

namespace netops::gateway {

struct Module {
  std::shared_ptr<Service> service;  // for other modules (chat) and the app (accounting flusher, flush on exit)
};

// Registers POST /v1/chat/completions and POST /api/completions, and gives the ai_registry module the
// circuit-breaker view (GET /api/models/{id}) and the provider probe (GET /api/providers/{id}/health).
// Call after ai_registry::register_routes and before the server runs. The app must spawn
// service->accounting().run() on a worker and await service->accounting().flush() on shutdown.
Module register_routes(AppContext& ctx, ai_registry::RegistryService& registry, llm::HttpClient& client);

}  // namespace netops::gateway
