// PostgreSQL restarted under load (a PostgreSQL of the test's own — never the shared one).
// One gateway, steady load from the test (completions of an `unlimited` user, whose session is cached in
// Redis, vendor creations: two rows each — the vendor and its audit row — and /health/ready polls); the
// database is stopped (fast shutdown: every session terminated) and started again. Asserted:
//   - during the outage requests answer 503 fast (none takes longer than the statement timeout plus the
//     connect timeout), never 500 and never a dropped connection — also while the database hangs
//     (SIGSTOP) instead of closing its connections: every round trip of a transaction (BEGIN, statements,
//     COMMIT, ROLLBACK) has a client-side limit;
//   - /health/ready fails during the outage and recovers by itself; the pool reconnects without help;
//   - no partial writes: every vendor has its audit row and every audit row its vendor;
//   - every completion the client was answered 200 for — also those during the outage and the hang — has
//     exactly one usage_logs row once the database is back, and user_token_stats adds up to those rows
//     (nothing lost, nothing doubled — also for a usage batch whose COMMIT answer the hang swallowed).
#include "cluster/cluster_kit.hpp"
#include "support/fault_kit.hpp"

using namespace netops::test;
using namespace cluster;
using nlohmann::json;

namespace {

const std::string kKey = "sk-fault-SECRET0123456789abcdefghijklmnop";

TEST(FaultDatabase, RestartUnderLoadCostsAvailabilityOnly) {
  PgProcess pg;
  exec_sql(pg.url(), "CREATE DATABASE netops");
  MockLlmProcess mock({"--require-key", kKey});
  ServerOptions o;
  o.suite = "fault_db";
  o.database_url = pg.url("netops");
  o.env = {{"NETOPS_STATEMENT_TIMEOUT_MS", "3000"}, {"NETOPS_ACCOUNTING_FLUSH_MS", "50"},
           {"NETOPS_ACCESS_LOG", "false"},         {"NETOPS_UPSTREAM_RETRIES", "0"},
           {"NETOPS_THREADS", "2"},                {"NETOPS_DB_POOL_SIZE", "6"}};
  ServerProcess server(o);
  server.start();
  const int port = server.port();
  std::string admin = login_admin(server).token;
  HttpClient c(port);
  add_mock_provider(port, admin, mock.url(), kKey, {{"mk/echo"}});
  auto user = new_user(port, admin, "user", "unlimited");
  // Warm the session cache: during the outage authentication is answered from Redis.
  ASSERT_EQ(c.get("/api/auth/me", user.auth()).status, 200);

  std::atomic<int> n{0};
  Load completions(port, 3, [&](HttpClient& h) {
    return h.post("/v1/chat/completions",
                  {{"model", "mk/echo"}, {"messages", {{{"role", "user"}, {"content", "load " + std::to_string(++n)}}}}},
                  user.auth());
  });
  Load writes(port, 2, [&](HttpClient& h) {
    return h.post("/api/v1/vendors", {{"name", unique("fault-vendor")}}, bearer(admin));
  });
  Load ready(port, 1, [&](HttpClient& h) { return h.get("/health/ready"); });

  ASSERT_TRUE(eventually([&] { return completions.count(200) >= 20 && writes.count(201) >= 10; }, 20000,
                         "load before the outage"));
  pg.stop();  // fast shutdown: every session is terminated
  auto down_at = std::chrono::steady_clock::now();
  EXPECT_TRUE(eventually([&] { return ready.count(503) >= 3 && writes.count(503) >= 5; }, 20000,
                         "503s from /health/ready and the writes during the outage"));
  const std::size_t completions_in_outage_before = completions.count(200);
  EXPECT_TRUE(eventually([&] { return completions.count(200) >= completions_in_outage_before + 10; }, 20000,
                         "completions answered while PostgreSQL is down"));
  pg.start();
  auto up_at = std::chrono::steady_clock::now();
  std::size_t writes_before = writes.count(201);
  EXPECT_TRUE(eventually([&] { return writes.count(201) >= writes_before + 10; }, 30000,
                         "writes succeeding again (the pool reconnected by itself)"));
  HttpClient probe(port);
  EXPECT_TRUE(eventually([&] { return probe.get("/health/ready").status == 200; }, 10000, "/health/ready again"));

  // A database that hangs instead of closing (SIGSTOP: a frozen host, a partition). Every round trip of a
  // write's transaction — BEGIN included, which once waited for as long as the server stayed frozen — is
  // bounded a second after the statement timeout: the writes keep answering 503, and everything recovers
  // when the server answers again. The completions go on meanwhile (their accounting waits).
  std::size_t refused_before = writes.count(503);
  pg.freeze();
  auto frozen_at = std::chrono::steady_clock::now();
  EXPECT_TRUE(eventually([&] { return writes.count(503) >= refused_before + 6; }, 30000,
                         "503s from the writes while PostgreSQL hangs"));
  EXPECT_EQ(probe.get("/health/ready").status, 503);
  pg.thaw();
  auto thawed_at = std::chrono::steady_clock::now();
  writes_before = writes.count(201);
  EXPECT_TRUE(eventually([&] { return writes.count(201) >= writes_before + 10; }, 30000, "writes after the hang"));
  EXPECT_TRUE(eventually([&] { return probe.get("/health/ready").status == 200; }, 10000, "/health/ready after the hang"));
  std::size_t refused_in_hang = 0;  // sent while the server was frozen, and answered 503 (not after the thaw)
  for (auto& s : writes.samples())
    if (s.at >= frozen_at && s.at < thawed_at && s.status == 503) ++refused_in_hang;
  EXPECT_GE(refused_in_hang, 4u) << "writes sent while the database hung were not refused";

  // Accounting: the completions ran through both outages. A usage batch caught by the hang may have sent its
  // COMMIT and given up on the answer (the client-side limit) while the frozen server then committed it on
  // thaw; the batch is written again, and its idempotency key (migration 0019) keeps it from counting twice.
  completions.stop();
  std::size_t answered = completions.count(200);

  // What the database holds: every answered completion once (those of the outage included) …
  std::string last;
  EXPECT_TRUE(eventually(
      [&] {
        last = exec_sql(server.database_url(), "SELECT count(*) FROM usage_logs WHERE user_id = '" + user.id + "'");
        return last == std::to_string(answered);
      },
      20000, "one usage_logs row per answered completion"))
      << "usage_logs " << last << ", answered " << answered;
  // … calls that failed before reaching the upstream are not billed, and none is doubled.
  EXPECT_EQ(exec_sql(server.database_url(),
                     "SELECT count(*) FROM (SELECT request_id FROM usage_logs WHERE user_id = '" + user.id +
                         "' GROUP BY request_id HAVING count(*) > 1) d"),
            "0");
  // … and the counters hold exactly what the rows say (a batch written twice would add its tokens twice).
  EXPECT_EQ(exec_sql(server.database_url(), "SELECT coalesce(sum(total_tokens), 0) || '/' || count(*) FILTER (WHERE "
                                            "status = 'success') FROM usage_logs WHERE user_id = '" + user.id + "'"),
            exec_sql(server.database_url(), "SELECT coalesce(sum(total_tokens), 0) || '/' || "
                                            "coalesce(sum(message_count), 0) FROM user_token_stats WHERE user_id = '" +
                                                user.id + "'"));

  writes.stop();
  ready.stop();

  // What the client saw.
  int bad = 0, answered_in_outage = 0;
  for (auto* l : {&completions, &writes, &ready}) {
    for (auto& s : l->samples()) {
      bool ok = s.status == 200 || s.status == 201 || s.status == 503;
      if (!ok && bad++ < 5) ADD_FAILURE() << "status " << s.status << ": " << s.body;
      // No hang: the statement timeout (3 s) plus the connect timeout (3 s) bound every answer.
      EXPECT_LT(s.ms, 8000) << "a request hung for " << s.ms << " ms (status " << s.status << ")";
      if (s.at >= down_at && s.at < up_at && (s.status == 200 || s.status == 201)) ++answered_in_outage;
    }
  }
  EXPECT_EQ(bad, 0);
  EXPECT_GT(answered_in_outage, 0);
  // … and no write is half done: a vendor without its audit row, or the reverse.
  std::string vendors = exec_sql(server.database_url(), "SELECT count(*) FROM vendors WHERE name LIKE 'fault-vendor%'");
  std::string audits =
      exec_sql(server.database_url(), "SELECT count(*) FROM audit_logs WHERE action = 'vendor.created'");
  EXPECT_EQ(vendors, audits);
  EXPECT_GE(std::stoul(vendors), writes.count(201));
  EXPECT_EQ(server.stop(), 0) << server.output().substr(0, 4000);
}

}  // namespace
