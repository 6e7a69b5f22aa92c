// Usage accounting exactly once across a lost COMMIT answer (issue #17: "nothing lost, nothing doubled").
// The gateway reaches its database through a TCP proxy (support/tcp_proxy.hpp) that, for the batch carrying
// one completion's request id, lets the COMMIT through, waits for PostgreSQL to answer it — the rows are
// committed — and then drops that answer and closes the connection: what a PostgreSQL restart or a network
// failure at the worst moment does. The accounting cannot tell and writes the batch again. Asserted: the
// call has one usage_logs row and is counted once in user_token_stats (the idempotency key of migration 0019:
// the second insert inserts nothing and adds nothing to the counters). The second case loses the answer of
// a record written without its row (the database refuses the row, the counters are applied alone): its key
// in usage_counted_without_row (migration 0022) makes the second write count nothing.
#include "cluster/cluster_kit.hpp"
#include "support/fault_kit.hpp"
#include "support/tcp_proxy.hpp"

using namespace netops::test;
using nlohmann::json;

namespace {

const std::string kKey = "sk-fault-SECRET0123456789abcdefghijklmnop";

TEST(FaultAccounting, BatchWrittenAgainAfterALostCommitAnswerCountsOnce) {
  std::string direct = create_database("fault_acct");
  TcpProxy proxy(url_port(direct));
  MockLlmProcess mock({"--require-key", kKey});
  ServerOptions o;
  o.suite = "fault_acct";
  o.database_url = url_with_port(direct, proxy.port());
  o.env = {{"NETOPS_ACCOUNTING_FLUSH_MS", "50"}, {"NETOPS_ACCESS_LOG", "false"}, {"NETOPS_UPSTREAM_RETRIES", "0"},
           {"NETOPS_THREADS", "1"}, {"NETOPS_DB_POOL_SIZE", "4"}};
  {
    ServerProcess server(o);
    server.start();
    const int port = server.port();
    std::string admin = login_admin(server).token;
    HttpClient c(port);
    add_mock_provider(port, admin, mock.url(), kKey, {{"mk/echo"}});
    auto user = new_user(port, admin, "user", "unlimited");

    // The batch with this request id: its COMMIT is carried out, and its answer lost.
    std::string rid = unique("lost-commit");
    proxy.cut_once(rid, "COMMIT", std::string("COMMIT\0", 7));
    Headers h = user.auth();
    h.emplace_back("X-Request-Id", rid);
    auto r = c.post("/v1/chat/completions", {{"model", "mk/echo"}, {"messages", {{{"role", "user"}, {"content", "once"}}}}},
                    h);
    ASSERT_EQ(r.status, 200) << r.body;
    long long tokens = r.json()["usage"]["total_tokens"].get<long long>();
    ASSERT_TRUE(eventually([&] { return proxy.fired(); }, 10000, "the COMMIT answer of the batch dropped"))
        << server.output().substr(0, 4000);
    // The accounting wrote the batch again: accounting_records_written_total counts it once it succeeded
    // (the first attempt failed, as far as the gateway knows).
    auto written = [&] {
      auto m = c.get("/metrics", bearer(admin));
      const std::string name = "\naccounting_records_written_total ";
      auto at = m.body.find(name);
      return at == std::string::npos ? 0.0 : std::stod(m.body.substr(at + name.size()));
    };
    ASSERT_TRUE(eventually([&] { return written() >= 1; }, 10000, "the batch written again"))
        << server.output().substr(0, 4000);

    EXPECT_EQ(exec_sql(direct, "SELECT count(*) FROM usage_logs WHERE request_id = '" + rid + "'"), "1")
        << "the call was recorded twice";
    EXPECT_EQ(exec_sql(direct, "SELECT coalesce(sum(total_tokens), 0) || '/' || coalesce(sum(message_count), 0) "
                               "FROM user_token_stats WHERE user_id = '" + user.id + "'"),
              std::to_string(tokens) + "/1")
        << "the call was counted twice";
    EXPECT_EQ(exec_sql(direct, "SELECT coalesce(sum(tokens), 0) || '/' || coalesce(sum(requests), 0) FROM usage_model_daily WHERE model_id = "
                               "'mk/echo'"),
              std::to_string(tokens) + "/1")
        << "the daily roll-up counted the call twice";
    EXPECT_NE(server.output().find("had been written before"), std::string::npos) << server.output().substr(0, 4000);
    EXPECT_EQ(server.stop(), 0) << server.output().substr(0, 4000);
  }
  drop_database(direct);
}

// The value of one sample of /metrics (0 when absent), e.g. `accounting_records_dropped_total{kind="row"}`.
double metric(HttpClient& c, const std::string& token, const std::string& sample) {
  auto m = c.get("/metrics", bearer(token));
  const std::string name = "\n" + sample + " ";
  auto at = m.body.find(name);
  return at == std::string::npos ? 0.0 : std::stod(m.body.substr(at + name.size()));
}

TEST(FaultAccounting, CountersWrittenWithoutTheirRowAgainAfterALostCommitAnswerCountOnce) {
  std::string direct = create_database("fault_acct_row");
  TcpProxy proxy(url_port(direct));
  MockLlmProcess mock({"--require-key", kKey});
  ServerOptions o;
  o.suite = "fault_acct_row";
  o.database_url = url_with_port(direct, proxy.port());
  o.env = {{"NETOPS_ACCOUNTING_FLUSH_MS", "50"}, {"NETOPS_ACCESS_LOG", "false"}, {"NETOPS_UPSTREAM_RETRIES", "0"},
           {"NETOPS_THREADS", "1"}, {"NETOPS_DB_POOL_SIZE", "4"}};
  {
    ServerProcess server(o);
    server.start();
    const int port = server.port();
    std::string admin = login_admin(server).token;
    HttpClient c(port);
    const std::string model = "mk/refused-row";
    add_mock_provider(port, admin, mock.url(), kKey, {{model}});
    auto user = new_user(port, admin, "user", "unlimited");
    // The database refuses this model's usage_logs rows, sanitised or not: its calls are counted without them.
    exec_sql(direct, "ALTER TABLE usage_logs ADD CONSTRAINT refuse_one_model CHECK (model_id <> '" + model + "')");

    // The refused attempts carry the model too but roll back; the counters-only one commits, and its answer
    // is lost.
    proxy.cut_once(model, "COMMIT", std::string("COMMIT\0", 7));
    std::string rid = unique("counters-only");
    Headers h = user.auth();
    h.emplace_back("X-Request-Id", rid);
    auto r = c.post("/v1/chat/completions", {{"model", model}, {"messages", {{{"role", "user"}, {"content", "once"}}}}}, h);
    ASSERT_EQ(r.status, 200) << r.body;
    long long tokens = r.json()["usage"]["total_tokens"].get<long long>();
    ASSERT_TRUE(eventually([&] { return proxy.fired(); }, 10000, "the COMMIT answer of the counters dropped"))
        << server.output().substr(0, 4000);
    // Counted without its row once the write sent again succeeded.
    ASSERT_TRUE(eventually([&] { return metric(c, admin, "accounting_records_dropped_total{kind=\"row\"}") >= 1; },
                           10000, "the counters written again"))
        << server.output().substr(0, 4000);

    EXPECT_EQ(exec_sql(direct, "SELECT count(*) FROM usage_logs WHERE request_id = '" + rid + "'"), "0");
    EXPECT_EQ(exec_sql(direct, "SELECT count(*) FROM usage_counted_without_row WHERE request_id = '" + rid +
                                   "' AND model_id = '" + model + "'"),
              "1");
    EXPECT_EQ(exec_sql(direct, "SELECT coalesce(sum(total_tokens), 0) || '/' || coalesce(sum(message_count), 0) "
                               "FROM user_token_stats WHERE user_id = '" + user.id + "'"),
              std::to_string(tokens) + "/1")
        << "the call was counted twice";
    EXPECT_NE(server.output().find("had been written before"), std::string::npos) << server.output().substr(0, 4000);
    EXPECT_EQ(server.stop(), 0) << server.output().substr(0, 4000);
  }
  drop_database(direct);
}

}  // namespace
