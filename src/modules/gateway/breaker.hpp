#pragma once
// A circuit breaker per model, in process (each instance judges the upstreams it sees itself; sharing the
// state through Redis would put a round trip on every call for little gain).
//   closed    --N consecutive failures-->  open
//   open      --cooldown elapsed-------->  half_open (admits exactly one probe call)
//   half_open --probe succeeds---------->  closed;   --probe fails--> open (cooldown restarts)
// The clock is a parameter so the state machine is unit-testable.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace netops::gateway {

enum class CircuitState { closed = 0, open = 1, half_open = 2 };
const char* state_name(CircuitState s);

struct BreakerOptions {
  int failure_threshold = 5;
  std::chrono::milliseconds cooldown{30000};
};

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  explicit CircuitBreaker(BreakerOptions o) : opts_(o) {}

  // Would a call be admitted now? Does not claim the half-open probe (for planning).
  bool available(const std::string& model, Clock::time_point now) const;
  // Admits a call: always when closed; when open past the cooldown, turns half_open and admits this one
  // probe; refuses while open or while the probe is in flight. `force` admits regardless (the caller has
  // no other model left) and counts as the probe.
  bool acquire(const std::string& model, Clock::time_point now, bool force = false);
  void success(const std::string& model);
  void failure(const std::string& model, Clock::time_point now);
  // A call that ended without a verdict on the upstream (client's own 4xx, client gone): frees the probe.
  void release(const std::string& model);

  // Effective state: an open circuit whose cooldown has elapsed reports half_open.
  CircuitState state(const std::string& model, Clock::time_point now) const;
  // Of the given models, the one whose circuit opened longest ago (closest to its probe).
  std::optional<std::size_t> least_recently_opened(const std::vector<std::string>& models) const;
  nlohmann::json describe(const std::string& model, Clock::time_point now) const;  // GET /api/models/{id}
  void render(std::string& out, Clock::time_point now) const;  // netops_circuit_state gauge lines

 private:
  struct Entry {
    CircuitState state = CircuitState::closed;
    int failures = 0;  // consecutive
    bool probing = false;
    Clock::time_point opened_at{};
    std::chrono::system_clock::time_point opened_wall{};
  };
  CircuitState effective(const Entry& e, Clock::time_point now) const;

  BreakerOptions opts_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace netops::gateway
