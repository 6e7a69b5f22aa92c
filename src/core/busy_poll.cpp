#include "core/busy_poll.hpp"

#include <sched.h>
#include <time.h>

#include <algorithm>

namespace netops {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::nanoseconds;

std::atomic<int> g_pollers{0};

nanoseconds thread_cpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::seconds(ts.tv_sec) + nanoseconds(ts.tv_nsec);
}

// Polls `ioc` for up to `window`; true when a handler ran.
bool poll_for(boost::asio::io_context& ioc, nanoseconds window) {
  auto& c = busy_poll_counters();
  auto start = Clock::now();
  auto until = start + window;
  bool hit = false;
  for (;;) {
    if (ioc.poll_one() > 0) {
      hit = true;
      break;
    }
    if (ioc.stopped() || Clock::now() >= until) break;
    // Polite: a thread that is ready to run on this core (the upstream, the client, the database) goes
    // first; with none, sched_yield returns at once.
    sched_yield();
  }
  c.polled_ns.fetch_add(std::chrono::duration_cast<nanoseconds>(Clock::now() - start).count(),
                        std::memory_order_relaxed);
  (hit ? c.hits : c.misses).fetch_add(1, std::memory_order_relaxed);
  return hit;
}

}  // namespace

void PollWindow::idle(nanoseconds spell) {
  if (spell <= window_) return;  // a poll as long as the window would have caught it: nothing learnt
  if (spell <= max_) {
    window_ = std::max(std::min(window_ * 2, max_), max_ / 4);
  } else {
    window_ /= 2;
    if (window_ < max_ / 4) window_ = nanoseconds(0);
  }
}

BusyPollCounters& busy_poll_counters() {
  static BusyPollCounters c;
  return c;
}

void render_busy_poll_metrics(std::string& out) {
  const auto& c = busy_poll_counters();
  auto line = [&](const char* name, const char* help, const std::string& value) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += " counter\n";
    out += name;
    out += ' ';
    out += value;
    out += '\n';
  };
  line("busy_poll_hits_total", "Idle spells of a worker ended by an event found while busy-polling",
       std::to_string(c.hits.load(std::memory_order_relaxed)));
  line("busy_poll_misses_total", "Busy-polls that found nothing before the worker blocked",
       std::to_string(c.misses.load(std::memory_order_relaxed)));
  line("busy_poll_seconds_total", "Time workers spent busy-polling",
       std::to_string(static_cast<double>(c.polled_ns.load(std::memory_order_relaxed)) / 1e9));
}

void run_worker(boost::asio::io_context& ioc, std::chrono::microseconds max, int max_pollers) {
  if (max.count() <= 0) {
    ioc.run();
    return;
  }
  PollWindow window(max);
  while (!ioc.stopped()) {
    if (ioc.poll() > 0) continue;  // ready work first
    if (ioc.stopped()) break;
    // Idle: poll for the window, then block. The whole idle spell — polling and blocking, not the handler
    // that ends it — teaches the window whether polling longer would have caught the event.
    auto idle_from = Clock::now();
    auto w = window.current();
    if (w.count() > 0) {
      bool mine = g_pollers.fetch_add(1, std::memory_order_acq_rel) < max_pollers;
      bool hit = mine && poll_for(ioc, w);
      g_pollers.fetch_sub(1, std::memory_order_acq_rel);
      if (hit) continue;
      if (ioc.stopped()) break;
    }
    auto cpu0 = thread_cpu();
    if (ioc.run_one() == 0) break;
    auto spell = (Clock::now() - idle_from) - (thread_cpu() - cpu0);
    window.idle(std::chrono::duration_cast<nanoseconds>(spell));
  }
}

}  // namespace netops
