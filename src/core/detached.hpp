#pragma once
// Work a request starts but does not wait for (a summary to write, a stream to finish after its client
// left). Each task runs detached on the executor it is given and is counted, so shutdown can wait for
// the ones still running before the pools close. A task's exception is logged, never lost silently.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
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

}  // namespace netops
