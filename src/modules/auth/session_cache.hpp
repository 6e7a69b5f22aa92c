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
//
// In front of Redis, an in-process copy of live keys and sessions (NETOPS_AUTH_CACHE_MAX_AGE_MS, default
// 1000; 0 = none), so a valid credential costs no round trip. Every revocation or change above also
// publishes the key / session on the auth invalidation channel (cache/invalidation_bus.hpp), and every
// instance drops its copy when the message arrives (sub-millisecond on one host; the bound is
// 100 ms). Independently of pub/sub a copy is never served once older than the max age (its age counts
// from before the read that produced it), and while the subscription is down — or after it was lost, until
// it is back — nothing is kept: every lookup reads Redis as before. A read that overlapped a message (the
// bus's generation moved) or a revocation by this process is not kept either, so a copy can never
// resurrect what a concurrent revocation removed.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "cache/invalidation_bus.hpp"
#include "kit/context.hpp"
#include "modules/auth/auth_repo.hpp"

namespace netops::auth {

class SessionCache {
 public:
  // max_age_ms 0: no in-process copies (every lookup asks Redis, as before).
  SessionCache(AppContext& ctx, AuthRepo& repo, int max_age_ms = 0);
  ~SessionCache();
  void start();  // the invalidation subscriber (a thread); only with max_age_ms > 0
  // `received`: when the request that asks arrived (Caller::received); a local copy is served only when
  // no invalidation that reached this host before then is still on its way (InvalidationBus::pending).
  Task<std::optional<SessionState>> session(const std::string& session_id,
                                            std::chrono::steady_clock::time_point received = {});
  Task<void> revoke_sessions(const std::vector<std::string>& session_ids);
  Task<std::optional<ApiKeyState>> api_key(const std::string& key_hash,
                                            std::chrono::steady_clock::time_point received = {});
  Task<void> forget_keys(const std::vector<std::string>& key_hashes);  // re-read from PostgreSQL next time
  Task<void> revoke_key(const std::string& key_hash);
  Task<void> revoke_keys(const std::vector<std::string>& key_hashes);
  // Tombstones written neither at once nor by a retry yet (for tests and /metrics).
  static std::size_t outstanding_tombstones();
  // In-process copies served, and the copies held now (for /metrics and tests).
  static std::int64_t local_hits();
  std::size_t local_entries();

 private:
  Task<void> fill(const std::string& key, const std::string& value, long long ttl_s);
  Task<void> tombstone(const std::string& key, const std::string& value, long long ttl_s);
  // Writes the outstanding tombstones; true when none is left (the cache may be trusted).
  Task<bool> flush_outstanding();
  // The in-process copies.
  template <class T>
  struct Entry {
    T state;
    std::chrono::steady_clock::time_point read_at;  // when the read that produced it began
  };
  struct Local {
    std::mutex mu;
    std::unordered_map<std::string, Entry<ApiKeyState>> keys;      // by key hash
    std::unordered_map<std::string, Entry<SessionState>> sessions;  // by session id
    std::atomic<std::uint64_t> generation{0};                       // moves on every local invalidation
  };
  struct Ticket {  // taken before a read; keep() only if nothing was invalidated meanwhile
    bool usable = false;
    std::uint64_t bus = 0, local = 0;
    std::chrono::steady_clock::time_point at;
  };
  Ticket ticket();
  bool still_valid(const Ticket& t);
  std::optional<ApiKeyState> local_key(const std::string& hash, std::chrono::steady_clock::time_point received);
  std::optional<SessionState> local_session(const std::string& id, std::chrono::steady_clock::time_point received);
  void keep_key(const std::string& hash, const ApiKeyState& s, const Ticket& t);
  void keep_session(const std::string& id, const SessionState& s, const Ticket& t);
  void drop_local(char kind, const std::string& id);  // 'k' key hash, 's' session id
  void on_message(std::string_view m);
  void drop_all();
  Task<void> announce(char kind, const std::string& id);

  AppContext& ctx_;
  AuthRepo& repo_;
  const std::chrono::milliseconds max_age_;
  Local local_;
  std::unique_ptr<cache::InvalidationBus> bus_;
};

}  // namespace netops::auth
