#include "db/db.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cctype>
#include <stdexcept>

#include "core/error.hpp"
#include "core/worker.hpp"
#include "db/connection.hpp"
#include "db/pool.hpp"

namespace netops::db {

namespace {

// Only the four SQL isolation levels may reach the BEGIN statement (it cannot take a parameter).
std::string begin_statement(std::string_view isolation) {
  if (isolation.empty()) return "BEGIN";
  std::string level(isolation);
  std::transform(level.begin(), level.end(), level.begin(), [](unsigned char c) { return std::toupper(c); });
  if (level.starts_with("ISOLATION LEVEL ")) level.erase(0, 16);
  if (level != "SERIALIZABLE" && level != "REPEATABLE READ" && level != "READ COMMITTED" &&
      level != "READ UNCOMMITTED")
    throw std::invalid_argument("unknown isolation level: " + std::string(isolation));
  return "BEGIN ISOLATION LEVEL " + level;
}

}  // namespace

// ---- Lease ----

Lease& Lease::operator=(Lease&& o) noexcept {
  if (this != &o) {
    release();
    pool_ = std::exchange(o.pool_, nullptr);
    conn_ = std::exchange(o.conn_, nullptr);
  }
  return *this;
}

Lease::~Lease() { release(); }

void Lease::release() {
  if (pool_ && conn_) pool_->release(conn_);
  pool_ = nullptr;
  conn_ = nullptr;
}

// ---- Tx ----

Task<Result> Tx::query(const Query& q, Params p) { co_return co_await lease_->query(q, p); }

Task<Result> Tx::query(std::string_view sql, Params p) { co_return co_await lease_->query(sql, p); }

Task<void> Tx::exec_script(std::string_view sql) { co_await lease_->exec_script(sql); }

Task<void> Tx::begin(std::string_view isolation) { co_await lease_->exec_script(begin_statement(isolation)); }

Task<void> Tx::commit() {
  Result r = co_await lease_->query(std::string_view("COMMIT"), Params{});
  // COMMIT of a transaction that already failed answers "ROLLBACK" without an error: a statement error
  // was swallowed inside fn, and reporting success would lose the writes silently.
  if (std::string_view(PQcmdStatus(r.get())) == "ROLLBACK") {
    spdlog::error("db: COMMIT rolled back a transaction that had failed earlier");
    throw AppError(ErrorCode::internal, "internal error");
  }
}

Task<void> Tx::rollback() noexcept {
  if (!lease_ || lease_->broken() || !lease_->in_transaction()) co_return;
  bool failed = false;
  try {
    co_await lease_->exec_script("ROLLBACK");
  } catch (...) {
    failed = true;  // already logged by the connection; the coroutine is noexcept
  }
  // The session state is unknown after a failed ROLLBACK: the pool must not lend it again.
  if (failed) {
    spdlog::warn("db: ROLLBACK failed; discarding the connection");
    lease_->mark_broken();
  }
}

// ---- Db ----

Db::Db(PoolConfig cfg, std::vector<boost::asio::io_context*> workers) : cfg_(std::move(cfg)) {
  pools_.reserve(workers.size());
  for (auto* io : workers) pools_.push_back(std::make_unique<Pool>(*io, cfg_));
}

Db::~Db() {
  for (auto& p : pools_) {
    p->close();
    // A coroutine still holding a lease (its io_context not yet destroyed) would return it into freed
    // memory; at shutdown leaking the pool is the lesser evil.
    if (p->stats().in_use > 0) {
      spdlog::warn("db: pool destroyed with {} connections still leased; leaking it", p->stats().in_use);
      (void)p.release();
    }
  }
}

Pool& Db::pool() {
  const std::size_t i = current_worker();
  if (i >= pools_.size()) throw std::logic_error("db: no pool for worker " + std::to_string(i));
  return *pools_[i];
}

Task<Lease> Db::acquire() { co_return co_await pool().acquire(); }

Task<Result> Db::query(const Query& q, Params p) {
  Lease lease = co_await acquire();
  co_return co_await lease->query(q, p);
}

Task<Result> Db::query(std::string_view sql, Params p) {
  Lease lease = co_await acquire();
  co_return co_await lease->query(sql, p);
}

Task<void> Db::exec_script(std::string_view sql) {
  Lease lease = co_await acquire();
  co_await lease->exec_script(sql);
}

Task<bool> Db::ping() {
  // Health checks must answer quickly even when the server is unreachable or the pool is saturated.
  const auto deadline = Pool::Clock::now() + std::chrono::seconds(1);
  try {
    Lease lease = co_await pool().acquire(deadline);
    lease->set_deadline(deadline);
    Result r = co_await lease->query(std::string_view("SELECT 1"), Params{});
    lease->set_deadline(std::nullopt);
    co_return r.size() == 1;
  } catch (const std::exception& e) {
    spdlog::debug("db: ping failed: {}", e.what());
  }
  co_return false;
}

PoolStats Db::stats() const {
  PoolStats sum;
  for (const auto& p : pools_) {
    auto s = p->stats();
    sum.total += s.total;
    sum.in_use += s.in_use;
    sum.idle += s.idle;
    sum.waiting += s.waiting;
  }
  return sum;
}

void Db::close() {
  // Each pool belongs to its worker thread: close it there unless that worker is this thread or idle.
  for (auto& p : pools_) {
    Pool* pool = p.get();
    if (pool->io().get_executor().running_in_this_thread() || pool->io().stopped())
      pool->close();
    else
      boost::asio::post(pool->io(), [pool] { pool->close(); });
  }
}

}  // namespace netops::db
