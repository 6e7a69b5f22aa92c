#pragma once
// session:{id} and apikey:{hash} in Redis, in front of PostgreSQL. Populated with SET NX and changed only
// with a plain SET of a tombstone (never DEL), so a slow reader can never put back an entry that was
// just revoked or changed:
//   {"revoked":true}   the session / key is gone: refused without asking PostgreSQL
//   {"stale":true}     the owner's role, tier or status changed: read PostgreSQL, do not cache
//   {"unknown":true}   no such API key (negative cache, 60 s; also a bounded in-process set), so random
//                      nk_… guesses cost no PostgreSQL query
// A tombstone that cannot be written (Redis down or slow) is retried, then kept in a process-wide list
// and written again before the next lookup; while any is outstanding this process trusts no cached
// entry and reads PostgreSQL, so a Redis blip cannot undo a revocation.
// When Redis is down every lookup goes to PostgreSQL.
#include <optional>
#include <string>
#include <vector>

#include "kit/context.hpp"
#include "modules/auth/auth_repo.hpp"

namespace netops::auth {

class SessionCache {
 public:
  SessionCache(AppContext& ctx, AuthRepo& repo) : ctx_(ctx), repo_(repo) {}
  Task<std::optional<SessionState>> session(const std::string& session_id);
  Task<void> revoke_sessions(const std::vector<std::string>& session_ids);
  Task<std::optional<ApiKeyState>> api_key(const std::string& key_hash);
  Task<void> forget_keys(const std::vector<std::string>& key_hashes);  // re-read from PostgreSQL next time
  Task<void> revoke_key(const std::string& key_hash);
  Task<void> revoke_keys(const std::vector<std::string>& key_hashes);
  // Tombstones written neither at once nor by a retry yet (for tests and /metrics).
  static std::size_t outstanding_tombstones();

 private:
  Task<void> fill(const std::string& key, const std::string& value, long long ttl_s);
  Task<void> tombstone(const std::string& key, const std::string& value, long long ttl_s);
  // Writes the outstanding tombstones; true when none is left (the cache may be trusted).
  Task<bool> flush_outstanding();
  AppContext& ctx_;
  AuthRepo& repo_;
};

}  // namespace netops::auth
