#include "cache/rate_limiter.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <cmath>
#include <optional>
#include <utility>

namespace netops::cache {

namespace {

// KEYS[1] current window, KEYS[2] previous window; ARGV: limit, window ms, ms elapsed in the window.
// Refused requests are not counted, so a client that backs off gets through again.
constexpr const char* kSlidingWindow = R"lua(
local limit = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local prev = tonumber(redis.call('GET', KEYS[2]) or '0')
local weight = (window_ms - elapsed) / window_ms
if math.floor(prev * weight) + cur + 1 > limit then
  return {0, math.floor(prev * weight) + cur}
end
cur = redis.call('INCR', KEYS[1])
if cur == 1 then redis.call('PEXPIRE', KEYS[1], window_ms * 2) end
return {1, math.floor(prev * weight) + cur}
)lua";

// Credits: KEYS[1] current window, KEYS[2] previous window; ARGV: limit, window ms, ms elapsed, credits
// wanted, unused credits of the previous window to give back. The same sliding-window count as above;
// grants min(wanted, limit − used) and counts them as used. Returns {granted, used after}.
constexpr const char* kReserveCredits = R"lua(
local limit = tonumber(ARGV[1])
local window_ms = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
local want = tonumber(ARGV[4])
local give = tonumber(ARGV[5])
if give > 0 then
  local p = tonumber(redis.call('GET', KEYS[2]) or '0')
  if p > 0 then redis.call('DECRBY', KEYS[2], math.min(give, p)) end
end
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local prev = tonumber(redis.call('GET', KEYS[2]) or '0')
local weight = (window_ms - elapsed) / window_ms
local used = math.floor(prev * weight) + cur
local grant = math.min(want, limit - used)
if grant <= 0 then return {0, used} end
redis.call('INCRBY', KEYS[1], grant)
redis.call('PEXPIRE', KEYS[1], window_ms * 2)
return {grant, used + grant}
)lua";

constexpr const char* kAddFailure = R"lua(
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1])) end
return n
)lua";

// KEYS: the counters; ARGV: max, window s. All or nothing: either every key is below max and each is
// incremented, or none is and the first full key's index (1-based) and TTL come back.
constexpr const char* kReserve = R"lua(
local max = tonumber(ARGV[1])
for i, k in ipairs(KEYS) do
  if tonumber(redis.call('GET', k) or '0') >= max then
    return {0, i, redis.call('TTL', k)}
  end
end
for _, k in ipairs(KEYS) do
  if redis.call('INCR', k) == 1 then redis.call('EXPIRE', k, tonumber(ARGV[2])) end
end
return {1, 0, 0}
)lua";

constexpr const char* kRelease = R"lua(
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end
return 0
)lua";

using Clock = RateLimiter::Clock;

Clock clock_for(std::int64_t window_s) {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  std::int64_t window_ms = window_s * 1000;
  return {now, now / window_ms, now % window_ms};
}

Decision decide(bool allowed, std::int64_t used, std::int64_t limit, std::int64_t window_s, const Clock& c) {
  Decision d;
  d.allowed = allowed;
  d.limit = limit;
  d.remaining = std::max<std::int64_t>(0, limit - used);
  d.reset_s = std::max<std::int64_t>(1, (window_s * 1000 - c.elapsed_ms + 999) / 1000);
  d.retry_after_s = allowed ? 0 : d.reset_s;
  return d;
}

}  // namespace

std::int64_t RateLimiter::batch_for(std::int64_t limit) { return std::clamp<std::int64_t>(limit / 8, 1, 1000); }

Task<Decision> RateLimiter::check(std::string subject, std::int64_t limit, std::int64_t window_s) {
  if (mode_ == Mode::exact) co_return co_await check_exact(std::move(subject), limit, window_s);
  co_return co_await check_credits(std::move(subject), limit, window_s);
}

Task<RateLimiter::Grant> RateLimiter::reserve(const std::string& subject, std::int64_t limit, std::int64_t window_s,
                                              Clock c, std::int64_t want, std::int64_t give_back) {
  std::string base = "rate:limit:" + subject + ":";
  std::vector<std::string> keys{base + std::to_string(c.index), base + std::to_string(c.index - 1)};
  std::vector<std::string> args{std::to_string(limit), std::to_string(window_s * 1000), std::to_string(c.elapsed_ms),
                                std::to_string(want), std::to_string(give_back)};
  std::string script = kReserveCredits;
  Grant g;
  try {
    auto r = co_await redis_.eval(script, std::move(keys), std::move(args));
    if (r.type == Reply::Type::array && r.elements.size() == 2) {
      g.ok = true;
      g.granted = r.elements[0].integer;
      g.used = r.elements[1].integer;
      co_return g;
    }
    spdlog::warn("rate limiter: unexpected reply from Redis; deciding locally");
  } catch (const RedisUnavailable&) {
  } catch (const RedisError& e) {
    spdlog::warn("rate limiter script failed: {}", e.what());
  }
  co_return g;
}

// Reserves the next batch for the current window in the background (Lease::refilling is set by the caller).
Task<void> RateLimiter::refill(std::string subject, std::int64_t limit, std::int64_t window_s) {
  std::string key = subject + ":" + std::to_string(window_s);
  auto c = clock_for(window_s);
  std::int64_t give = 0;
  {
    std::lock_guard lk(mu_);
    auto& l = leases_[key];
    if (l.index != c.index) {
      l.give_back = l.index == c.index - 1 ? l.credits : 0;
      l.credits = 0;
      l.used_known = 0;
      l.index = c.index;
    }
    give = std::exchange(l.give_back, 0);
  }
  // The reservation is for the lease's window (c), even if the clock moved on meanwhile.
  auto g = co_await reserve(subject, limit, window_s, c, batch_for(limit), give);
  std::lock_guard lk(mu_);
  auto& l = leases_[key];
  l.refilling = false;
  if (!g.ok) {
    l.give_back += give;
    co_return;
  }
  if (l.index == c.index) {
    l.credits += g.granted;
    l.used_known = g.used;
  } else if (l.index == c.index + 1) {
    l.give_back += g.granted;  // the window ended meanwhile: the credits go back with the next reservation
  }
}

Task<Decision> RateLimiter::check_credits(std::string subject, std::int64_t limit, std::int64_t window_s) {
  const std::int64_t batch = batch_for(limit);
  std::string key = subject + ":" + std::to_string(window_s);
  auto c = clock_for(window_s);
  auto take = [&](Lease& l, bool& spawn_refill) -> std::optional<Decision> {
    if (l.index != c.index) {
      // Unused credits go back to their own window's counter (the previous one of c), older ones are lost
      // (which only makes the counts stricter).
      l.give_back = l.index == c.index - 1 ? l.credits : 0;
      l.credits = 0;
      l.used_known = 0;
      l.index = c.index;
    }
    if (l.credits <= 0) return std::nullopt;
    --l.credits;
    // Prefetch only batches worth it: with B < 4 every reservation is on the request path (tiny limits).
    if (batch >= 4 && l.credits <= batch / 2 && !l.refilling) l.refilling = spawn_refill = true;
    auto d = decide(true, std::max<std::int64_t>(0, l.used_known - l.credits), limit, window_s, c);
    return d;
  };
  bool spawn_refill = false;
  std::optional<Decision> d;
  std::int64_t give = 0;
  {
    std::lock_guard lk(mu_);
    if (leases_.size() > 100000) leases_.clear();  // bounded: unused credits of forgotten subjects are lost
    auto& l = leases_[key];
    d = take(l, spawn_refill);
    if (!d) give = std::exchange(l.give_back, 0);
  }
  if (d) {
    if (spawn_refill) {
      auto ex = co_await boost::asio::this_coro::executor;
      boost::asio::co_spawn(ex, refill(subject, limit, window_s), boost::asio::detached);
    }
    co_return *d;
  }
  // No credit here: reserve a batch now (this request waits for it).
  auto g = co_await reserve(subject, limit, window_s, c, batch, give);
  if (!g.ok) {
    {
      std::lock_guard lk(mu_);
      leases_[key].give_back += give;
    }
    co_return check_local(subject, limit, window_s);
  }
  std::optional<Decision> got;
  bool refill_after = false;
  {
    std::lock_guard lk(mu_);
    auto& l = leases_[key];
    if (l.index == c.index) {
      l.credits += g.granted;
      l.used_known = std::max(l.used_known, g.used);
    } else {
      l.give_back += g.granted;  // another request moved the lease to a newer window meanwhile
    }
    got = take(l, refill_after);
  }
  if (!got) co_return decide(false, g.used, limit, window_s, c);
  if (refill_after) {
    auto ex = co_await boost::asio::this_coro::executor;
    boost::asio::co_spawn(ex, refill(subject, limit, window_s), boost::asio::detached);
  }
  co_return *got;
}

Task<Decision> RateLimiter::check_exact(std::string subject, std::int64_t limit, std::int64_t window_s) {
  auto c = clock_for(window_s);
  std::string base = "rate:limit:" + subject + ":";
  std::vector<std::string> keys{base + std::to_string(c.index), base + std::to_string(c.index - 1)};
  std::vector<std::string> args{std::to_string(limit), std::to_string(window_s * 1000), std::to_string(c.elapsed_ms)};
  std::string script = kSlidingWindow;
  try {
    auto r = co_await redis_.eval(script, std::move(keys), std::move(args));
    if (r.type == Reply::Type::array && r.elements.size() == 2)
      co_return decide(r.elements[0].integer == 1, r.elements[1].integer, limit, window_s, c);
    spdlog::warn("rate limiter: unexpected reply from Redis; deciding locally");
  } catch (const RedisUnavailable&) {
  } catch (const RedisError& e) {
    spdlog::warn("rate limiter script failed: {}", e.what());
  }
  co_return check_local(subject, limit, window_s);
}

Decision RateLimiter::check_local(const std::string& subject, std::int64_t limit, std::int64_t window_s) {
  auto c = clock_for(window_s);
  std::lock_guard lk(mu_);
  auto& w = windows_[subject + ":" + std::to_string(window_s)];
  if (w.index != c.index) {
    w.previous = (w.index == c.index - 1) ? w.current : 0;
    w.current = 0;
    w.index = c.index;
  }
  double weight = double(window_s * 1000 - c.elapsed_ms) / double(window_s * 1000);
  auto used = static_cast<std::int64_t>(std::floor(double(w.previous) * weight)) + w.current;
  bool allowed = used + 1 <= limit;
  if (allowed) ++w.current, ++used;
  if (windows_.size() > 100000) windows_.clear();  // bound memory during a long outage
  auto d = decide(allowed, used, limit, window_s, c);
  d.local = true;
  return d;
}

Task<std::int64_t> RateLimiter::failures(std::string key) {
  try {
    auto v = co_await redis_.get(key);
    co_return v ? std::stoll(*v) : 0;
  } catch (const RedisUnavailable&) {
  } catch (const RedisError&) {
  }
  std::lock_guard lk(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end() || it->second.expires < std::chrono::steady_clock::now()) co_return 0;
  co_return it->second.count;
}

Task<std::int64_t> RateLimiter::failure_ttl(std::string key) {
  try {
    std::vector<std::string> cmd{"TTL", key};
    auto r = co_await redis_.command(std::move(cmd));
    co_return std::max<std::int64_t>(0, r.integer);
  } catch (const RedisUnavailable&) {
  } catch (const RedisError&) {
  }
  std::lock_guard lk(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) co_return 0;
  auto left = std::chrono::duration_cast<std::chrono::seconds>(it->second.expires - std::chrono::steady_clock::now());
  co_return std::max<std::int64_t>(0, left.count());
}

Task<std::int64_t> RateLimiter::add_failure(std::string key, std::int64_t window_s) {
  try {
    std::vector<std::string> keys{key};
    std::vector<std::string> args{std::to_string(window_s)};
    std::string script = kAddFailure;
    auto r = co_await redis_.eval(script, std::move(keys), std::move(args));
    co_return r.integer;
  } catch (const RedisUnavailable&) {
  } catch (const RedisError&) {
  }
  std::lock_guard lk(mu_);
  auto now = std::chrono::steady_clock::now();
  if (failures_.size() > 100000) failures_.clear();  // bound memory during a long outage
  auto& f = failures_[key];
  if (f.expires < now) f = {0, now + std::chrono::seconds(window_s)};
  co_return ++f.count;
}

Task<RateLimiter::Reservation> RateLimiter::reserve_failures(std::vector<std::string> keys, std::int64_t max,
                                                             std::int64_t window_s) {
  try {
    std::vector<std::string> args{std::to_string(max), std::to_string(window_s)};
    std::string script = kReserve;
    auto copy = keys;
    auto r = co_await redis_.eval(script, std::move(copy), std::move(args));
    if (r.type == Reply::Type::array && r.elements.size() == 3) {
      Reservation out;
      out.allowed = r.elements[0].integer == 1;
      if (!out.allowed) {
        out.blocked_index = static_cast<std::size_t>(std::max<std::int64_t>(1, r.elements[1].integer) - 1);
        out.retry_after_s = std::max<std::int64_t>(1, r.elements[2].integer);
      }
      co_return out;
    }
    spdlog::warn("login throttle: unexpected reply from Redis; deciding locally");
  } catch (const RedisUnavailable&) {
  } catch (const RedisError& e) {
    spdlog::warn("login throttle script failed: {}", e.what());
  }
  co_return reserve_local(keys, max, window_s);
}

RateLimiter::Reservation RateLimiter::reserve_local(const std::vector<std::string>& keys, std::int64_t max,
                                                    std::int64_t window_s) {
  std::lock_guard lk(mu_);
  auto now = std::chrono::steady_clock::now();
  if (failures_.size() > 100000) failures_.clear();  // bound memory during a long outage
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto it = failures_.find(keys[i]);
    if (it != failures_.end() && it->second.expires >= now && it->second.count >= max) {
      auto left = std::chrono::duration_cast<std::chrono::seconds>(it->second.expires - now).count();
      return {false, i, std::max<std::int64_t>(1, left)};
    }
  }
  for (auto& k : keys) {
    auto& f = failures_[k];
    if (f.expires < now) f = {0, now + std::chrono::seconds(window_s)};
    ++f.count;
  }
  return {};
}

Task<void> RateLimiter::release_failure(std::string key) {
  try {
    std::vector<std::string> keys{key};
    std::vector<std::string> no_args;
    std::string script = kRelease;
    co_await redis_.eval(script, std::move(keys), std::move(no_args));
  } catch (const RedisUnavailable&) {
  } catch (const RedisError&) {
  }
  std::lock_guard lk(mu_);
  auto it = failures_.find(key);
  if (it != failures_.end() && it->second.count > 0) --it->second.count;
}

Task<void> RateLimiter::reset_failures(std::string key) {
  try {
    std::vector<std::string> keys{key};
    co_await redis_.del(std::move(keys));
  } catch (const RedisUnavailable&) {
  } catch (const RedisError&) {
  }
  std::lock_guard lk(mu_);
  failures_.erase(key);
}

}  // namespace netops::cache
