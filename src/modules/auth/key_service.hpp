#pragma once
// API keys (SPEC §2): nk_… keys with scopes and an optional expiry; only their hash is stored, the key is
// shown once. Owners create, list and revoke their own; admins list and revoke anyone's.
#include <memory>
#include <string>
#include <vector>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/auth/auth_repo.hpp"
#include "modules/auth/session_cache.hpp"
#include "modules/auth/types.hpp"

namespace netops::auth {

class KeyService {
 public:
  KeyService(AppContext& ctx, std::shared_ptr<AuthRepo> repo, std::shared_ptr<SessionCache> cache,
             std::shared_ptr<audit::AuditService> audit)
      : ctx_(ctx), repo_(std::move(repo)), cache_(std::move(cache)), audit_(std::move(audit)) {}

  Task<CreatedKey> create(const NewKeyInput& in, const Caller& by);
  // The caller's keys; every user's when all and the caller is an admin.
  Task<std::vector<ApiKey>> list(const Caller& by, bool all);
  // Own keys; admins: any (another user's key is 404 to a user).
  Task<void> revoke(const std::string& id, const Caller& by);

 private:
  AppContext& ctx_;
  std::shared_ptr<AuthRepo> repo_;
  std::shared_ptr<SessionCache> cache_;
  std::shared_ptr<audit::AuditService> audit_;
};

}  // namespace netops::auth
