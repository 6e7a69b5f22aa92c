#pragma once
// Models, providers and orchestration rules (SPEC §3, §4.2): CRUD with validation, If-Match, audit rows in
// the same transaction, and after every committed write a registry change (registry:version bump, cache
// invalidation) so the gateway on every instance routes with the new configuration within about a second.
// Provider API keys are sealed (core/secretbox) before they reach SQL and never leave as anything but a hint.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "kit/context.hpp"
#include "http/listing.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/models/registry.hpp"
#include "modules/models/repo.hpp"
#include "modules/models/validate.hpp"

namespace netops::models {

// Checks a provider's reachability with its decrypted key; the answer is returned as the /health body.
// Must not put the key into its result, its exceptions or the log.
using ProbeHook = std::function<Task<nlohmann::json>(const Provider&, const std::string& decrypted_key)>;
// The circuit-breaker state of a model, shown by GET /api/models/{id}.
using BreakerHook = std::function<nlohmann::json(const std::string& model_id)>;

struct Hooks {
  ProbeHook probe;                // unset: /api/providers/{id}/health answers 501
  BreakerHook circuit_breaker;    // unset: no circuitBreaker field
};

// Runs inside the write transaction with the locked current representation (If-Match → 412).
using Check = std::function<void(const nlohmann::json&)>;

class ModelsService {
 public:
  ModelsService(AppContext& ctx, std::shared_ptr<Registry> registry, std::shared_ptr<const Hooks> hooks)
      : ctx_(ctx),
        providers_(ctx.db, ctx.config.master_key),
        models_(ctx.db),
        rules_(ctx.db),
        usage_(ctx.db),
        audit_(ctx.db),
        registry_(std::move(registry)),
        hooks_(std::move(hooks)) {}

  Task<std::pair<nlohmann::json, long long>> list_providers(const ProviderFilter& f, const http::Paging& p,
                                                            const http::Sort& s);
  Task<nlohmann::json> get_provider(const std::string& id);
  Task<nlohmann::json> create_provider(const nlohmann::json& body, const http::Actor& by, const std::string& request_id);
  Task<nlohmann::json> update_provider(const std::string& id, const nlohmann::json& body, const http::Actor& by,
                                       const std::string& request_id, Check check);
  // 409 naming the models that still use the provider.
  Task<void> delete_provider(const std::string& id, const http::Actor& by, const std::string& request_id, Check check);
  Task<nlohmann::json> provider_health(const std::string& id);
  Task<nlohmann::json> provider_credits(const std::string& id);  // cached provider:credits:{id}, 1 min

  Task<std::pair<nlohmann::json, long long>> list_models(const ModelFilter& f, const http::Paging& p,
                                                         const http::Sort& s);
  // Cache-aside through model:config:{id} (5 min), written only if registry:version did not move meanwhile.
  Task<nlohmann::json> get_model(const std::string& id);
  Task<nlohmann::json> create_model(const nlohmann::json& body, const http::Actor& by, const std::string& request_id);
  Task<nlohmann::json> update_model(const std::string& id, const nlohmann::json& body, const http::Actor& by,
                                    const std::string& request_id, Check check);
  // 409 naming the orchestration rules whose modelSequence still names the model.
  Task<void> delete_model(const std::string& id, const http::Actor& by, const std::string& request_id, Check check);
  Task<nlohmann::json> model_performance(const std::string& id, int days);
  Task<nlohmann::json> model_history(const std::string& id, int days);
  Task<nlohmann::json> openai_models();  // GET /v1/models, from the registry snapshot

  Task<std::pair<nlohmann::json, long long>> list_rules(const RuleFilter& f, const http::Paging& p, const http::Sort& s);
  Task<nlohmann::json> get_rule(const std::string& id);
  Task<nlohmann::json> create_rule(const nlohmann::json& body, const http::Actor& by, const std::string& request_id);
  Task<nlohmann::json> update_rule(const std::string& id, const nlohmann::json& body, const http::Actor& by,
                                   const std::string& request_id, Check check);
  Task<void> delete_rule(const std::string& id, const http::Actor& by, const std::string& request_id, Check check);

  Task<std::pair<nlohmann::json, long long>> usage_logs(const UsageFilter& f, const http::Paging& p);

  const Hooks& hooks() const { return *hooks_; }

 private:
  Task<void> require_models(db::Tx& tx, const Rule& r);  // 422 naming unknown ids in modelSequence
  void seal_key(Provider& p, const KeyChange& key) const;

  AppContext& ctx_;
  ProviderRepo providers_;
  ModelRepo models_;
  RuleRepo rules_;
  UsageRepo usage_;
  audit::AuditService audit_;
  std::shared_ptr<Registry> registry_;
  std::shared_ptr<const Hooks> hooks_;
};

// Start-up seeding (idempotent, safe with several instances): providers for OPENAI_API_KEY,
// ANTHROPIC_API_KEY and OPENROUTER_API_KEY with a few default models when the provider row does not exist
// yet; with demo and NETOPS_DEMO_MOCK_URL, the `mock` provider (upserted: its port changes per run) with
// mock/echo and mock/echo-large.
Task<void> seed_defaults(AppContext& ctx, bool demo);

}  // namespace netops::models
