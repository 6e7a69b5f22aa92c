#pragma once
// Adaptive busy-polling of a worker's io_context (NETOPS_BUSY_POLL_US).
//
// When a worker runs out of ready work it normally sleeps in epoll_wait, and the next event (the
// upstream's answer, the client's next request) has to wake it. On a virtual machine whose idle vCPUs
// halt at once (no guest halt-polling, as on this project's Firecracker build machines) that wake-up
// costs tens of microseconds: more than a whole proxied round trip's own work. A worker therefore keeps
// polling (epoll_wait with a zero timeout) for a short window before it blocks — the same trade HAProxy's
// `busy-polling` and the kernel's haltpoll cpuidle governor make.
//
// The window adapts the way haltpoll's does, so polling costs CPU only where it pays: it starts at 0;
// an idle spell (polling and sleeping together) that ended within the maximum — a longer poll would have
// caught the event — opens it to a quarter of the maximum, then doubles it up to the maximum; a spell
// longer than the maximum (polling was useless: events far apart, as between the tokens of a real model's
// stream, or an idle server) halves it, and below a quarter of the maximum it is 0 again. At most
// `max_pollers` workers of the process poll at a time (half of them, at least one), so the other cores
// stay free for the processes the events have to come from.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include <boost/asio/io_context.hpp>

namespace netops {

// The adaptive window of one worker (pure arithmetic: no clock, no io_context).
class PollWindow {
 public:
  explicit PollWindow(std::chrono::nanoseconds max) : max_(max) {}
  std::chrono::nanoseconds current() const { return window_; }
  // The worker was idle for `spell` (its poll of `current()`, if any, found nothing; it then slept) before
  // its next event.
  void idle(std::chrono::nanoseconds spell);

 private:
  std::chrono::nanoseconds max_;
  std::chrono::nanoseconds window_{0};
};

// Process-wide counts, for /metrics (busy_poll_*).
struct BusyPollCounters {
  std::atomic<std::int64_t> hits{0};        // an idle spell ended by an event found while polling
  std::atomic<std::int64_t> misses{0};      // a poll that found nothing, followed by a blocking wait
  std::atomic<std::int64_t> polled_ns{0};   // time spent polling
};
BusyPollCounters& busy_poll_counters();
// Prometheus text for the counters above (added to /metrics by the app).
void render_busy_poll_metrics(std::string& out);

// Runs `ioc` on the calling thread until it is stopped, like io_context::run(), polling for up to the
// worker's adaptive window (at most `max`) before each blocking wait while fewer than `max_pollers`
// workers poll. `max` 0: exactly io_context::run().
void run_worker(boost::asio::io_context& ioc, std::chrono::microseconds max, int max_pollers);

}  // namespace netops
