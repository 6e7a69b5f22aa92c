#pragma once
// AI providers (SPEC §3): CRUD with validation, If-Match, one audit row per change, the API key sealed
// (core/secretbox) before it reaches SQL and never shown but as a hint; after every committed write the
// registry announces the change (registry:version) so every instance routes with it within about a second.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "db/page.hpp"
#include "kit/context.hpp"
#include "modules/ai_registry/provider_body.hpp"
#include "modules/ai_registry/provider_repo.hpp"
#include "modules/ai_registry/registry_service.hpp"
#include "modules/audit/audit_service.hpp"

namespace netops::ai_registry {

class ProviderService {
 public:
  ProviderService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit, std::shared_ptr<Registry> registry,
                  std::shared_ptr<const Hooks> hooks)
      : ctx_(ctx),
        repo_(ctx.db, ctx.config.master_key),
        audit_(std::move(audit)),
        registry_(std::move(registry)),
        hooks_(std::move(hooks)) {}

  Task<db::Page<Provider>> list(const ProviderFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<Provider> get(const std::string& id);
  Task<Provider> create(const ProviderInput& in, const Caller& by);
  // Moving apiEndpoint to another origin needs the key again (400), so a stored key is never sent elsewhere.
  Task<Provider> update(const std::string& id, const ProviderInput& in, const std::optional<std::string>& expected_etag,
                        const Caller& by);
  // 409 naming the models that still use the provider.
  Task<void> remove(const std::string& id, const std::optional<std::string>& expected_etag, const Caller& by);
  // The gateway's probe with the stored key: {providerId, status, …probe result}; 501 without a probe.
  Task<nlohmann::json> health(const std::string& id);
  Task<ProviderCredits> credits(const std::string& id);  // cached provider:credits:{id}, 1 min

 private:
  Task<std::optional<Provider>> lock_or_404(db::Tx& tx, const std::string& id);  // "provider <id> not found"
  void seal_key(Provider& p, const KeyChange& key) const;

  AppContext& ctx_;
  ProviderRepo repo_;
  std::shared_ptr<audit::AuditService> audit_;
  std::shared_ptr<Registry> registry_;
  std::shared_ptr<const Hooks> hooks_;
};

}  // namespace netops::ai_registry
