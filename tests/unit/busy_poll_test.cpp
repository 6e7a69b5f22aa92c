// core/busy_poll: the adaptive window's arithmetic, and a worker loop that behaves like io_context::run().
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/busy_poll.hpp"

namespace netops {
namespace {

using namespace std::chrono_literals;
namespace net = boost::asio;

TEST(PollWindow, OpensWhileEventsComeWithinTheMaximumAndShutsWhenTheyDoNot) {
  PollWindow w(100us);
  EXPECT_EQ(w.current(), 0ns);  // nothing learnt yet: no polling
  w.idle(30us);                  // a poll could have caught it: open at a quarter of the maximum
  EXPECT_EQ(w.current(), 25us);
  w.idle(30us);  // still longer than the window: double
  EXPECT_EQ(w.current(), 50us);
  w.idle(40us);  // within the window (no poll was tried: another worker was polling): nothing learnt
  EXPECT_EQ(w.current(), 50us);
  w.idle(90us);
  EXPECT_EQ(w.current(), 100us);
  w.idle(99us);
  EXPECT_EQ(w.current(), 100us);  // never beyond the maximum
  w.idle(150us);                   // just beyond: the whole poll was wasted
  EXPECT_EQ(w.current(), 50us);
  w.idle(5ms);
  EXPECT_EQ(w.current(), 25us);
  w.idle(5ms);  // below a quarter of the maximum: shut
  EXPECT_EQ(w.current(), 0ns);
  w.idle(5ms);
  EXPECT_EQ(w.current(), 0ns);
  w.idle(60us);  // events close together again: open
  EXPECT_EQ(w.current(), 25us);
}

// Runs handlers posted from another thread and timers, and returns once the io_context is stopped.
void expect_runs_like_io_context_run(std::chrono::microseconds max) {
  net::io_context ioc(1);
  auto guard = net::make_work_guard(ioc);
  std::atomic<int> ran{0};
  std::thread worker([&] { run_worker(ioc, max, 1); });
  for (int i = 0; i < 1000; ++i) net::post(ioc, [&] { ran.fetch_add(1); });
  net::steady_timer timer(ioc);
  std::atomic<bool> fired{false};
  net::post(ioc, [&] {
    timer.expires_after(5ms);
    timer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) fired = true;
      ioc.stop();
    });
  });
  worker.join();  // returns only through the timer's stop()
  EXPECT_EQ(ran.load(), 1000);
  EXPECT_TRUE(fired.load());
}

TEST(BusyPoll, WorkerWithoutPollingRunsLikeRun) { expect_runs_like_io_context_run(0us); }
TEST(BusyPoll, WorkerWithPollingRunsLikeRun) { expect_runs_like_io_context_run(100us); }

TEST(BusyPoll, ACloseSeriesOfEventsIsCaughtByPolling) {
  // Ping-pong with another thread: each handler asks for the next one, which arrives a moment later.
  // Gaps far below the (generous) maximum open the window, and polling then catches the next event.
  auto& c = busy_poll_counters();
  auto hits_before = c.hits.load();
  net::io_context ioc(1);
  auto guard = net::make_work_guard(ioc);
  std::atomic<int> turn{0};
  std::thread worker([&] { run_worker(ioc, 10ms, 1); });
  constexpr int kRounds = 300;
  for (int i = 1; i <= kRounds; ++i) {
    net::post(ioc, [&turn, i] { turn.store(i, std::memory_order_release); });
    while (turn.load(std::memory_order_acquire) != i) std::this_thread::yield();
  }
  ioc.stop();
  worker.join();
  EXPECT_GT(c.hits.load() - hits_before, 0);
  std::string text;
  render_busy_poll_metrics(text);
  EXPECT_NE(text.find("busy_poll_hits_total "), std::string::npos);
  EXPECT_NE(text.find("busy_poll_seconds_total "), std::string::npos);
}

}  // namespace
}  // namespace netops
