#include "db/pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "db/errors.hpp"

namespace netops::db {

namespace asio = boost::asio;

// A coroutine parked in acquire(). Its timer expires at the acquire deadline; whoever frees a
// connection or a slot fills in `conn` / `may_open` and cancels the timer to wake it.
struct Pool::Waiter {
  Waiter(Pool* p, asio::io_context& io) : pool(p), timer(io) {}
  // A coroutine frame destroyed while parked (io_context torn down) must not stay in the queue.
  ~Waiter() {
    if (pool) std::erase(pool->waiters_, this);
  }
  Pool* pool;  // null once the pool let go of it (close)
  asio::steady_timer timer;
  Connection* conn = nullptr;
  bool may_open = false;  // a slot was reserved for it (opening_ already counts it)
};

Pool::Pool(asio::io_context& io, PoolConfig cfg) : io_(io), cfg_(std::move(cfg)) {}

Pool::~Pool() {
  close();
  all_.clear();
}

Task<Lease> Pool::acquire(std::optional<Clock::time_point> deadline) {
  const auto until = deadline.value_or(Clock::now() + std::chrono::milliseconds(cfg_.acquire_timeout_ms));
  if (closed_) throw_unavailable();
  while (!idle_.empty()) {
    Connection* c = idle_.back();
    idle_.pop_back();
    if (c->idle_alive()) {
      c->on_checkout();
      publish();
      co_return Lease(this, c);
    }
    destroy(c);  // died while idle (server restart, terminated backend): open a new one instead
  }
  if (all_.size() + opening_ < std::max<std::size_t>(cfg_.size_per_worker, 1)) {
    ++opening_;
    co_return co_await open(until);
  }

  Waiter w(this, io_);
  w.timer.expires_at(until);
  waiters_.push_back(&w);
  publish();
  co_await w.timer.async_wait(asio::as_tuple(asio::use_awaitable));
  if (w.conn) {
    w.conn->on_checkout();
    co_return Lease(this, w.conn);
  }
  if (w.may_open) co_return co_await open(until);
  if (!w.pool) throw_unavailable();  // woken by close(): the pool may already be gone, do not touch it
  std::erase(waiters_, &w);
  w.pool = nullptr;
  publish();
  spdlog::warn("db: no free connection in time (pool of {} per worker is busy)", cfg_.size_per_worker);
  throw_unavailable();
}

// The caller has reserved a slot (opening_); it is returned, or passed to a waiter, if the connect fails.
Task<Lease> Pool::open(Clock::time_point deadline) {
  struct Slot {
    Pool* pool;
    bool kept = false;
    ~Slot() {
      --pool->opening_;
      if (!kept) pool->slot_freed();
      pool->publish();
    }
  } slot{this};
  auto conn = std::make_unique<Connection>(io_, cfg_);
  co_await conn->connect(std::min(deadline, Clock::now() + std::chrono::milliseconds(cfg_.connect_timeout_ms)));
  Connection* c = conn.get();
  all_.push_back(std::move(conn));
  slot.kept = true;
  co_return Lease(this, c);
}

void Pool::release(Connection* conn) noexcept {
  conn->set_deadline(std::nullopt);  // a deadline (ping) belongs to one borrower only
  if (closed_ || !conn->reusable()) {
    // Broken, or left inside a transaction (a coroutine abandoned mid-way): never lend it again.
    destroy(conn);
    slot_freed();
  } else if (!waiters_.empty()) {
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    w->pool = nullptr;
    w->conn = conn;
    w->timer.cancel();
  } else {
    idle_.push_back(conn);
  }
  publish();
}

void Pool::slot_freed() {
  if (closed_ || waiters_.empty()) return;
  Waiter* w = waiters_.front();
  waiters_.pop_front();
  w->pool = nullptr;
  ++opening_;
  w->may_open = true;
  w->timer.cancel();
}

void Pool::destroy(Connection* conn) {
  std::erase(idle_, conn);
  std::erase_if(all_, [conn](const auto& p) { return p.get() == conn; });
}

void Pool::close() {
  closed_ = true;
  for (Connection* c : std::vector<Connection*>(idle_)) destroy(c);
  while (!waiters_.empty()) {
    waiters_.front()->pool = nullptr;
    waiters_.front()->timer.cancel();
    waiters_.pop_front();
  }
  publish();
}

void Pool::publish() {
  total_.store(all_.size(), std::memory_order_relaxed);
  idle_count_.store(idle_.size(), std::memory_order_relaxed);
  in_use_.store(all_.size() - idle_.size(), std::memory_order_relaxed);
  waiting_.store(waiters_.size(), std::memory_order_relaxed);
}

PoolStats Pool::stats() const {
  return {total_.load(std::memory_order_relaxed), in_use_.load(std::memory_order_relaxed),
          idle_count_.load(std::memory_order_relaxed), waiting_.load(std::memory_order_relaxed)};
}

}  // namespace netops::db
