#include "modules/auth/session_cache.hpp"

#include <spdlog/spdlog.h>

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
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::vector<std::string> cmd{"SET", key, value, "EX", std::to_string(ttl_s)};
    try {
      co_await ctx_.redis.command(std::move(cmd));
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
    auto& s = shared();
    std::lock_guard lk(s.mu);
    if (auto it = s.outstanding.find(key); it != s.outstanding.end() && it->second == v) s.outstanding.erase(it);
  }
  spdlog::info("revocation: {} outstanding tombstone(s) written", todo.size());
  co_return outstanding_tombstones() == 0;
}

Task<std::optional<SessionState>> SessionCache::session(const std::string& session_id) {
  std::string key = "session:" + session_id;
  bool trust = co_await flush_outstanding();
  if (trust) {
    auto cached = co_await ctx_.cache.get_json(key);
    switch (kind(cached)) {
      case Cached::entry: co_return session_from(*cached);
      case Cached::revoked: co_return std::nullopt;
      case Cached::stale: trust = false; break;  // read PostgreSQL, do not cache
      default: break;
    }
  }
  auto state = co_await repo_.session_state(session_id);
  if (!state) co_return std::nullopt;
  long long ttl = std::min<long long>(kSessionTtl, state->refresh_expires_at - now_s());
  if (trust) co_await fill(key, to_json(*state).dump(), ttl);
  co_return state;
}

Task<void> SessionCache::revoke_sessions(const std::vector<std::string>& session_ids) {
  for (auto& id : session_ids) co_await tombstone("session:" + id, revoked_tombstone(), kSessionTtl);
}

Task<std::optional<ApiKeyState>> SessionCache::api_key(const std::string& key_hash) {
  if (locally_unknown(key_hash)) co_return std::nullopt;
  std::string key = "apikey:" + key_hash;
  bool trust = co_await flush_outstanding();
  if (trust) {
    auto cached = co_await ctx_.cache.get_json(key);
    switch (kind(cached)) {
      case Cached::entry: co_return key_from(*cached);
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
