#pragma once
// Cross-instance invalidation of in-process caches through Redis pub/sub: one subscriber thread per process
// (blocking hiredis, poll() with a 100 ms tick), one channel per Redis db. Messages are delivered to
// on_message; a lost subscription (connection closed, or no answer to the 500 ms PING within 2 s) calls
// on_reset, and the bus is not live() until it has subscribed again. Publishing goes through the ordinary
// asynchronous Redis (Redis::publish) of the worker that changes something.
//
// What a cache built on it may rely on: while live() has stayed true and generation() has not moved, no
// message was missed — a reader that saw the same generation before and after reading the shared store may
// keep what it read.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace netops::cache {

class InvalidationBus {
 public:
  using OnMessage = std::function<void(std::string_view)>;
  using OnReset = std::function<void()>;
  // url: redis://…; the channel is "<prefix>:<db>".
  InvalidationBus(std::string url, std::string prefix, OnMessage on_message, OnReset on_reset);
  ~InvalidationBus();
  InvalidationBus(const InvalidationBus&) = delete;
  InvalidationBus& operator=(const InvalidationBus&) = delete;

  void start();
  void stop();
  const std::string& channel() const { return channel_; }
  bool live() const { return live_.load(std::memory_order_acquire); }
  // Moves on every message received and every loss of the subscription.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  void bump() { generation_.fetch_add(1, std::memory_order_acq_rel); }
  // True when a message may be on its way to on_message right now: bytes wait on the subscription socket
  // (one poll() without waiting) or the subscriber is between reading and delivering them. A cache checks
  // it before serving a copy, so a message that reached this host before a request is always applied
  // before that request is answered (what makes "refused by every instance" hold without a sleep).
  bool pending() const;
  // The same question for a request that arrived at `since` (steady clock): a check by any thread, made at
  // or after `since`, that found nothing waiting answers for it without another poll() — every message
  // that reached this host before `since` had been delivered by then. A default `since` always polls.
  bool pending(std::chrono::steady_clock::time_point since) const;
  std::int64_t resets() const { return resets_.load(std::memory_order_relaxed); }
  // poll() calls made by pending(): what pending(since) saves shows here.
  std::int64_t polls() const { return polls_.load(std::memory_order_relaxed); }

 private:
  void run();
  void lost();
  std::string url_;
  std::string channel_;
  std::string client_name_;
  OnMessage on_message_;
  OnReset on_reset_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::atomic<bool> live_{false};
  std::atomic<int> fd_{-1};
  std::atomic<bool> delivering_{false};
  // Steady-clock nanoseconds at which the latest check that found nothing waiting began (0: none since the
  // subscription was last lost).
  mutable std::atomic<std::int64_t> clear_since_ns_{0};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::int64_t> resets_{0};
  mutable std::atomic<std::int64_t> polls_{0};
};

}  // namespace netops::cache
