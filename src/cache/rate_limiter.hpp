#pragma once
// Rate limiting shared by every instance through Redis: a sliding-window counter (the current and the
// previous fixed window, weighted) checked and counted by one atomic Lua script per request, keys
// rate:limit:{subject}:{window}. When Redis is unavailable the same algorithm runs in process, so the
// server keeps serving (limits are then per instance).
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cache/redis.hpp"
#include "core/task.hpp"

namespace netops::cache {

struct Decision {
  bool allowed = true;
  std::int64_t limit = 0;
  std::int64_t remaining = 0;
  std::int64_t reset_s = 0;        // seconds until the current window ends
  std::int64_t retry_after_s = 0;  // when refused
  bool local = false;              // decided by the in-process fallback
};

class RateLimiter {
 public:
  explicit RateLimiter(Redis& redis) : redis_(redis) {}

  // Counts one request of `subject` against `limit` per `window_s` seconds (only when allowed).
  Task<Decision> check(std::string subject, std::int64_t limit, std::int64_t window_s);

  // Failure counters (login throttling): a fixed window that starts at the first failure.
  Task<std::int64_t> failures(std::string key);                 // current count
  Task<std::int64_t> failure_ttl(std::string key);              // seconds left, 0 when none
  Task<std::int64_t> add_failure(std::string key, std::int64_t window_s);  // returns the new count
  Task<void> reset_failures(std::string key);

  // Check-and-count in one step (one Lua script; one critical section in the fallback): when every key
  // holds fewer than `max` attempts, each is counted at once and allowed is true; otherwise nothing is
  // counted and blocked_index/retry_after_s name the first full key. So `max` parallel attempts at most
  // get through, however many arrive at once. A successful attempt gives its reservation back with
  // release_failure (or clears the key with reset_failures).
  struct Reservation {
    bool allowed = true;
    std::size_t blocked_index = 0;
    std::int64_t retry_after_s = 0;
  };
  Task<Reservation> reserve_failures(std::vector<std::string> keys, std::int64_t max, std::int64_t window_s);
  Task<void> release_failure(std::string key);

 private:
  Reservation reserve_local(const std::vector<std::string>& keys, std::int64_t max, std::int64_t window_s);
  Decision check_local(const std::string& subject, std::int64_t limit, std::int64_t window_s);
  struct LocalWindow {
    std::int64_t index = 0;
    std::int64_t current = 0;
    std::int64_t previous = 0;
  };
  struct LocalFailures {
    std::int64_t count = 0;
    std::chrono::steady_clock::time_point expires;
  };
  Redis& redis_;
  std::mutex mu_;
  std::map<std::string, LocalWindow> windows_;
  std::map<std::string, LocalFailures> failures_;
};

}  // namespace netops::cache
