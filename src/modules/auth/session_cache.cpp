#include "modules/auth/session_cache.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace netops::auth {

namespace {
constexpr long long kSessionTtl = 24 * 3600;  // data model: session:{…} 24 h
constexpr long long kKeyTtl = 300;

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

nlohmann::json to_json(const SessionState& s) {
  return {{"sid", s.session_id}, {"uid", s.user_id},          {"role", s.role},
          {"tier", s.tier},      {"revoked", s.revoked},       {"active", s.user_active},
          {"rexp", s.refresh_expires_at}};
}
SessionState session_from(const nlohmann::json& j) {
  return {j.value("sid", ""),      j.value("uid", ""),        j.value("role", "user"), j.value("tier", "free"),
          j.value("revoked", true), j.value("active", false), j.value("rexp", std::int64_t{0})};
}
nlohmann::json to_json(const ApiKeyState& k) {
  return {{"id", k.id},           {"uid", k.user_id},         {"role", k.role}, {"tier", k.tier},
          {"revoked", k.revoked}, {"active", k.user_active}, {"exp", k.expires_at}};
}
ApiKeyState key_from(const nlohmann::json& j) {
  return {j.value("id", ""),        j.value("uid", ""),        j.value("role", "user"), j.value("tier", "free"),
          j.value("revoked", true), j.value("active", false), j.value("exp", std::int64_t{0})};
}
}  // namespace

Task<void> SessionCache::set(const std::string& key, const std::string& value, long long ttl_s, bool only_if_absent) {
  if (ttl_s <= 0) co_return;
  std::vector<std::string> cmd{"SET", key, value, "EX", std::to_string(ttl_s)};
  if (only_if_absent) cmd.push_back("NX");
  try {
    co_await ctx_.redis.command(std::move(cmd));
  } catch (const std::exception& e) {
    spdlog::debug("session cache write skipped: {}", e.what());
  }
}

Task<std::optional<SessionState>> SessionCache::session(const std::string& session_id) {
  std::string key = "session:" + session_id;
  if (auto cached = co_await ctx_.cache.get_json(key)) co_return session_from(*cached);
  auto state = co_await repo_.session_state(session_id);
  if (!state) co_return std::nullopt;
  long long ttl = std::min<long long>(kSessionTtl, state->refresh_expires_at - now_s());
  co_await set(key, to_json(*state).dump(), ttl, true);
  co_return state;
}

Task<void> SessionCache::revoke_sessions(const std::vector<std::string>& session_ids) {
  for (auto& id : session_ids) {
    SessionState tomb{id, "", "user", "free", true, false, 0};
    co_await set("session:" + id, to_json(tomb).dump(), kSessionTtl, false);
  }
}

Task<std::optional<ApiKeyState>> SessionCache::api_key(const std::string& key_hash) {
  std::string key = "apikey:" + key_hash;
  if (auto cached = co_await ctx_.cache.get_json(key)) co_return key_from(*cached);
  auto state = co_await repo_.key_state(key_hash);
  if (!state) co_return std::nullopt;
  co_await set(key, to_json(*state).dump(), kKeyTtl, true);
  co_return state;
}

Task<void> SessionCache::forget_keys(const std::vector<std::string>& key_hashes) {
  std::vector<std::string> keys;
  for (auto& h : key_hashes) keys.push_back("apikey:" + h);
  if (!keys.empty()) co_await ctx_.cache.invalidate(std::move(keys));
}

Task<void> SessionCache::revoke_key(const std::string& key_hash) {
  ApiKeyState tomb{"", "", "user", "free", true, false, 0};
  co_await set("apikey:" + key_hash, to_json(tomb).dump(), kKeyTtl, false);
}

}  // namespace netops::auth
