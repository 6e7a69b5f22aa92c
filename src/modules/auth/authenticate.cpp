#include "modules/auth/authenticate.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/jwt.hpp"
#include "http/scopes.hpp"

namespace netops::auth {

namespace {
std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
http::Actor actor(const std::string& user_id, const std::string& role, const std::string& tier) {
  http::Actor a;
  a.user_id = user_id;
  a.role = http::parse_role(role).value_or(http::Role::user);
  a.tier = parse_tier(tier).value_or(Tier::free);  // users.tier has a CHECK constraint
  return a;
}
// True when this thread has not marked the key as used in the last minute (and notes that it now does).
bool due_for_mark(const std::string& key_id) {
  thread_local std::unordered_map<std::string, std::chrono::steady_clock::time_point> last;
  auto now = std::chrono::steady_clock::now();
  if (last.size() > 100000) last.clear();
  auto [it, fresh] = last.try_emplace(key_id, now);
  if (!fresh && now - it->second < std::chrono::seconds(60)) return false;
  it->second = now;
  return true;
}
}  // namespace

namespace {
// Client IPs that used up their refused credentials this minute, known to this process (the count is
// shared through Redis; the block is local so a blocked IP costs no round trip at all).
struct Blocked {
  std::mutex mu;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> until;
};
Blocked& blocked() {
  static Blocked b;
  return b;
}
std::int64_t blocked_for(const std::string& ip) {
  auto& b = blocked();
  std::lock_guard lk(b.mu);
  auto it = b.until.find(ip);
  if (it == b.until.end()) return 0;
  auto left = std::chrono::duration_cast<std::chrono::seconds>(it->second - std::chrono::steady_clock::now()).count();
  if (left <= 0) {
    b.until.erase(it);
    return 0;
  }
  return left;
}
void block(const std::string& ip, std::int64_t seconds) {
  auto& b = blocked();
  std::lock_guard lk(b.mu);
  if (b.until.size() > 100000) b.until.clear();  // bound memory under a spread-out flood
  b.until[ip] = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
}
AppError too_many_failures(std::int64_t retry_after) {
  return AppError(ErrorCode::rate_limited, "too many requests with invalid credentials from this address",
                  {{"retryAfter", std::max<std::int64_t>(1, retry_after)}});
}
}  // namespace

Task<std::optional<http::Credential>> Authenticator::authenticate_limited(const http::Request& req) {
  auto limit = settings_.auth_failures_per_min;
  if (limit <= 0) co_return co_await authenticate(req);
  if (auto left = blocked_for(req.remote_ip)) throw too_many_failures(left);
  bool refused = false;
  std::exception_ptr failure;
  try {
    co_return co_await authenticate(req);
  } catch (const AppError& e) {
    refused = e.code() == ErrorCode::unauthorized;
    failure = std::current_exception();
  }
  if (refused) {
    std::string key = "auth:fail:ip:" + req.remote_ip;
    auto n = co_await ctx_.limiter.add_failure(key, 60);
    if (n > limit) {
      auto ttl = std::max<std::int64_t>(1, co_await ctx_.limiter.failure_ttl(key));
      block(req.remote_ip, ttl);
      throw too_many_failures(ttl);
    }
  }
  std::rethrow_exception(failure);
}

Task<std::optional<http::Credential>> Authenticator::authenticate(const http::Request& req) {
  auto header = req.header("authorization");
  if (!header) co_return std::nullopt;
  std::string_view h = *header;
  if (h.size() < 7 || !(h.substr(0, 7) == "Bearer " || h.substr(0, 7) == "bearer "))
    throw Unauthorized("Authorization must be \"Bearer <token>\"");
  std::string token(h.substr(7));

  if (token.rfind("nk_", 0) == 0) {
    auto hash = sha256_hex(token);
    auto key = co_await cache_->api_key(hash, req.received);
    if (!key || key->revoked) throw Unauthorized("invalid or revoked API key");
    if (key->expires_at != 0 && key->expires_at <= now_s()) throw Unauthorized("API key expired");
    if (!key->user_active) throw Unauthorized("account is disabled");
    // last_used_at at most once a minute per key (the Redis mark is shared by all instances), and each
    // worker thread asks Redis at most once a minute per key, so a busy key costs no extra round trip.
    if (due_for_mark(key->id)) {
      try {
        std::vector<std::string> mark{"SET", "apikey:used:" + key->id, "1", "EX", "60", "NX"};
        auto r = co_await ctx_.redis.command(std::move(mark));
        if (r.type == cache::Reply::Type::status) co_await repo_->touch_key(key->id);
      } catch (const cache::RedisUnavailable&) {
      } catch (const cache::RedisError&) {
      }
    }
    auto a = actor(key->user_id, key->role, key->tier);
    a.api_key_id = key->id;
    co_return http::Credential{std::move(a), key->scopes};
  }

  auto verified = jwt::verify(token, ctx_.config.jwt_secret, now_s());
  if (!verified.claims) throw Unauthorized(std::string(jwt::failure_text(*verified.failure)));
  auto& claims = *verified.claims;
  auto sid = claims.value("sid", "");
  auto sub = claims.value("sub", "");
  if (!is_uuid(sid) || !is_uuid(sub)) throw Unauthorized("malformed token");
  auto session = co_await cache_->session(sid, req.received);
  if (!session || session->revoked || session->user_id != sub) throw Unauthorized("session revoked or expired");
  if (!session->user_active) throw Unauthorized("account is disabled");
  // last_activity_at at most once a minute per session (the Redis mark is shared by all instances; each
  // worker thread asks at most once a minute per session, so a busy session costs no round trip).
  if (due_for_mark("s:" + sid)) {
    try {
      std::vector<std::string> mark{"SET", "session:active:" + sid, "1", "EX", "60", "NX"};
      auto r = co_await ctx_.redis.command(std::move(mark));
      if (r.type == cache::Reply::Type::status) co_await repo_->touch_session(sid);
    } catch (const cache::RedisUnavailable&) {
    } catch (const cache::RedisError&) {
    }
  }
  auto a = actor(session->user_id, session->role, session->tier);
  a.session_id = sid;
  co_return http::Credential{std::move(a), std::nullopt};
}

}  // namespace netops::auth
