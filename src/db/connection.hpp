#pragma once
// One libpq connection, driven asynchronously by the io_context of its pool: libpq runs in
// non-blocking mode and the coroutine waits on its socket through a stream_descriptor.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/task.hpp"
#include "db/db.hpp"
#include "db/query.hpp"

struct pg_conn;

namespace netops::db {

// True when every statement of `sql` is transaction control (BEGIN, START TRANSACTION, COMMIT, END,
// ROLLBACK, ABORT, SAVEPOINT, RELEASE — any case, ';'-separated): one quick round trip, bounded like a
// parameterised statement (Connection::run).
bool transaction_control(std::string_view sql);

class Connection {
 public:
  using Clock = std::chrono::steady_clock;

  Connection(boost::asio::io_context& io, const PoolConfig& cfg);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Opens (or re-opens) the session; AppError(service_unavailable) when the server cannot be reached
  // by `deadline`.
  Task<void> connect(Clock::time_point deadline);

  // A named query is prepared once per session, then executed by name.
  Task<Result> query(const Query& q, const Params& p);
  Task<Result> query(std::string_view sql, const Params& p);
  // Several statements in one round trip (simple protocol, no parameters); used by migrations.
  Task<void> exec_script(std::string_view sql);

  // A broken connection is dropped by the pool instead of being reused.
  bool broken() const { return broken_; }
  void mark_broken() { broken_ = true; }
  // Open, healthy and outside any transaction: safe to hand to the next borrower.
  bool reusable() const;
  // Cheap non-blocking check before an idle connection is handed out: reads whatever the server sent
  // while it sat idle (e.g. a termination notice) and reports whether the session is still usable.
  bool idle_alive();
  // Called by the pool when an idle connection is lent again: the first statement after it may be
  // retried once on a fresh session if the old one turns out dead before answering.
  void on_checkout() { fresh_checkout_ = true; }
  bool in_transaction() const;
  int backend_pid() const;
  // Server message of the last failed statement; for operator logs (migrations), never for clients.
  const std::string& last_error() const { return last_error_; }
  // Every socket wait gives up at this time (ping); the connection is then broken.
  void set_deadline(std::optional<Clock::time_point> d) { deadline_ = d; }
  std::size_t prepared_count() const { return prepared_.size(); }

 private:
  struct Outcome;
  struct Prepared {
    std::string statement;  // server-side name, "s1", "s2", …
    std::string sql;
  };

  Task<Result> run(const Query* named, std::string_view sql, const Params* params);
  Task<Outcome> attempt(const Query* named, std::string_view sql, const Params* params);
  Task<Outcome> finish(bool sent);
  Task<bool> flush();
  Task<bool> collect(std::vector<Result>& out, std::string& lost_reason);
  Task<bool> wait(boost::asio::posix::stream_descriptor::wait_type w);
  [[noreturn]] void fail_connect(const std::string& why);
  Task<std::string> resolve_host(Clock::time_point deadline);
  bool attach();
  void detach();
  void close();

  const PoolConfig& cfg_;
  pg_conn* conn_ = nullptr;
  boost::asio::posix::stream_descriptor sd_;
  boost::asio::steady_timer timer_;
  std::optional<Clock::time_point> deadline_;
  std::map<std::string, Prepared, std::less<>> prepared_;  // by Query::name
  unsigned next_statement_ = 0;
  bool broken_ = true;  // until connected
  bool fresh_checkout_ = false;
  bool raised_timeout_ = false;  // this transaction raised statement_timeout: no client-side backstop
  static constexpr int kBackstopGraceMs = 1000;  // client gives up this long after statement_timeout
  std::string last_error_;
};

}  // namespace netops::db
