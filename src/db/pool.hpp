#pragma once
// The connections of one worker. Only ever touched from its own io_context's thread, so it needs no
// locks; only the counters behind stats() are atomics, because metrics read them from any thread.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "core/task.hpp"
#include "db/connection.hpp"
#include "db/db.hpp"

namespace netops::db {

class Pool {
 public:
  using Clock = std::chrono::steady_clock;

  Pool(boost::asio::io_context& io, PoolConfig cfg);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // An idle connection, a new one while below size_per_worker, or the next one returned (first come,
  // first served). AppError(service_unavailable) when none is available by `deadline` (default: now +
  // acquire_timeout_ms) or the server cannot be reached.
  Task<Lease> acquire(std::optional<Clock::time_point> deadline = std::nullopt);
  // Called by Lease: back to the idle list, straight to a waiter, or dropped when no longer reusable.
  void release(Connection* conn) noexcept;
  PoolStats stats() const;  // any thread
  void close();             // drops idle connections, fails waiters, refuses new acquires
  boost::asio::io_context& io() { return io_; }

 private:
  struct Waiter;
  Task<Lease> open(Clock::time_point deadline);
  void destroy(Connection* conn);
  void slot_freed();
  void publish();

  boost::asio::io_context& io_;
  PoolConfig cfg_;
  std::vector<std::unique_ptr<Connection>> all_;  // owns every open connection
  std::vector<Connection*> idle_;                 // most recently used last: reused first, stays warm
  std::deque<Waiter*> waiters_;                   // FIFO
  std::size_t opening_ = 0;                       // slots taken by connects in progress
  bool closed_ = false;
  std::atomic<std::size_t> total_{0}, in_use_{0}, idle_count_{0}, waiting_{0};
};

}  // namespace netops::db
