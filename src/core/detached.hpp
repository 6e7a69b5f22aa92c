#pragma once
// Work a request starts but does not wait for (a summary to write, a stream to finish after its client
// left). Each task runs detached on the executor it is given and is counted, so shutdown can wait for
// the ones still running before the pools close. A task's exception is logged, never lost silently.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "core/task.hpp"

namespace netops {

class DetachedTasks {
 public:
  DetachedTasks() : pending_(std::make_shared<std::atomic<std::size_t>>(0)) {}
  void spawn(const boost::asio::any_io_executor& ex, Task<void> task, std::string what);
  // Returns when no task is running any more, or after `max` (logging how many were left).
  Task<void> drain(std::chrono::milliseconds max);
  std::size_t pending() const { return pending_->load(); }

 private:
  std::shared_ptr<std::atomic<std::size_t>> pending_;
};

// Work to cut at the end of the shutdown grace period. Requests (and detached tasks) still running then
// would be lost with the process — and with them the usage records their destructors would push — so
// modules register here what stops them *and records what they did* (the gateway: in-flight upstream calls
// and streams, accounted with error_code SHUTDOWN). The app runs the hooks once the grace period is over,
// before it drains background work and closes the pools.
class ShutdownHooks {
 public:
  static void at_deadline(std::function<Task<void>()> hook);  // any thread, usually at start-up
  static Task<void> run_deadline();                          // the app, once; each hook's exception is logged
  // What a module still has running (the gateway: requests calling an upstream, from any route or
  // detached task): the app's grace period lasts while this is non-zero, not only while connections are open.
  static void count_busy(std::function<std::size_t()> fn);
  static std::size_t busy();
};

}  // namespace netops
