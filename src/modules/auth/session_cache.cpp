#include "modules/auth/session_cache.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <mutex>
#include <unordered_map>

namespace netops::auth {

namespace {
constexpr long long kSessionTtl = 24 * 3600;  // data model: session:{…} 24 h
constexpr long long kKeyTtl = 300;
constexpr long long kUnknownKeyTtl = 60;
constexpr int kFormat = 2;  // entries without "v" (older builds) are read as a miss
constexpr std::size_t kLocalUnknownMax = 10000;

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

nlohmann::json to_json(const SessionState& s) {
  return {{"v", kFormat},         {"sid", s.session_id},   {"uid", s.user_id},
          {"role", s.role},       {"tier", s.tier},        {"revoked", s.revoked},
          {"active", s.user_active}, {"rexp", s.refresh_expires_at}};
}
SessionState session_from(const nlohmann::json& j) {
  return {j.value("sid", ""),      j.value("uid", ""),        j.value("role", "user"), j.value("tier", "free"),
          j.value("revoked", true), j.value("active", false), j.value("rexp", std::int64_t{0})};
}
nlohmann::json to_json(const ApiKeyState& k) {
  return {{"v", kFormat},         {"id", k.id},     {"uid", k.user_id},         {"role", k.role},
          {"tier", k.tier},       {"revoked", k.revoked}, {"active", k.user_active}, {"exp", k.expires_at},
          {"scopes", k.scopes}};
}
ApiKeyState key_from(const nlohmann::json& j) {
  ApiKeyState k{j.value("id", ""),        j.value("uid", ""),        j.value("role", "user"), j.value("tier", "free"),
                j.value("revoked", true), j.value("active", false), j.value("exp", std::int64_t{0}), {}};
  if (auto it = j.find("scopes"); it != j.end() && it->is_array())
    for (auto& s : *it)
      if (s.is_string()) k.scopes.push_back(s.get<std::string>());
  return k;
}
const std::string& revoked_tombstone() {
  static const std::string t = nlohmann::json{{"v", kFormat}, {"revoked", true}}.dump();
  return t;
}
const std::string& stale_tombstone() {
  static const std::string t = nlohmann::json{{"v", kFormat}, {"stale", true}}.dump();
  return t;
}

const std::string& unknown_marker() {
  static const std::string t = nlohmann::json{{"v", kFormat}, {"unknown", true}}.dump();
  return t;
}

enum class Cached { miss, entry, revoked, stale, unknown };
Cached kind(const std::optional<nlohmann::json>& j) {
  if (!j || !j->is_object() || j->value("v", 0) != kFormat) return Cached::miss;
  if (j->value("stale", false)) return Cached::stale;
  if (j->value("unknown", false)) return Cached::unknown;
  if (!j->contains("sid") && !j->contains("id") && j->value("revoked", false)) return Cached::revoked;
  return Cached::entry;
}

// Process-wide: tombstones still to write, and recently seen unknown API keys.
struct Shared {
  std::mutex mu;
  std::unordered_map<std::string, std::pair<std::string, long long>> outstanding;  // key → (value, ttl)
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> unknown;
  std::deque<std::string> unknown_order;  // oldest first: evicted beyond kLocalUnknownMax
};
Shared& shared() {
  static Shared s;
  return s;
}

bool locally_unknown(const std::string& hash) {
  auto& s = shared();
  std::lock_guard lk(s.mu);
  auto it = s.unknown.find(hash);
  if (it == s.unknown.end()) return false;
  if (it->second < std::chrono::steady_clock::now()) return false;
  return true;
}
void remember_unknown(const std::string& hash) {
  auto& s = shared();
  std::lock_guard lk(s.mu);
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(kUnknownKeyTtl);
  auto [it, fresh] = s.unknown.insert_or_assign(hash, until);
  if (!fresh) return;
  s.unknown_order.push_back(hash);
  while (s.unknown_order.size() > kLocalUnknownMax) {
    s.unknown.erase(s.unknown_order.front());
    s.unknown_order.pop_front();
  }
}
}  // namespace

namespace {
std::atomic<std::int64_t> g_local_hits{0};
constexpr std::size_t kLocalMax = 100000;  // copies per kind; beyond, the map is emptied (bounded memory)
}  // namespace

SessionCache::SessionCache(AppContext& ctx, AuthRepo& repo, int max_age_ms)
    : ctx_(ctx), repo_(repo), max_age_(std::max(0, max_age_ms)) {
  if (max_age_.count() > 0)
    bus_ = std::make_unique<cache::InvalidationBus>(
        ctx_.config.redis_url, "netops:auth:invalidate", [this](std::string_view m) { on_message(m); },
        [this] { drop_all(); });
}

SessionCache::~SessionCache() {
  if (bus_) bus_->stop();
}

void SessionCache::start() {
  if (bus_) bus_->start();
}

std::int64_t SessionCache::local_hits() { return g_local_hits.load(std::memory_order_relaxed); }

std::size_t SessionCache::local_entries() {
  std::lock_guard lk(local_.mu);
  return local_.keys.size() + local_.sessions.size();
}

SessionCache::Ticket SessionCache::ticket() {
  Ticket t;
  if (!bus_ || !bus_->live()) return t;
  t.usable = true;
  t.bus = bus_->generation();
  t.local = local_.generation.load(std::memory_order_acquire);
  t.at = std::chrono::steady_clock::now();
  return t;
}

bool SessionCache::still_valid(const Ticket& t) {
  return t.usable && bus_->live() && bus_->generation() == t.bus &&
         local_.generation.load(std::memory_order_acquire) == t.local && outstanding_tombstones() == 0;
}

std::optional<ApiKeyState> SessionCache::local_key(const std::string& hash,
                                                   std::chrono::steady_clock::time_point received) {
  if (!bus_ || !bus_->live() || bus_->pending(received)) return std::nullopt;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lk(local_.mu);
  auto it = local_.keys.find(hash);
  if (it == local_.keys.end()) return std::nullopt;
  if (now - it->second.read_at >= max_age_) {
    local_.keys.erase(it);
    return std::nullopt;
  }
  g_local_hits.fetch_add(1, std::memory_order_relaxed);
  return it->second.state;
}

std::optional<SessionState> SessionCache::local_session(const std::string& id,
                                                        std::chrono::steady_clock::time_point received) {
  if (!bus_ || !bus_->live() || bus_->pending(received)) return std::nullopt;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lk(local_.mu);
  auto it = local_.sessions.find(id);
  if (it == local_.sessions.end()) return std::nullopt;
  if (now - it->second.read_at >= max_age_) {
    local_.sessions.erase(it);
    return std::nullopt;
  }
  g_local_hits.fetch_add(1, std::memory_order_relaxed);
  return it->second.state;
}

void SessionCache::keep_key(const std::string& hash, const ApiKeyState& s, const Ticket& t) {
  if (s.revoked || !s.user_active) return;
  std::lock_guard lk(local_.mu);  // checked under the lock: drop_local takes it too
  if (!still_valid(t)) return;
  if (local_.keys.size() >= kLocalMax) local_.keys.clear();
  local_.keys.insert_or_assign(hash, Entry<ApiKeyState>{s, t.at});
}

void SessionCache::keep_session(const std::string& id, const SessionState& s, const Ticket& t) {
  if (s.revoked || !s.user_active) return;
  std::lock_guard lk(local_.mu);
  if (!still_valid(t)) return;
  if (local_.sessions.size() >= kLocalMax) local_.sessions.clear();
  local_.sessions.insert_or_assign(id, Entry<SessionState>{s, t.at});
}

void SessionCache::drop_local(char kind, const std::string& id) {
  std::lock_guard lk(local_.mu);
  local_.generation.fetch_add(1, std::memory_order_acq_rel);
  if (kind == 'k') local_.keys.erase(id);
  else if (kind == 's') local_.sessions.erase(id);
}

void SessionCache::drop_all() {
  std::lock_guard lk(local_.mu);
  local_.generation.fetch_add(1, std::memory_order_acq_rel);
  local_.keys.clear();
  local_.sessions.clear();
}

// "k:<key hash>", "s:<session id>", anything else: drop everything.
void SessionCache::on_message(std::string_view m) {
  if (m.size() > 2 && m[1] == ':' && (m[0] == 'k' || m[0] == 's')) drop_local(m[0], std::string(m.substr(2)));
  else drop_all();
}

// After the tombstone is in Redis: every instance drops its copy. A lost message is covered by the max age
// (and a lost subscription by drop_all on the receiving side).
Task<void> SessionCache::announce(char kind, const std::string& id) {
  drop_local(kind, id);
  if (!bus_) co_return;
  try {
    std::string msg = std::string(1, kind) + ":" + id;
    std::string channel = bus_->channel();
    co_await ctx_.redis.publish(std::move(channel), std::move(msg));
    // A barrier before the caller is answered. Redis answers the publisher before it writes the message to
    // the subscribers (both in the same pass over its pending writes, publisher first), so a client quick
    // enough could reach another instance before the message does. Redis reads this PING only after that
    // pass has finished: once it is answered, every subscriber socket holds the message, and the
    // subscriber's pending() check makes the next request on any instance on this host see it.
    std::vector<std::string> ping{"PING"};  // named: GCC 12 and braced temporaries in co_await
    co_await ctx_.redis.command(std::move(ping));
  } catch (const std::exception& e) {
    spdlog::warn("revocation: publishing the invalidation failed ({}); other instances drop their copy within "
                 "the max age",
                 e.what());
  }
}

std::size_t SessionCache::outstanding_tombstones() {
  auto& s = shared();
  std::lock_guard lk(s.mu);
  return s.outstanding.size();
}

Task<void> SessionCache::fill(const std::string& key, const std::string& value, long long ttl_s) {
  if (ttl_s <= 0) co_return;
  std::vector<std::string> cmd{"SET", key, value, "EX", std::to_string(ttl_s), "NX"};
  try {
    co_await ctx_.redis.command(std::move(cmd));
  } catch (const std::exception& e) {
    spdlog::debug("session cache write skipped: {}", e.what());
  }
}

Task<void> SessionCache::tombstone(const std::string& key, const std::string& value, long long ttl_s) {
  char kind = key.rfind("apikey:", 0) == 0 ? 'k' : 's';
  std::string id = key.substr(key.find(':') + 1);
  drop_local(kind, id);  // this instance refuses at once
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::vector<std::string> cmd{"SET", key, value, "EX", std::to_string(ttl_s)};
    try {
      co_await ctx_.redis.command(std::move(cmd));
      co_await announce(kind, id);
      co_return;
    } catch (const cache::RedisUnavailable& e) {
      spdlog::warn("revocation: writing {} failed ({}); {}", key, e.what(), attempt == 0 ? "retrying" : "kept to retry");
    } catch (const cache::RedisError& e) {
      spdlog::warn("revocation: writing {} failed ({}); {}", key, e.what(), attempt == 0 ? "retrying" : "kept to retry");
    }
  }
  auto& s = shared();
  std::lock_guard lk(s.mu);
  s.outstanding.insert_or_assign(key, std::make_pair(value, ttl_s));
}

Task<bool> SessionCache::flush_outstanding() {
  std::vector<std::pair<std::string, std::pair<std::string, long long>>> todo;
  {
    auto& s = shared();
    std::lock_guard lk(s.mu);
    if (s.outstanding.empty()) co_return true;
    todo.assign(s.outstanding.begin(), s.outstanding.end());
  }
  for (auto& [key, v] : todo) {
    std::vector<std::string> cmd{"SET", key, v.first, "EX", std::to_string(v.second)};
    try {
      co_await ctx_.redis.command(std::move(cmd));
    } catch (const std::exception&) {
      co_return false;
    }
    {
      auto& s = shared();
      std::lock_guard lk(s.mu);
      if (auto it = s.outstanding.find(key); it != s.outstanding.end() && it->second == v) s.outstanding.erase(it);
    }
    char kind = key.rfind("apikey:", 0) == 0 ? 'k' : 's';
    std::string id = key.substr(key.find(':') + 1);  // named: GCC 12 and temporaries in co_await
    co_await announce(kind, id);
  }
  spdlog::info("revocation: {} outstanding tombstone(s) written", todo.size());
  co_return outstanding_tombstones() == 0;
}

Task<std::optional<SessionState>> SessionCache::session(const std::string& session_id,
                                                       std::chrono::steady_clock::time_point received) {
  if (outstanding_tombstones() == 0)
    if (auto copy = local_session(session_id, received)) co_return copy;
  auto t = ticket();
  std::string key = "session:" + session_id;
  bool trust = co_await flush_outstanding();
  if (trust) {
    auto cached = co_await ctx_.cache.get_json(key);
    switch (kind(cached)) {
      case Cached::entry: {
        auto state = session_from(*cached);
        keep_session(session_id, state, t);
        co_return state;
      }
      case Cached::revoked: co_return std::nullopt;
      case Cached::stale: trust = false; break;  // read PostgreSQL, do not cache
      default: break;
    }
  }
  auto state = co_await repo_.session_state(session_id);
  if (!state) co_return std::nullopt;
  long long ttl = std::min<long long>(kSessionTtl, state->refresh_expires_at - now_s());
  if (trust) co_await fill(key, to_json(*state).dump(), ttl);
  if (trust) keep_session(session_id, *state, t);
  co_return state;
}

Task<void> SessionCache::revoke_sessions(const std::vector<std::string>& session_ids) {
  for (auto& id : session_ids) co_await tombstone("session:" + id, revoked_tombstone(), kSessionTtl);
}

Task<std::optional<ApiKeyState>> SessionCache::api_key(const std::string& key_hash,
                                                      std::chrono::steady_clock::time_point received) {
  if (locally_unknown(key_hash)) co_return std::nullopt;
  if (outstanding_tombstones() == 0)
    if (auto copy = local_key(key_hash, received)) co_return copy;
  auto t = ticket();
  std::string key = "apikey:" + key_hash;
  bool trust = co_await flush_outstanding();
  if (trust) {
    auto cached = co_await ctx_.cache.get_json(key);
    switch (kind(cached)) {
      case Cached::entry: {
        auto state = key_from(*cached);
        keep_key(key_hash, state, t);
        co_return state;
      }
      case Cached::revoked: co_return std::nullopt;
      case Cached::unknown: remember_unknown(key_hash); co_return std::nullopt;
      case Cached::stale: trust = false; break;  // read PostgreSQL, do not cache
      default: break;
    }
  }
  auto state = co_await repo_.key_state(key_hash);
  if (!state) {
    remember_unknown(key_hash);
    if (trust) co_await fill(key, unknown_marker(), kUnknownKeyTtl);
    co_return std::nullopt;
  }
  if (trust) co_await fill(key, to_json(*state).dump(), kKeyTtl);
  if (trust) keep_key(key_hash, *state, t);
  co_return state;
}

Task<void> SessionCache::forget_keys(const std::vector<std::string>& key_hashes) {
  // A tombstone, not DEL: a concurrent fill (SET NX) with the old role cannot land after it.
  for (auto& h : key_hashes) co_await tombstone("apikey:" + h, stale_tombstone(), kKeyTtl);
}

Task<void> SessionCache::revoke_key(const std::string& key_hash) {
  co_await tombstone("apikey:" + key_hash, revoked_tombstone(), kKeyTtl);
}

Task<void> SessionCache::revoke_keys(const std::vector<std::string>& key_hashes) {
  for (auto& h : key_hashes) co_await revoke_key(h);
}

}  // namespace netops::auth
