#pragma once
// Rate limiting shared by every instance through Redis: a sliding-window counter (the current and the
// previous fixed window, weighted) checked and counted by one atomic Lua script per request, keys
// rate:limit:{subject}:{window}. When Redis is unavailable the same algorithm runs in process, so the
// server keeps serving (limits are then per instance).
//
// Two modes (NETOPS_RATE_LIMIT_MODE):
//   exact  one atomic script per request (the original: a Redis round trip on every request).
//   local  (default) each instance admits from credits it reserved from the same counters: a credit
//          reservation is the same sliding-window check, granting min(B, limit − used) at once and counting
//          them as used in Redis (B = clamp(limit / 8, 1, 1000)). A request consumes one credit in process,
//          with no round trip; when an instance's credits fall to B/2 it reserves the next batch in the
//          background, and only a request that finds none left (the first of a subject in a window, or a
//          burst faster than the refill) waits for a reservation. Credits left when a window ends are given
//          back to that window's counter with the next reservation.
//          Bounds, for N instances sharing one Redis: over-admission is 0 — every admitted request holds a
//          credit that Redis counted against the limit atomically, so the instances together never admit
//          more than exact mode's formula allows. The price is early refusal: a request can be refused while
//          other instances still hold unused credits, at most (N − 1) × B of them (plus B per instance at
//          most in flight from concurrent refills of one subject). With Redis unavailable both modes fall
//          back to the in-process window (limits per instance, i.e. up to N × limit).
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
  enum class Mode { local, exact };
  void set_mode(Mode m) { mode_ = m; }
  Mode mode() const { return mode_; }
  static std::int64_t batch_for(std::int64_t limit);  // B above
  struct Clock {  // a window of the clock: index = now / window, ms elapsed in it
    std::int64_t now_ms;
    std::int64_t index;
    std::int64_t elapsed_ms;
  };

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
  Task<Decision> check_exact(std::string subject, std::int64_t limit, std::int64_t window_s);
  Task<Decision> check_credits(std::string subject, std::int64_t limit, std::int64_t window_s);
  struct Lease {
    std::int64_t index = 0;       // the window the credits belong to
    std::int64_t credits = 0;     // reserved, not yet consumed
    std::int64_t give_back = 0;   // unused credits of the previous window, returned with the next reservation
    std::int64_t used_known = 0;  // the window's count in Redis after the last reservation
    bool refilling = false;
  };
  struct Grant {
    bool ok = false;  // false: Redis unavailable
    std::int64_t granted = 0, used = 0;
  };
  // One reservation script for `subject`'s current window (asks for `want`, returns `give_back` first).
  Task<Grant> reserve(const std::string& subject, std::int64_t limit, std::int64_t window_s, Clock c,
                      std::int64_t want, std::int64_t give_back);
  Task<void> refill(std::string subject, std::int64_t limit, std::int64_t window_s);
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
  Mode mode_ = Mode::local;
  std::mutex mu_;
  std::map<std::string, Lease> leases_;
  std::map<std::string, LocalWindow> windows_;
  std::map<std::string, LocalFailures> failures_;
};

}  // namespace netops::cache
