// The libpq pool against a real PostgreSQL: typed values, prepared queries, transactions, error
// mapping, pool limits, reconnects, ping and migrations. Each coroutine runs on a local io_context as
// worker 0.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <cstdlib>
#include <future>
#include <limits>
#include <set>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/worker.hpp"
#include "db/array.hpp"
#include "db/connection.hpp"
#include "db/db.hpp"
#include "db/migrations.hpp"
#include "support/test_env.hpp"

namespace {

namespace asio = boost::asio;
using namespace netops;
using namespace netops::db;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

template <class T>
T run(asio::io_context& io, Task<T> task) {
  set_current_worker(0);
  auto done = asio::co_spawn(io, std::move(task), asio::use_future);
  io.restart();
  io.run();
  return done.get();
}

Task<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

// The AppError a task throws (fails the test when it throws nothing or something else).
template <class T>
AppError error_of(asio::io_context& io, Task<T> task) {
  try {
    run(io, std::move(task));
  } catch (const AppError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an AppError";
  return AppError(ErrorCode::internal, "none");
}

Task<Result> sql(Db& db, std::string_view text, Params p = {}) { return db.query(text, std::move(p)); }

class DbTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    url_ = test::create_database("db");
    test::exec_sql(url_,
                   "CREATE TABLE items (id SERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INT CHECK (qty >= 0));"
                   "CREATE TABLE parent (id INT PRIMARY KEY);"
                   "CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NOT NULL REFERENCES parent(id));");
  }
  static void TearDownTestSuite() { test::drop_database(url_); }

  static PoolConfig config(std::size_t size = 2) {
    PoolConfig c;
    c.url = url_;
    c.size_per_worker = size;
    c.acquire_timeout_ms = 2000;
    return c;
  }

  asio::io_context io;
  static inline std::string url_;
};

TEST_F(DbTest, TypedValuesRoundTrip) {
  Db db(config(), {&io});
  const std::string uuid = new_uuid();
  auto r = run(io, sql(db,
                       "SELECT $1::text AS t, $2::int AS i, $3::bigint AS b, $4::float8 AS d, $5::bool AS flag, "
                       "$6::jsonb AS j, $7::uuid AS u, $8::inet AS ip, $9::numeric AS n, $10::timestamptz AS ts, "
                       "$11::date AS dt, $12::text AS nul, '2026-01-02 03:04:05+00'::timestamptz AS whole",
                       Params(std::string("héllo"), 42, std::int64_t{9007199254740993}, 0.1, true,
                              nlohmann::json{{"a", 1}}, uuid, "10.0.0.1", "12.3400", "2026-11-25T03:47:56.123456Z",
                              "2026-11-25", std::nullopt)));
  ASSERT_EQ(r.size(), 1);
  auto row = r.front();
  EXPECT_EQ(row.get<std::string>("t"), "héllo");
  EXPECT_EQ(row.get<int>("i"), 42);
  EXPECT_EQ(row.get<std::int64_t>("b"), 9007199254740993);
  EXPECT_EQ(row.get<double>("d"), 0.1);
  EXPECT_TRUE(row.get<bool>("flag"));
  EXPECT_EQ(row.get<nlohmann::json>("j"), (nlohmann::json{{"a", 1}}));
  EXPECT_EQ(row.get<std::string>("u"), uuid);
  EXPECT_EQ(row.get<std::string>("ip"), "10.0.0.1");
  EXPECT_EQ(row.get<std::string>("n"), "12.3400");
  EXPECT_EQ(row.timestamp("ts"), "2026-11-25T03:47:56.123456Z");
  EXPECT_EQ(row.timestamp("whole"), "2026-01-02T03:04:05Z");
  EXPECT_EQ(row.get<std::string>("dt"), "2026-11-25");
  EXPECT_TRUE(row.is_null("nul"));
  EXPECT_EQ(row.opt<std::string>("nul"), std::nullopt);
  EXPECT_EQ(row.timestamp("nul"), nullptr);
  try {
    row.get<std::string>("nul");
    ADD_FAILURE() << "NULL read as a value";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nul"), std::string::npos);
  }
  EXPECT_THROW(row.column("missing"), std::out_of_range);

  EXPECT_EQ(row.json("i"), 42);
  EXPECT_EQ(row.json("b"), 9007199254740993);
  EXPECT_EQ(row.json("d"), 0.1);
  EXPECT_EQ(row.json("flag"), true);
  EXPECT_EQ(row.json("j"), (nlohmann::json{{"a", 1}}));
  EXPECT_EQ(row.json("n"), "12.3400");  // exact decimal, never a double
  EXPECT_EQ(row.json("ts"), "2026-11-25T03:47:56.123456Z");
  EXPECT_EQ(row.json("u"), uuid);
  EXPECT_EQ(row.json("nul"), nullptr);
}

// Array literals read back element for element by PostgreSQL: the characters array syntax gives meaning to
// (quotes, backslashes, commas, braces, blanks, the word NULL) stay text, a missing value is NULL, and bytes
// text cannot hold (NUL, malformed UTF-8) become '?' instead of making the whole array unreadable.
TEST_F(DbTest, ArrayLiteralsRoundTrip) {
  Db db(config(), {&io});
  const std::vector<std::optional<std::string>> texts = {
      "plain", "quo\"te", "back\\slash", "a,b", "{brace}", " padded ", "NULL", "", "héllo ✓", std::nullopt};
  ArrayLiteral numbers, flags, odd;
  numbers.number(-9007199254740993).number(0).null();
  flags.boolean(true).boolean(false);
  odd.text(std::string("nul\0byte", 8)).text("bad \xC3( utf8");
  auto r = run(io, sql(db,
                       "SELECT t, n, f, o FROM unnest($1::text[]) WITH ORDINALITY AS x(t, i) "
                       "LEFT JOIN unnest($2::bigint[], $3::bool[], $4::text[]) WITH ORDINALITY AS y(n, f, o, j) ON j = i "
                       "ORDER BY i",
                       Params(array_literal(texts), numbers.done(), flags.done(), odd.done())));
  ASSERT_EQ(r.size(), static_cast<int>(texts.size()));
  for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(r[static_cast<int>(i)].opt<std::string>("t"), texts[i]) << i;
  EXPECT_EQ(r[0].get<std::int64_t>("n"), -9007199254740993);
  EXPECT_EQ(r[1].get<std::int64_t>("n"), 0);
  EXPECT_TRUE(r[2].is_null("n"));
  EXPECT_TRUE(r[0].get<bool>("f"));
  EXPECT_FALSE(r[1].get<bool>("f"));
  EXPECT_EQ(r[0].get<std::string>("o"), "nul?byte");
  EXPECT_EQ(r[1].get<std::string>("o"), "bad ?( utf8");
  EXPECT_EQ(array_literal({}), "{}");
}

TEST_F(DbTest, ParamsFormatting) {
  Params p(0.1, 1e300, -2.5, std::numeric_limits<double>::quiet_NaN(), std::optional<int>(5), std::optional<int>());
  ASSERT_EQ(p.size(), 6u);
  EXPECT_EQ(p.values()[0], "0.1");
  EXPECT_EQ(p.values()[1], "1e+300");
  EXPECT_EQ(p.values()[2], "-2.5");
  EXPECT_EQ(p.values()[3], "NaN");
  EXPECT_EQ(p.values()[4], "5");
  EXPECT_EQ(p.values()[5], std::nullopt);
  EXPECT_EQ(p.next_placeholder(), "$7");

  Db db(config(), {&io});
  auto r = run(io, sql(db, "SELECT $1::int AS a, $2::int IS NULL AS b, $3::float8 AS c",
                       Params(std::optional<int>(5), std::optional<int>(), 1e300)));
  EXPECT_EQ(r.front().get<int>("a"), 5);
  EXPECT_TRUE(r.front().get<bool>("b"));
  EXPECT_EQ(r.front().get<double>("c"), 1e300);
}

TEST_F(DbTest, NamedQueryIsPreparedOncePerConnection) {
  Db db(config(1), {&io});
  static constexpr Query kAdd{"test.add", "SELECT $1::int + $2::int AS s"};
  run(io, [&]() -> Task<void> {
    Lease lease = co_await db.acquire();
    EXPECT_EQ((co_await lease->query(kAdd, Params(1, 2))).front().get<int>("s"), 3);
    EXPECT_EQ((co_await lease->query(kAdd, Params(10, 20))).front().get<int>("s"), 30);
    EXPECT_EQ(lease->prepared_count(), 1u);
    auto n = co_await lease->query(std::string_view("SELECT count(*) FROM pg_prepared_statements"), Params{});
    EXPECT_EQ(n.front().get<std::int64_t>(0), 1);
    // One name, other SQL: still answers correctly (unprepared) instead of running the wrong statement.
    auto other = co_await lease->query(Query{"test.add", "SELECT $1::int * $2::int AS s"}, Params(3, 4));
    EXPECT_EQ(other.front().get<int>("s"), 12);
  }());
  // The next borrower gets the same session, still prepared.
  EXPECT_EQ(run(io, db.query(kAdd, Params(2, 2))).front().get<int>(0), 4);
}

TEST_F(DbTest, PreparedStatementAfterSchemaChange) {
  Db db(config(1), {&io});
  test::exec_sql(url_, "CREATE TABLE shape (a INT); INSERT INTO shape VALUES (1)");
  static constexpr Query kShape{"test.shape", "SELECT * FROM shape"};
  EXPECT_EQ(run(io, db.query(kShape)).columns(), 1);
  test::exec_sql(url_, "ALTER TABLE shape ADD COLUMN b INT");
  // PostgreSQL refuses the old plan once ("cached plan must not change result type"); then it is re-prepared.
  EXPECT_EQ(error_of(io, db.query(kShape)).code(), ErrorCode::internal);
  EXPECT_EQ(run(io, db.query(kShape)).columns(), 2);
}

TEST_F(DbTest, OnePoolPerWorker) {
  asio::io_context second;
  Db db(config(2), {&io, &second});
  auto work = [&](asio::io_context& ctx, std::size_t index) {
    set_current_worker(index);
    auto sum_up = [&]() -> Task<int> {  // named: the closure must outlive the coroutine
      int sum = 0;
      for (int i = 0; i < 20; ++i)
        sum += (co_await db.query(std::string_view("SELECT $1::int"), Params(i))).front().get<int>(0);
      co_return sum;
    };
    auto done = asio::co_spawn(ctx, sum_up(), asio::use_future);
    ctx.run();
    return done.get();
  };
  auto other = std::async(std::launch::async, [&] { return work(second, 1); });
  EXPECT_EQ(work(io, 0), 190);
  EXPECT_EQ(other.get(), 190);
  auto s = db.stats();
  EXPECT_EQ(s.total, 2u);  // one warm connection in each worker's pool
  EXPECT_EQ(s.idle, 2u);
}

TEST_F(DbTest, TransactionCommits) {
  Db db(config(), {&io});
  int id = run(io, db.transaction([](Tx& tx) -> Task<int> {
    auto r = co_await tx.query(std::string_view("INSERT INTO items (name, qty) VALUES ($1, $2) RETURNING id"),
                               Params("committed", 1));
    co_await tx.exec_script("SELECT 1; SELECT 2");
    co_return r.front().get<int>("id");
  }));
  auto r = run(io, sql(db, "SELECT name FROM items WHERE id = $1", Params(id)));
  ASSERT_EQ(r.size(), 1);
  EXPECT_EQ(r.front().get<std::string>(0), "committed");
  EXPECT_EQ(db.stats().in_use, 0u);
}

TEST_F(DbTest, TransactionRollsBackOnException) {
  Db db(config(), {&io});
  EXPECT_THROW(run(io, db.transaction([](Tx& tx) -> Task<void> {
                 co_await tx.query(std::string_view("INSERT INTO items (name) VALUES ($1)"), Params("rolled back"));
                 throw std::runtime_error("boom");
               })),
               std::runtime_error);
  EXPECT_TRUE(run(io, sql(db, "SELECT 1 FROM items WHERE name = 'rolled back'")).empty());
  auto s = db.stats();
  EXPECT_EQ(s.in_use, 0u);
  EXPECT_EQ(s.idle, s.total);  // rolled back cleanly, so the connection was kept
}

TEST_F(DbTest, IsolationLevelAndSwallowedErrors) {
  Db db(config(), {&io});
  run(io, [&]() -> Task<void> {
    Tx tx(co_await db.acquire());
    co_await tx.begin("serializable");
    auto r = co_await tx.query(std::string_view("SHOW transaction_isolation"));
    EXPECT_EQ(r.front().get<std::string>(0), "serializable");
    co_await tx.commit();
  }());
  EXPECT_THROW(run(io, [&]() -> Task<void> {
                 Tx tx(co_await db.acquire());
                 co_await tx.begin("SERIALIZABLE; DROP TABLE items");
               }()),
               std::invalid_argument);
  // A statement error swallowed inside the transaction must not turn into a silent "successful" commit.
  auto e = error_of(io, db.transaction([](Tx& tx) -> Task<void> {
    try {
      co_await tx.query(std::string_view("SELECT 1/0"));
    } catch (const AppError&) {
    }
  }));
  EXPECT_EQ(e.code(), ErrorCode::internal);
}

TEST_F(DbTest, ConstraintViolationsMapToErrorCodes) {
  Db db(config(), {&io});
  run(io, sql(db, "INSERT INTO items (name) VALUES ('dup')"));
  auto dup = error_of(io, sql(db, "INSERT INTO items (name) VALUES ($1)", Params("dup")));
  EXPECT_EQ(dup.code(), ErrorCode::conflict);
  EXPECT_EQ(dup.details()["constraint"], "items_name_key");
  EXPECT_NE(std::string(dup.what()).find("already exists"), std::string::npos);

  auto check = error_of(io, sql(db, "INSERT INTO items (name, qty) VALUES ('neg', -1)"));
  EXPECT_EQ(check.code(), ErrorCode::validation);
  EXPECT_EQ(check.details()["constraint"], "items_qty_check");

  auto null = error_of(io, sql(db, "INSERT INTO items (name) VALUES ($1)", Params(std::nullopt)));
  EXPECT_EQ(null.code(), ErrorCode::validation);
  EXPECT_EQ(null.details()["column"], "name");

  EXPECT_EQ(error_of(io, sql(db, "SELECT $1::uuid", Params("not-a-uuid"))).code(), ErrorCode::validation);
  EXPECT_EQ(error_of(io, sql(db, "SELECT $1::date", Params("2026-13-45"))).code(), ErrorCode::validation);
  EXPECT_EQ(error_of(io, sql(db, "SELECT $1::int", Params("99999999999"))).code(), ErrorCode::validation);
  EXPECT_EQ(error_of(io, sql(db, "SELECT * FROM no_such_table")).code(), ErrorCode::internal);

  auto missing = error_of(io, sql(db, "INSERT INTO child VALUES (1, 999)"));
  EXPECT_EQ(missing.code(), ErrorCode::unprocessable);
  EXPECT_EQ(missing.details()["constraint"], "child_parent_id_fkey");

  run(io, db.exec_script("INSERT INTO parent VALUES (7); INSERT INTO child VALUES (7, 7)"));
  auto referenced = error_of(io, sql(db, "DELETE FROM parent WHERE id = 7"));
  EXPECT_EQ(referenced.code(), ErrorCode::conflict);
  EXPECT_EQ(referenced.details()["constraint"], "child_parent_id_fkey");
  EXPECT_EQ(referenced.details()["table"], "child");
  EXPECT_EQ(db.stats().in_use, 0u);
}

TEST_F(DbTest, LockNotAvailableIsConflict) {
  Db db(config(), {&io});
  run(io, sql(db, "INSERT INTO items (name) VALUES ('locked')"));
  run(io, [&]() -> Task<void> {
    Lease a = co_await db.acquire();
    Lease b = co_await db.acquire();
    co_await a->exec_script("BEGIN; SELECT * FROM items WHERE name = 'locked' FOR UPDATE");
    std::optional<ErrorCode> code;
    try {
      co_await b->query(std::string_view("SELECT * FROM items WHERE name = 'locked' FOR UPDATE NOWAIT"), Params{});
    } catch (const AppError& e) {
      code = e.code();
    }
    EXPECT_EQ(code, ErrorCode::conflict);
    co_await a->exec_script("ROLLBACK");
  }());
}

TEST_F(DbTest, StatementTimeoutIsUnavailableAndKeepsTheConnection) {
  auto cfg = config(1);
  cfg.statement_timeout_ms = 100;
  Db db(cfg, {&io});
  auto e = error_of(io, sql(db, "SELECT pg_sleep(2)"));
  EXPECT_EQ(e.code(), ErrorCode::service_unavailable);
  EXPECT_STREQ(e.what(), "database query timed out");
  EXPECT_EQ(run(io, sql(db, "SELECT 5")).front().get<int>(0), 5);
  EXPECT_EQ(db.stats().total, 1u);
}

TEST_F(DbTest, ExhaustedPoolQueuesWaiters) {
  Db db(config(1), {&io});
  PoolStats during;
  auto slow = [&](int v) -> Task<int> {
    auto r = co_await db.query(std::string_view("SELECT $1::int FROM pg_sleep(0.2)"), Params(v));
    co_return r.front().get<int>(0);
  };
  // Samples the pool once one query runs and the other queues (or, failing that, at the deadline).
  auto probe = [&]() -> Task<void> {
    auto deadline = Clock::now() + 2s;
    for (during = db.stats(); !(during.in_use > 0 && during.waiting > 0) && Clock::now() < deadline;) {
      co_await sleep_for(2ms);
      during = db.stats();
    }
  };
  set_current_worker(0);
  auto a = asio::co_spawn(io, slow(1), asio::use_future);
  auto b = asio::co_spawn(io, slow(2), asio::use_future);
  auto c = asio::co_spawn(io, probe(), asio::use_future);
  io.run();
  EXPECT_EQ(a.get(), 1);
  EXPECT_EQ(b.get(), 2);
  c.get();
  EXPECT_EQ(during.total, 1u);
  EXPECT_EQ(during.in_use, 1u);
  EXPECT_EQ(during.waiting, 1u);
  auto after = db.stats();
  EXPECT_EQ(after.total, 1u);
  EXPECT_EQ(after.idle, 1u);
  EXPECT_EQ(after.in_use, 0u);
  EXPECT_EQ(after.waiting, 0u);
}

TEST_F(DbTest, AcquireTimesOut) {
  auto cfg = config(1);
  cfg.acquire_timeout_ms = 200;
  Db db(cfg, {&io});
  bool late_done = false;
  // Holds the only connection until `late` has its answer (or 5 s pass).
  auto hold = [&]() -> Task<void> {
    Lease lease = co_await db.acquire();
    for (auto deadline = Clock::now() + 5s; !late_done && Clock::now() < deadline;) co_await sleep_for(5ms);
  };
  auto late = [&]() -> Task<void> {
    for (auto deadline = Clock::now() + 2s; db.stats().in_use == 0 && Clock::now() < deadline;)
      co_await sleep_for(2ms);
    auto t0 = Clock::now();
    try {
      co_await db.query(std::string_view("SELECT 1"));
      ADD_FAILURE() << "acquired a connection the pool does not have";
    } catch (const AppError& e) {
      EXPECT_EQ(e.code(), ErrorCode::service_unavailable);
      EXPECT_STREQ(e.what(), "database unavailable");
    }
    auto waited = Clock::now() - t0;
    late_done = true;
    EXPECT_GE(waited, 150ms);
    EXPECT_LT(waited, 700ms);
  };
  set_current_worker(0);
  auto a = asio::co_spawn(io, hold(), asio::use_future);
  auto b = asio::co_spawn(io, late(), asio::use_future);
  io.run();
  a.get();
  b.get();
  EXPECT_EQ(db.stats().waiting, 0u);
}

TEST_F(DbTest, TerminatedBackendIsReplacedTransparently) {
  Db db(config(1), {&io});
  for (int round = 0; round < 3; ++round) {
    int pid = run(io, sql(db, "SELECT pg_backend_pid()")).front().get<int>(0);
    test::exec_sql(url_, "SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
    // Idle connection died: either the checkout check or the one retry hides it from the caller.
    int next = run(io, sql(db, "SELECT pg_backend_pid()")).front().get<int>(0);
    EXPECT_NE(next, pid);
    EXPECT_EQ(db.stats().total, 1u);
  }
  // A named (prepared) query survives too: it is prepared again on the new session.
  static constexpr Query kPid{"test.pid", "SELECT pg_backend_pid()"};
  int pid = run(io, db.query(kPid)).front().get<int>(0);
  test::exec_sql(url_, "SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
  EXPECT_NE(run(io, db.query(kPid)).front().get<int>(0), pid);
}

// Opt-in (it restarts the server): NETOPS_TEST_PG_RESTART is a shell command that restarts the
// PostgreSQL behind NETOPS_TEST_ADMIN_URL and returns once it accepts connections again.
TEST_F(DbTest, ServerRestart) {
  const std::string restart = test::env_or("NETOPS_TEST_PG_RESTART", "");
  if (restart.empty()) GTEST_SKIP() << "NETOPS_TEST_PG_RESTART is not set";
  Db db(config(2), {&io});
  auto busy = [&]() -> Task<void> {
    Lease a = co_await db.acquire();
    Lease b = co_await db.acquire();  // two sessions, both idle afterwards
  };
  run(io, busy());
  ASSERT_EQ(db.stats().idle, 2u);
  ASSERT_EQ(std::system(restart.c_str()), 0);
  int failures = 0;
  for (int i = 0; i < 3; ++i) {
    try {
      EXPECT_EQ(run(io, sql(db, "SELECT 1")).front().get<int>(0), 1);
    } catch (const AppError& e) {
      EXPECT_EQ(e.code(), ErrorCode::service_unavailable);
      ++failures;
    }
  }
  EXPECT_LE(failures, 1);
  EXPECT_EQ(db.stats().in_use, 0u);
}

TEST_F(DbTest, NoRetryInsideATransaction) {
  Db db(config(1), {&io});
  auto e = error_of(io, db.transaction([&](Tx& tx) -> Task<void> {
    int pid = (co_await tx.query(std::string_view("SELECT pg_backend_pid()"))).front().get<int>(0);
    test::exec_sql(url_, "SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
    // Wait until the backend is really gone (pg_terminate_backend only signals it).
    auto deadline = Clock::now() + 5s;
    while (test::exec_sql(url_, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + std::to_string(pid)) != "0" &&
           Clock::now() < deadline)
      co_await sleep_for(10ms);
    co_await tx.query(std::string_view("INSERT INTO items (name) VALUES ('lost tx')"));
  }));
  EXPECT_EQ(e.code(), ErrorCode::service_unavailable);
  EXPECT_STREQ(e.what(), "database unavailable");
  EXPECT_EQ(db.stats().total, 0u);  // the broken connection was dropped
  EXPECT_TRUE(run(io, sql(db, "SELECT 1 FROM items WHERE name = 'lost tx'")).empty());
}

TEST_F(DbTest, PingAndUnreachableServer) {
  Db db(config(), {&io});
  EXPECT_TRUE(run(io, db.ping()));

  PoolConfig bad;
  bad.url = "postgresql://postgres@127.0.0.1:" + std::to_string(test::free_port()) + "/postgres";
  Db down(bad, {&io});
  auto t0 = Clock::now();
  EXPECT_FALSE(run(io, down.ping()));
  EXPECT_LT(Clock::now() - t0, 1500ms);
  auto e = error_of(io, sql(down, "SELECT 1"));
  EXPECT_EQ(e.code(), ErrorCode::service_unavailable);
  EXPECT_STREQ(e.what(), "database unavailable");  // libpq's message stays in the log
  EXPECT_EQ(down.stats().total, 0u);
}

TEST_F(DbTest, SilentServerTimesOut) {
  // A listener that never accepts: TCP connects, but PostgreSQL's handshake is never answered.
  asio::ip::tcp::acceptor silent(io, {asio::ip::make_address("127.0.0.1"), 0});
  PoolConfig cfg;
  cfg.url = "postgresql://postgres@127.0.0.1:" + std::to_string(silent.local_endpoint().port()) +
            "/postgres?sslmode=disable";
  cfg.connect_timeout_ms = 300;
  Db db(cfg, {&io});
  auto t0 = Clock::now();
  EXPECT_EQ(error_of(io, sql(db, "SELECT 1")).code(), ErrorCode::service_unavailable);
  auto took = Clock::now() - t0;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 1s);
  cfg.connect_timeout_ms = 5000;  // ping still answers within about a second
  Db slow(cfg, {&io});
  t0 = Clock::now();
  EXPECT_FALSE(run(io, slow.ping()));
  took = Clock::now() - t0;
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 1500ms);
}

TEST_F(DbTest, CloseRefusesNewAcquires) {
  Db db(config(), {&io});
  run(io, sql(db, "SELECT 1"));
  db.close();
  EXPECT_EQ(db.stats().total, 0u);
  EXPECT_EQ(error_of(io, sql(db, "SELECT 1")).code(), ErrorCode::service_unavailable);
}

// ---- migrations: a fresh database per test ----

class MigrationTest : public ::testing::Test {
 protected:
  void SetUp() override { url_ = test::create_database("migr"); }
  void TearDown() override { test::drop_database(url_); }
  PoolConfig config() {
    PoolConfig c;
    c.url = url_;
    c.size_per_worker = 2;
    return c;
  }
  asio::io_context io;
  std::string url_;
};

const std::vector<Migration> kTwo = {
    {"0001_a.sql", "CREATE TABLE m_a (id INT PRIMARY KEY);\nINSERT INTO m_a VALUES (1);"},
    {"0002_b.sql", "CREATE TABLE m_b (id INT PRIMARY KEY);"},
};

TEST_F(MigrationTest, AppliesOnceInOrder) {
  Db db(config(), {&io});
  EXPECT_FALSE(run(io, migrations_applied(db, kTwo)));
  EXPECT_EQ(run(io, migrate(db, kTwo)), (std::vector<std::string>{"0001_a.sql", "0002_b.sql"}));
  EXPECT_TRUE(run(io, migrations_applied(db, kTwo)));
  EXPECT_TRUE(run(io, migrate(db, kTwo)).empty());
  auto rows = run(io, sql(db, "SELECT version, checksum FROM schema_migrations ORDER BY version"));
  ASSERT_EQ(rows.size(), 2);
  EXPECT_EQ(rows[0].get<std::string>("checksum"), sha256_hex(kTwo[0].sql));

  auto more = kTwo;
  more.push_back({"0003_c.sql", "CREATE TABLE m_c (id INT);"});
  EXPECT_FALSE(run(io, migrations_applied(db, more)));
  // An edited, already applied migration only warns.
  more[0].sql += "\n-- edited";
  EXPECT_EQ(run(io, migrate(db, more)), (std::vector<std::string>{"0003_c.sql"}));
  // The session's statement timeout is back after the migration lifted it.
  EXPECT_EQ(run(io, sql(db, "SHOW statement_timeout")).front().get<std::string>(0), "30s");
}

TEST_F(MigrationTest, ConcurrentRunsAreSerialized) {
  const std::vector<Migration> slow = {
      {"0001_slow.sql", "SELECT pg_sleep(0.3); CREATE TABLE m_slow (id INT);"},
      {"0002_b.sql", "CREATE TABLE m_b (id INT);"},
  };
  Db db(config(), {&io});
  set_current_worker(0);
  auto a = asio::co_spawn(io, migrate(db, slow), asio::use_future);
  auto b = asio::co_spawn(io, migrate(db, slow), asio::use_future);
  io.run();
  auto ra = a.get();
  auto rb = b.get();
  EXPECT_EQ(ra.size() + rb.size(), 2u);
  EXPECT_TRUE(ra.empty() || rb.empty());
  EXPECT_EQ(run(io, sql(db, "SELECT count(*) FROM schema_migrations")).front().get<int>(0), 2);
}

TEST_F(MigrationTest, FailingMigrationRollsBack) {
  const std::vector<Migration> bad = {
      {"0001_a.sql", "CREATE TABLE m_a (id INT);"},
      {"0002_bad.sql", "CREATE TABLE m_half (id INT);\nSELECT * FROM no_such_table;"},
  };
  Db db(config(), {&io});
  auto e = error_of(io, migrate(db, bad));
  EXPECT_EQ(e.code(), ErrorCode::internal);
  EXPECT_NE(std::string(e.what()).find("0002_bad.sql"), std::string::npos);
  EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos);
  auto versions = run(io, sql(db, "SELECT version FROM schema_migrations"));
  ASSERT_EQ(versions.size(), 1);
  EXPECT_EQ(versions.front().get<std::string>(0), "0001_a.sql");
  EXPECT_FALSE(run(io, sql(db, "SELECT to_regclass('m_half') IS NOT NULL")).front().get<bool>(0));
  // The advisory lock was released: another session takes it at once.
  EXPECT_EQ(test::exec_sql(url_, "SELECT pg_try_advisory_lock(7954892338796645703)"), "t");
  EXPECT_FALSE(run(io, migrations_applied(db, bad)));
}

}  // namespace
