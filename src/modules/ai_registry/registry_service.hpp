#pragma once
// What other modules get from ai_registry (Module<RegistryService>): the routing snapshot the gateway reads
// on every completion, the provider counters its accounting adds to (ai_providers is this module's table),
// and the two hooks through which the gateway reports back into this module's routes.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "core/task.hpp"
#include "modules/ai_registry/provider_repo.hpp"
#include "modules/ai_registry/registry.hpp"

namespace netops::ai_registry {

// Checks a provider's reachability with its decrypted key; the answer is returned as the /health body.
// Must not put the key into its result, its exceptions or the log.
using ProbeHook = std::function<Task<nlohmann::json>(const Provider&, const std::string& decrypted_key)>;
// The circuit-breaker state of a model, shown by GET /api/models/{id}.
using BreakerHook = std::function<nlohmann::json(const std::string& model_id)>;

struct Hooks {
  ProbeHook probe;              // unset: /api/providers/{id}/health answers 501
  BreakerHook circuit_breaker;  // unset: no circuitBreaker field
};

class RegistryService {
 public:
  RegistryService(std::shared_ptr<Registry> registry, std::shared_ptr<Hooks> hooks, ProviderRepo providers)
      : registry_(std::move(registry)), hooks_(std::move(hooks)), providers_(std::move(providers)) {}

  // The current snapshot (registry.hpp): models, providers (keys decrypted), enabled rules, usable by tier.
  Task<std::shared_ptr<const Snapshot>> snapshot() { co_return co_await registry_->snapshot(); }
  const std::shared_ptr<Registry>& registry() const { return registry_; }

  // Inside the caller's transaction (the gateway writes a batch's usage rows and these counters atomically).
  // Not announced to the registry: counters are not routing configuration.
  Task<void> add_provider_usage(db::Tx& tx, const std::vector<ProviderUsage>& usage) {
    co_await providers_.add_usage(tx, usage);
  }

  // Setters, not register_module arguments: the gateway that implements them registers after this module
  // and needs its snapshot. Call them while registering (before the server runs), never while serving.
  void set_probe(ProbeHook h) { hooks_->probe = std::move(h); }
  void set_circuit_breaker(BreakerHook h) { hooks_->circuit_breaker = std::move(h); }

 private:
  std::shared_ptr<Registry> registry_;
  std::shared_ptr<Hooks> hooks_;
  ProviderRepo providers_;
};

}  // namespace netops::ai_registry
