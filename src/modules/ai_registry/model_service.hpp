#pragma once
// Model configurations (SPEC §3): CRUD with validation, If-Match and one audit row per change, the
// model:config:{id} cache, per-model statistics from usage_logs, and the OpenAI model list. A model's
// provider must exist (422) and a model named by a rule cannot be deleted (409); both checks lock the rows
// they read, so concurrent writes cannot leave a dangling reference.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/caller.hpp"
#include "db/page.hpp"
#include "kit/context.hpp"
#include "modules/ai_registry/model_body.hpp"
#include "modules/ai_registry/model_repo.hpp"
#include "modules/ai_registry/provider_repo.hpp"
#include "modules/ai_registry/registry_service.hpp"
#include "modules/ai_registry/usage_repo.hpp"
#include "modules/audit/audit_service.hpp"

namespace netops::ai_registry {

class ModelService {
 public:
  ModelService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit, std::shared_ptr<Registry> registry,
               std::shared_ptr<const Hooks> hooks)
      : ctx_(ctx),
        repo_(ctx.db),
        providers_(ctx.db, ctx.config.master_key),
        usage_(ctx.db),
        audit_(std::move(audit)),
        registry_(std::move(registry)),
        hooks_(std::move(hooks)) {}

  Task<db::Page<ModelConfig>> list(const ModelFilter& f, const db::PageRequest& p, const db::Sort& s);
  // Cache-aside through model:config:{id} (5 min), written only if registry:version did not move meanwhile.
  Task<ModelConfig> get(const std::string& id);
  Task<ModelConfig> create(const ModelInput& in, const Caller& by);
  Task<ModelConfig> update(const std::string& id, const ModelInput& in,
                           const std::optional<std::string>& expected_etag, const Caller& by);
  // 409 naming the orchestration rules whose modelSequence still names the model.
  Task<void> remove(const std::string& id, const std::optional<std::string>& expected_etag, const Caller& by);
  Task<ModelPerformance> performance(const std::string& id, int days);
  Task<ModelHistory> history(const std::string& id, int days);
  // GET /v1/models: the usable models of the registry snapshot, by id.
  Task<std::vector<ModelConfig>> usable();
  // GET /v1/models/{id}: that model when it is usable (nullopt otherwise), looked up in the snapshot.
  Task<std::optional<ModelConfig>> usable(const std::string& id);
  // The gateway's circuit-breaker state of a model (nullopt without a breaker hook).
  std::optional<nlohmann::json> circuit_breaker(const std::string& id) const;

 private:
  Task<std::optional<ModelConfig>> lock_or_404(db::Tx& tx, const std::string& id);  // "model <id> not found"
  Task<void> require_provider(db::Tx& tx, const std::string& provider_id);       // 422, FOR SHARE

  AppContext& ctx_;
  ModelRepo repo_;
  ProviderRepo providers_;  // FOR SHARE on a model's provider (this module's own table)
  UsageRepo usage_;
  std::shared_ptr<audit::AuditService> audit_;
  std::shared_ptr<Registry> registry_;
  std::shared_ptr<const Hooks> hooks_;
};

}  // namespace netops::ai_registry
