#pragma once
// The database as services see it: asynchronous queries and transactions on a libpq pool.
// One pool per worker thread (see core/worker.hpp); Db picks the calling worker's pool, so a coroutine
// only ever touches connections of its own io_context and no thread is parked on a query.
#include <boost/asio/io_context.hpp>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "core/task.hpp"
#include "db/query.hpp"

namespace netops::db {

struct PoolConfig {
  std::string url;                   // libpq connection string or postgresql:// URL
  std::size_t size_per_worker = 4;   // connections per worker pool
  int statement_timeout_ms = 30000;  // SET statement_timeout on every connection
  int connect_timeout_ms = 3000;
  int acquire_timeout_ms = 5000;     // waiting for a free connection longer answers 503
};

struct PoolStats {
  std::size_t total = 0;    // open connections
  std::size_t in_use = 0;
  std::size_t idle = 0;
  std::size_t waiting = 0;  // coroutines waiting for a connection
};

class Pool;        // db/pool.hpp
class Connection;  // db/connection.hpp

// A connection borrowed from a pool; returned (or discarded when broken) on destruction.
class Lease {
 public:
  Lease() = default;
  Lease(Pool* pool, Connection* conn) : pool_(pool), conn_(conn) {}
  Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(o.conn_) { o.pool_ = nullptr; o.conn_ = nullptr; }
  Lease& operator=(Lease&& o) noexcept;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();
  Connection* operator->() const { return conn_; }
  Connection& operator*() const { return *conn_; }
  explicit operator bool() const { return conn_ != nullptr; }

 private:
  void release();
  Pool* pool_ = nullptr;
  Connection* conn_ = nullptr;
};

class Tx {
 public:
  explicit Tx(Lease lease) : lease_(std::move(lease)) {}
  Task<Result> query(const Query& q, Params p = {});
  Task<Result> query(std::string_view sql, Params p = {});  // dynamic SQL (filters); still parameterised
  Task<void> exec_script(std::string_view sql);              // several statements, no parameters

  // Used by Db::transaction.
  Task<void> begin(std::string_view isolation = {});
  Task<void> commit();
  Task<void> rollback() noexcept;

 private:
  Lease lease_;
};

class Db {
 public:
  // One pool per io_context, in worker order.
  Db(PoolConfig cfg, std::vector<boost::asio::io_context*> workers);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Task<Result> query(const Query& q, Params p = {});
  Task<Result> query(std::string_view sql, Params p = {});
  Task<void> exec_script(std::string_view sql);
  Task<Lease> acquire();  // a connection of the calling worker's pool

  // Runs fn(tx) between BEGIN and COMMIT; any exception rolls back and propagates.
  template <class F>
  auto transaction(F&& fn) -> std::invoke_result_t<F&, Tx&>;

  Task<bool> ping();        // SELECT 1 with a short timeout; false when unreachable
  PoolStats stats() const;  // summed over every worker's pool
  const PoolConfig& config() const { return cfg_; }
  void close();             // closes idle connections and refuses new acquires

 private:
  Pool& pool();
  PoolConfig cfg_;
  std::vector<std::unique_ptr<Pool>> pools_;
};

namespace detail {
template <class T>
struct task_value;
template <class T>
struct task_value<boost::asio::awaitable<T>> {
  using type = T;
};
}  // namespace detail

template <class F>
auto Db::transaction(F&& fn) -> std::invoke_result_t<F&, Tx&> {
  using T = typename detail::task_value<std::invoke_result_t<F&, Tx&>>::type;
  Tx tx(co_await acquire());
  co_await tx.begin();
  std::exception_ptr failure;
  if constexpr (std::is_void_v<T>) {
    try {
      co_await fn(tx);
    } catch (...) {
      failure = std::current_exception();
    }
    if (failure) {
      co_await tx.rollback();
      std::rethrow_exception(failure);
    }
    co_await tx.commit();
  } else {
    std::optional<T> out;
    try {
      out.emplace(co_await fn(tx));
    } catch (...) {
      failure = std::current_exception();
    }
    if (failure) {
      co_await tx.rollback();
      std::rethrow_exception(failure);
    }
    co_await tx.commit();
    co_return std::move(*out);
  }
}

}  // namespace netops::db
