#include "modules/auth/key_service.hpp"

#include "core/error.hpp"
#include "core/ids.hpp"

namespace netops::auth {

Task<CreatedKey> KeyService::create(const NewKeyInput& in, const Caller& by) {
  std::string key = "nk_" + random_token(32);
  std::string prefix = key.substr(0, 10);
  std::string hash = sha256_hex(key);
  ApiKey created;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    created = co_await repo_->insert_key(tx, by.user_id, in, hash, prefix);
    std::string action = "apikey.created", resource = "apikey:" + created.id;
    nlohmann::json details = {{"name", in.name}, {"prefix", prefix}};
    co_await audit_->record(tx, by, action, resource, details);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return CreatedKey{std::move(created), std::move(key)};  // the key is shown once, never stored
}

Task<std::vector<ApiKey>> KeyService::list(const Caller& by, bool all) {
  std::optional<std::string> owner;
  if (!(all && by.at_least(Role::admin))) owner = by.user_id;
  co_return co_await repo_->list_keys(owner);
}

Task<void> KeyService::revoke(const std::string& id, const Caller& by) {
  auto key = co_await repo_->find_key(id);
  if (!key || (key->user_id != by.user_id && !by.at_least(Role::admin))) throw NotFound("API key");
  std::optional<std::string> hash;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    hash = co_await repo_->revoke_key(tx, id);
    std::string action = "apikey.revoked", resource = "apikey:" + id;
    nlohmann::json details = {{"owner", key->user_id}};
    co_await audit_->record(tx, by, action, resource, details);
  };
  co_await ctx_.db.transaction(in_tx);
  if (hash) co_await cache_->revoke_key(*hash);
}

}  // namespace netops::auth
