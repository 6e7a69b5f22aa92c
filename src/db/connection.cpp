#include "db/connection.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <atomic>
#include <cctype>
#include <iterator>
#include <cstdint>
#include <utility>
#include <vector>

#include "db/errors.hpp"

namespace netops::db {

namespace asio = boost::asio;
using Sd = asio::posix::stream_descriptor;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

// SQLSTATEs that mean the session itself is gone (class 08 connection exception, 57P0x shutdown or
// termination): the connection is discarded rather than the statement reported as failed.
bool session_lost(const char* state) {
  if (!state) return false;
  std::string_view s(state);
  return s.starts_with("08") || s.starts_with("57P");
}

std::string trimmed(const char* msg) {
  std::string s = msg ? msg : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string label_of(const Query* named, std::string_view sql) {
  if (named) return std::string(named->name);
  return std::string(sql.substr(0, 80));  // placeholders only: no values in dynamic SQL
}

void on_notice(void*, const char* message) { spdlog::debug("db: server notice: {}", trimmed(message)); }

// Options the URL set are kept; ours come first so the URL can still override a setting.
std::string session_options(const PoolConfig& cfg) {
  std::string opts = "-c statement_timeout=" + std::to_string(cfg.statement_timeout_ms) +
                     " -c TimeZone=UTC -c DateStyle=ISO";
  char* err = nullptr;
  if (PQconninfoOption* parsed = PQconninfoParse(cfg.url.c_str(), &err)) {
    for (auto* o = parsed; o->keyword; ++o)
      if (std::string_view(o->keyword) == "options" && o->val && *o->val) opts += std::string(" ") + o->val;
    PQconninfoFree(parsed);
  }
  if (err) PQfreemem(err);
  return opts;
}

}  // namespace

struct Connection::Outcome {
  enum State { ok, server_error, lost } state = ok;
  Result result;                 // the statement's result, or its error result
  bool server_answered = false;  // anything but a termination notice came back: a retry could run it twice
  std::string reason;            // why the session was lost (libpq's words), for the log
};

Connection::Connection(asio::io_context& io, const PoolConfig& cfg) : cfg_(cfg), sd_(io), timer_(io) {}

Connection::~Connection() { close(); }

void Connection::close() {
  detach();
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  broken_ = true;
  prepared_.clear();
  next_statement_ = 0;
}

// The descriptor only watches libpq's socket; release() hands the fd back without closing it.
void Connection::detach() {
  if (sd_.is_open()) sd_.release();
}

bool Connection::attach() {
  detach();
  boost::system::error_code ec;
  sd_.assign(PQsocket(conn_), ec);
  return !ec;
}

bool Connection::reusable() const {
  return !broken_ && conn_ && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

bool Connection::in_transaction() const {
  return conn_ && PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

int Connection::backend_pid() const { return conn_ ? PQbackendPID(conn_) : 0; }

bool Connection::idle_alive() {
  if (!reusable()) return false;
  // A terminated backend sends its FATAL notice and then closes; libpq reads one chunk per call, so
  // keep reading (a few times at most) to see the end of stream behind the notice.
  for (int i = 0; i < 4; ++i) {
    pollfd p{PQsocket(conn_), POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) break;
    if (!PQconsumeInput(conn_) || PQstatus(conn_) != CONNECTION_OK) {
      spdlog::warn("db: idle connection lost: {}", trimmed(PQerrorMessage(conn_)));
      broken_ = true;
      break;
    }
  }
  return reusable();
}

void Connection::fail_connect(const std::string& why) {
  // While the server is down every request tries to connect: warn once per few seconds, not per request.
  static std::atomic<std::int64_t> last_warned{0};
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
  std::int64_t prev = last_warned.load();
  if (now - prev >= 5 && last_warned.compare_exchange_strong(prev, now))
    spdlog::warn("db: cannot connect to PostgreSQL: {}", why);
  else
    spdlog::debug("db: cannot connect to PostgreSQL: {}", why);
  close();
  throw_unavailable();
}

// libpq resolves a host name with a blocking getaddrinfo inside PQconnectPoll, on the worker's thread.
// So a single TCP host given by name is resolved here with Asio's resolver (its own thread) and passed as
// hostaddr (host stays for TLS and .pgpass); "" leaves it to libpq (IPs, Unix sockets, host lists).
// Returns "host,host…\naddr,addr…".
Task<std::string> Connection::resolve_host(Clock::time_point deadline) {
  PQconninfoOption* parsed = PQconninfoParse(cfg_.url.c_str(), nullptr);
  if (!parsed) co_return std::string();
  std::string host, hostaddr;
  for (auto* o = parsed; o->keyword; ++o) {
    if (!o->val) continue;
    if (std::string_view(o->keyword) == "host") host = o->val;
    if (std::string_view(o->keyword) == "hostaddr") hostaddr = o->val;
  }
  PQconninfoFree(parsed);
  if (host.empty() || !hostaddr.empty() || host.front() == '/' || host.front() == '@' ||
      host.find(',') != std::string::npos)
    co_return std::string();
  boost::system::error_code numeric;
  asio::ip::make_address(host, numeric);
  if (!numeric) co_return std::string();
  using namespace asio::experimental::awaitable_operators;
  asio::ip::tcp::resolver resolver(timer_.get_executor());
  timer_.expires_at(deadline);
  auto r = co_await (resolver.async_resolve(host, "", kAwait) || timer_.async_wait(kAwait));
  if (r.index() != 0) fail_connect("resolving " + host + " timed out");
  auto [ec, results] = std::get<0>(r);
  if (ec || results.empty()) fail_connect("could not resolve host \"" + host + "\": " + ec.message());
  // Every address (up to 4), as libpq would try them: host repeated once per hostaddr entry.
  std::string hosts, addrs;
  int n = 0;
  for (auto& e : results) {
    auto a = e.endpoint().address().to_string();
    if (addrs.find(a) != std::string::npos) continue;
    hosts += (n ? "," : "") + host;
    addrs += (n ? "," : "") + a;
    if (++n == 4) break;
  }
  co_return hosts + "\n" + addrs;
}

Task<void> Connection::connect(Clock::time_point deadline) {
  close();
  const std::string options = session_options(cfg_);
  const std::string resolved = co_await resolve_host(deadline);  // "hosts\naddresses" or ""
  const auto nl = resolved.find('\n');
  const std::string hosts = nl == std::string::npos ? "" : resolved.substr(0, nl);
  const std::string addrs = nl == std::string::npos ? "" : resolved.substr(nl + 1);
  // Keywords before "dbname" are defaults the URL may override; "options" (and host/hostaddr) after it
  // override the URL.
  const char* keys[] = {"application_name", "keepalives_idle", "keepalives_interval", "keepalives_count",
                        "dbname", "options", addrs.empty() ? nullptr : "host", "hostaddr", nullptr};
  const char* vals[] = {"netops-gateway", "30", "10", "3", cfg_.url.c_str(), options.c_str(),
                        addrs.empty() ? nullptr : hosts.c_str(), addrs.c_str(), nullptr};
  conn_ = PQconnectStartParams(keys, vals, /*expand_dbname=*/1);
  if (!conn_) fail_connect("out of memory");
  if (PQstatus(conn_) == CONNECTION_BAD) fail_connect(trimmed(PQerrorMessage(conn_)));
  PQsetNoticeProcessor(conn_, &on_notice, nullptr);

  const auto saved = std::exchange(deadline_, deadline_ ? std::min(*deadline_, deadline) : deadline);
  PostgresPollingStatusType st = PGRES_POLLING_WRITING;  // as libpq says to start
  std::string why;
  while (st != PGRES_POLLING_OK) {
    if (st == PGRES_POLLING_FAILED) {
      why = trimmed(PQerrorMessage(conn_));
      break;
    }
    // libpq may switch sockets while it tries addresses or falls back from SSL: watch the current one.
    if (st != PGRES_POLLING_ACTIVE) {
      if (!attach()) {
        why = "invalid socket";
        break;
      }
      if (!co_await wait(st == PGRES_POLLING_READING ? Sd::wait_read : Sd::wait_write)) {
        why = Clock::now() >= *deadline_ ? "connect timed out" : "socket wait failed";
        break;
      }
    }
    st = PQconnectPoll(conn_);
  }
  deadline_ = saved;
  if (!why.empty()) fail_connect(why);
  if (PQsetnonblocking(conn_, 1) != 0 || !attach()) fail_connect(trimmed(PQerrorMessage(conn_)));
  broken_ = false;
}

Task<bool> Connection::wait(Sd::wait_type w) {
  using namespace asio::experimental::awaitable_operators;
  if (!deadline_) {
    auto [ec] = co_await sd_.async_wait(w, kAwait);
    co_return !ec;
  }
  if (Clock::now() >= *deadline_) co_return false;
  timer_.expires_at(*deadline_);
  auto r = co_await (sd_.async_wait(w, kAwait) || timer_.async_wait(kAwait));
  co_return r.index() == 0 && !std::get<0>(std::get<0>(r));
}

Task<bool> Connection::flush() {
  for (;;) {
    int r = PQflush(conn_);
    if (r == 0) co_return true;
    if (r < 0 || !co_await wait(Sd::wait_write)) co_return false;
    // Read what the server sent meanwhile so neither side blocks on a full buffer.
    if (!PQconsumeInput(conn_)) co_return false;
  }
}

Task<bool> Connection::collect(std::vector<Result>& out, std::string& lost_reason) {
  for (;;) {
    while (PQisBusy(conn_)) {
      if (!co_await wait(Sd::wait_read)) {
        lost_reason = deadline_ && Clock::now() >= *deadline_ ? "timed out" : "socket wait failed";
        co_return false;
      }
      if (!PQconsumeInput(conn_)) co_return false;
    }
    PGresult* r = PQgetResult(conn_);
    if (!r) break;
    auto st = PQresultStatus(r);
    out.emplace_back(r);
    if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
      lost_reason = "COPY is not supported";  // libpq would wait for copy data forever
      co_return false;
    }
  }
  co_return PQstatus(conn_) == CONNECTION_OK;
}

Task<Connection::Outcome> Connection::finish(bool sent) {
  Outcome out;
  std::vector<Result> results;
  bool alive = sent && co_await flush() && co_await collect(results, out.reason);
  for (auto& r : results) {
    auto st = PQresultStatus(r.get());
    if (st == PGRES_FATAL_ERROR || st == PGRES_NONFATAL_ERROR) {
      const char* state = PQresultErrorField(r.get(), PG_DIAG_SQLSTATE);
      if (session_lost(state)) {
        alive = false;
        out.reason = trimmed(PQresultErrorMessage(r.get()));
        continue;
      }
      if (out.state != Outcome::server_error) out.result = r;  // the first error explains the failure
      out.state = Outcome::server_error;
    } else if (out.state == Outcome::ok) {
      out.result = r;  // a script answers once per statement; the last one stands for it
    }
    out.server_answered = true;
  }
  if (!alive) {
    out.state = Outcome::lost;
    if (out.reason.empty()) out.reason = trimmed(PQerrorMessage(conn_));
  }
  co_return out;
}

Task<Connection::Outcome> Connection::attempt(const Query* named, std::string_view sql, const Params* params) {
  if (!params) co_return co_await finish(PQsendQuery(conn_, std::string(sql).c_str()) == 1);

  std::vector<const char*> values;
  values.reserve(params->size());
  for (const auto& v : params->values()) values.push_back(v ? v->c_str() : nullptr);
  const int n = static_cast<int>(values.size());

  auto it = named ? prepared_.find(named->name) : prepared_.end();
  if (named && it != prepared_.end() && it->second.sql != named->sql) {
    spdlog::warn("db: query name `{}` is used for two different statements; running it unprepared", named->name);
    named = nullptr;
  }
  if (!named)
    co_return co_await finish(
        PQsendQueryParams(conn_, std::string(sql).c_str(), n, nullptr, values.data(), nullptr, nullptr, 0) == 1);

  if (it == prepared_.end()) {
    std::string statement = "s" + std::to_string(++next_statement_);
    Outcome prep = co_await finish(
        PQsendPrepare(conn_, statement.c_str(), std::string(named->sql).c_str(), 0, nullptr) == 1);
    if (prep.state != Outcome::ok) co_return prep;
    it = prepared_.emplace(std::string(named->name), Prepared{std::move(statement), std::string(named->sql)}).first;
  }
  co_return co_await finish(
      PQsendQueryPrepared(conn_, it->second.statement.c_str(), n, values.data(), nullptr, nullptr, 0) == 1);
}

bool transaction_control(std::string_view sql) {
  static constexpr std::string_view kControl[] = {"BEGIN", "START TRANSACTION", "COMMIT", "END",
                                                   "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE"};
  bool any = false;
  while (!sql.empty()) {
    auto semi = sql.find(';');
    auto stmt = sql.substr(0, semi);
    sql = semi == std::string_view::npos ? std::string_view{} : sql.substr(semi + 1);
    auto first = stmt.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) continue;  // empty, e.g. after the last ';'
    stmt.remove_prefix(first);
    bool known = std::any_of(std::begin(kControl), std::end(kControl), [&](std::string_view k) {
      if (stmt.size() < k.size()) return false;
      for (std::size_t i = 0; i < k.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(stmt[i])) != k[i]) return false;
      return stmt.size() == k.size() || !std::isalnum(static_cast<unsigned char>(stmt[k.size()]));
    });
    if (!known) return false;
    any = true;
  }
  return any;
}

Task<Result> Connection::run(const Query* named, std::string_view sql, const Params* params) {
  last_error_.clear();
  if (broken_ || !conn_) {
    spdlog::warn("db: statement `{}` on a broken connection", label_of(named, sql));
    throw_unavailable();
  }
  // A server that stops answering without closing (a frozen host, a partition: TCP keepalive cannot tell)
  // never fires its own statement_timeout, so the client gives up a little after it (503) — unless the
  // caller set its own deadline, or this transaction raised the timeout (SET LOCAL statement_timeout /
  // set_config): then the server's timeout is all there is. Every round trip of a transaction is covered:
  // parameterised statements and the transaction-control scripts (BEGIN, ROLLBACK, SAVEPOINT, RELEASE;
  // COMMIT is parameterised, Tx::commit). Other scripts (migrations, which lift the session's timeout and
  // may wait on the advisory lock or run long DDL) get no backstop.
  if (raised_timeout_ && PQtransactionStatus(conn_) == PQTRANS_IDLE) raised_timeout_ = false;
  if (sql.find("statement_timeout") != std::string_view::npos) raised_timeout_ = true;
  struct Backstop {
    std::optional<Clock::time_point>& deadline;
    bool on;
    ~Backstop() {
      if (on) deadline.reset();
    }
  } backstop{deadline_, !deadline_ && (params || transaction_control(sql)) && !raised_timeout_ &&
                            cfg_.statement_timeout_ms > 0};
  if (backstop.on) deadline_ = Clock::now() + std::chrono::milliseconds(cfg_.statement_timeout_ms + kBackstopGraceMs);
  // Only an autocommit statement right after an idle spell may be retried: inside a transaction the
  // earlier statements died with the session, and a statement the server answered may have run.
  const bool may_retry = std::exchange(fresh_checkout_, false) && PQtransactionStatus(conn_) == PQTRANS_IDLE;
  for (int round = 0;; ++round) {
    Outcome out = co_await attempt(named, sql, params);
    if (out.state == Outcome::ok) co_return std::move(out.result);
    if (out.state == Outcome::server_error) {
      last_error_ = trimmed(PQresultErrorMessage(out.result.get()));
      // "cached plan must not change result type" (a table changed under a prepared statement) fails
      // on every later execution: forget the statement so the next call prepares it afresh.
      const char* state = PQresultErrorField(out.result.get(), PG_DIAG_SQLSTATE);
      if (named && state && std::string_view(state) == "0A000")
        if (auto it = prepared_.find(named->name); it != prepared_.end()) prepared_.erase(it);
      throw_pg_error(out.result.get(), label_of(named, sql));
    }
    broken_ = true;
    if (round == 0 && may_retry && !out.server_answered) {
      spdlog::warn("db: connection lost before `{}` was answered ({}); retrying on a new connection",
                   label_of(named, sql), out.reason);
      co_await connect(Clock::now() + std::chrono::milliseconds(cfg_.connect_timeout_ms));
      continue;
    }
    spdlog::warn("db: connection lost during `{}`: {}", label_of(named, sql), out.reason);
    last_error_ = out.reason;
    throw_unavailable();
  }
}

Task<Result> Connection::query(const Query& q, const Params& p) { return run(&q, q.sql, &p); }

Task<Result> Connection::query(std::string_view sql, const Params& p) { return run(nullptr, sql, &p); }

Task<void> Connection::exec_script(std::string_view sql) { co_await run(nullptr, sql, nullptr); }

}  // namespace netops::db
