#include "modules/gateway/breaker.hpp"

#include "core/metrics.hpp"

namespace netops::gateway {

const char* state_name(CircuitState s) {
  switch (s) {
    case CircuitState::closed: return "closed";
    case CircuitState::open: return "open";
    case CircuitState::half_open: return "half_open";
  }
  return "closed";
}

CircuitState CircuitBreaker::effective(const Entry& e, Clock::time_point now) const {
  if (e.state == CircuitState::open && now - e.opened_at >= opts_.cooldown) return CircuitState::half_open;
  return e.state;
}

bool CircuitBreaker::available(const std::string& model, Clock::time_point now) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(model);
  if (it == entries_.end()) return true;
  auto s = effective(it->second, now);
  return s == CircuitState::closed || (s == CircuitState::half_open && !it->second.probing);
}

bool CircuitBreaker::acquire(const std::string& model, Clock::time_point now, bool force) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(model);
  if (it == entries_.end()) return true;  // never failed: nothing to record
  Entry& e = it->second;
  auto s = effective(e, now);
  if (s == CircuitState::closed) return true;
  if (s == CircuitState::half_open && !e.probing) {
    e.state = CircuitState::half_open;
    e.probing = true;
    return true;
  }
  // Forced (every target is open): still one call at a time, so a failing upstream never gets more than
  // the one probe while its circuit is open.
  if (force && !e.probing) {
    e.probing = true;
    return true;
  }
  return false;
}

void CircuitBreaker::success(const std::string& model) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(model);
  if (it == entries_.end()) return;
  it->second = Entry{};
}

void CircuitBreaker::failure(const std::string& model, Clock::time_point now) {
  std::lock_guard lock(mu_);
  Entry& e = entries_[model];
  e.probing = false;
  ++e.failures;
  // A failed probe (or a forced call while open) re-opens at once; closed opens at the threshold.
  if (e.state != CircuitState::closed || e.failures >= opts_.failure_threshold) {
    e.state = CircuitState::open;
    e.opened_at = now;
    e.opened_wall = std::chrono::system_clock::now();
  }
}

void CircuitBreaker::release(const std::string& model) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(model);
  if (it != entries_.end()) it->second.probing = false;
}

CircuitState CircuitBreaker::state(const std::string& model, Clock::time_point now) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(model);
  return it == entries_.end() ? CircuitState::closed : effective(it->second, now);
}

std::optional<std::size_t> CircuitBreaker::least_recently_opened(const std::vector<std::string>& models) const {
  std::lock_guard lock(mu_);
  std::optional<std::size_t> best;
  Clock::time_point best_at{};
  for (std::size_t i = 0; i < models.size(); ++i) {
    auto it = entries_.find(models[i]);
    Clock::time_point at = it == entries_.end() ? Clock::time_point{} : it->second.opened_at;
    if (!best || at < best_at) {
      best = i;
      best_at = at;
    }
  }
  return best;
}

nlohmann::json CircuitBreaker::describe(const std::string& model, Clock::time_point now) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(model);
  if (it == entries_.end()) return {{"state", "closed"}, {"consecutiveFailures", 0}};
  const Entry& e = it->second;
  auto s = effective(e, now);
  nlohmann::json j = {{"state", state_name(s)}, {"consecutiveFailures", e.failures}};
  if (s != CircuitState::closed) {
    auto ms = [](auto t) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    };
    j["openedAtMs"] = ms(e.opened_wall);
    j["halfOpenAtMs"] = ms(e.opened_wall + opts_.cooldown);
  }
  return j;
}

void CircuitBreaker::render(std::string& out, Clock::time_point now) const {
  std::lock_guard lock(mu_);
  if (entries_.empty()) return;
  out += "# HELP netops_circuit_state Circuit breaker per model: 0 closed, 1 open, 2 half_open\n";
  out += "# TYPE netops_circuit_state gauge\n";
  for (auto& [model, e] : entries_)
    out += "netops_circuit_state{model=\"" + Metrics::escape(model) + "\"} " +
           std::to_string(static_cast<int>(effective(e, now))) + "\n";
}

}  // namespace netops::gateway
