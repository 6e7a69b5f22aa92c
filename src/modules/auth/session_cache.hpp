#pragma once
// session:{id} and apikey:{hash} in Redis, in front of PostgreSQL. Populated with SET NX and revoked with a
// plain SET of a tombstone, so a slow reader can never put back a session that was just revoked.
// When Redis is down every lookup goes to PostgreSQL.
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "modules/auth/repo.hpp"

namespace netops::auth {

class SessionCache {
 public:
  SessionCache(AppContext& ctx, AuthRepo& repo) : ctx_(ctx), repo_(repo) {}
  Task<std::optional<SessionState>> session(const std::string& session_id);
  Task<void> revoke_sessions(const std::vector<std::string>& session_ids);
  Task<std::optional<ApiKeyState>> api_key(const std::string& key_hash);
  Task<void> forget_keys(const std::vector<std::string>& key_hashes);  // re-read from PostgreSQL next time
  Task<void> revoke_key(const std::string& key_hash);

 private:
  Task<void> set(const std::string& key, const std::string& value, long long ttl_s, bool only_if_absent);
  AppContext& ctx_;
  AuthRepo& repo_;
};

}  // namespace netops::auth
