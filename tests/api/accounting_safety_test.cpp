// Accounting that cannot lose a call (issue #10 items 2, 8 and 13): request ids bounded once, records
// refused for one field still counted, costs beyond the old column range recorded, usage of calls cut by a
// shutdown written, and spilled to a file the next start replays when the database is gone.
#include <regex>

#include "gateway_fixture.hpp"

using namespace gwtest;

class AccountingSafety : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new GatewayEnv();
    env_->start("accounting", 20, {{"NETOPS_ACCOUNTING_FLUSH_MS", "50"}, {"NETOPS_RATE_LIMIT_FREE", "100000"}});
    env_->provider("mocka", env_->mock_url() + "/v1", "bearer");
    env_->model("mocka/echo", "mocka", 0);
  }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }
  HttpResponse chat(const std::string& model, const std::string& text, const std::string& rid) {
    Headers h = env_->admin();
    h.emplace_back("X-Request-Id", rid);
    return client.post("/v1/chat/completions", {{"model", model}, {"messages", {user_msg(text)}}}, h);
  }
  double metric(const std::string& line_start) {
    auto body = client.get("/metrics").body;
    auto at = body.find("\n" + line_start + " ");
    if (at == std::string::npos) return 0;
    return std::stod(body.substr(at + line_start.size() + 2));
  }
  std::string stats_of(const std::string& model) {
    return env_->sql("SELECT coalesce(sum(total_tokens), 0) || '/' || coalesce(sum(message_count), 0) || '/' || "
                     "coalesce(sum(total_cost), 0) FROM user_token_stats WHERE model = '" + model + "'");
  }

  static GatewayEnv* env_;
  HttpClient client{env_->server->port()};
};
GatewayEnv* AccountingSafety::env_ = nullptr;

// Item 2: an id of 101–128 characters was echoed, and its usage_logs row (VARCHAR(100)) refused and dropped
// with its user_token_stats update: a call never billed.
TEST_F(AccountingSafety, OverlongRequestIdIsReplacedAndTheCallRecorded) {
  std::string sent(120, 'r');
  auto r = chat("mocka/echo", "long id", sent);
  ASSERT_EQ(r.status, 200) << r.body;
  std::string rid = r.header("x-request-id");
  EXPECT_NE(rid, sent);
  EXPECT_TRUE(std::regex_match(rid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))) << rid;
  auto rows = env_->usage(rid);
  ASSERT_EQ(rows.size(), 1u) << env_->server->output();
  EXPECT_EQ(rows[0]["status"], "success");

  // 100 characters (the data model's width) is still the client's own id.
  std::string hundred = unique_id("h");
  hundred += std::string(100 - hundred.size(), 'x');
  auto h = chat("mocka/echo", "hundred", hundred);
  ASSERT_EQ(h.status, 200) << h.body;
  EXPECT_EQ(h.header("x-request-id"), hundred);
  EXPECT_EQ(env_->usage(hundred).size(), 1u);

  // A failed login with such an id leaves its audit row (audit_logs.correlation_id).
  Headers lh = {{"X-Request-Id", std::string(110, 'l')}};
  auto l = client.post("/api/auth/login", {{"email", "admin@example.com"}, {"password", "wrong-password-1"}}, lh);
  EXPECT_EQ(l.status, 401) << l.body;
  std::string lrid = l.header("x-request-id");
  EXPECT_EQ(lrid.size(), 36u);
  EXPECT_TRUE(eventually([&] {
    return !env_->sql("SELECT 1 FROM audit_logs WHERE correlation_id = '" + lrid + "'").empty();
  }, 5000)) << "no audit row for the failed login";
}

// Item 13: one call costing more than DECIMAL(10,6) holds (10,000 USD) was refused and dropped.
TEST_F(AccountingSafety, CostBeyondTheOldColumnRangeIsRecorded) {
  env_->model("mocka/echo-dear-max", "mocka", 0, {{"costPer1kInput", "9999.999999"}, {"costPer1kOutput", "9999.999999"}});
  std::string rid = unique_id("dear");
  std::string text(4000, 'x');  // 1000 + 3 prompt tokens, 1000 completion tokens ≈ 20,030 USD
  auto r = chat("mocka/echo-dear-max", text, rid);
  ASSERT_EQ(r.status, 200) << r.body;
  auto rows = env_->usage(rid);
  ASSERT_EQ(rows.size(), 1u) << env_->server->output();
  EXPECT_EQ(rows[0]["cost"], "20029.999998");  // 2003 tokens × 9.999999999 USD = 20029.999997997
  EXPECT_EQ(stats_of("mocka/echo-dear-max"), "2003/1/20029.999998");
}

// Item 2: a record whose usage_logs row the database refuses (here: a constraint the test adds) still
// counts its tokens and cost in user_token_stats, and is a metric and an error log line; the records around
// it are written.
TEST_F(AccountingSafety, RefusedLogRowStillCountsItsTokens) {
  env_->model("mocka/echo-refused", "mocka", 0);
  env_->sql("ALTER TABLE usage_logs ADD CONSTRAINT test_refuse_rows CHECK (request_id NOT LIKE 'refuse-me%')");
  double dropped_before = metric("accounting_records_dropped_total{kind=\"row\"}");
  std::string refused = unique_id("refuse-me"), fine = unique_id("fine");
  auto a = chat("mocka/echo-refused", "abcd", refused);  // prompt 1 + 3, completion 1
  auto b = chat("mocka/echo-refused", "efgh", fine);
  ASSERT_EQ(a.status, 200) << a.body;
  ASSERT_EQ(b.status, 200) << b.body;
  EXPECT_EQ(env_->usage(fine).size(), 1u);
  EXPECT_TRUE(eventually([&] { return stats_of("mocka/echo-refused").rfind("10/2/", 0) == 0; }, 5000))
      << stats_of("mocka/echo-refused") << "\n" << env_->server->output();
  EXPECT_EQ(env_->sql("SELECT count(*) FROM usage_logs WHERE request_id = '" + refused + "'"), "0");
  EXPECT_TRUE(eventually([&] { return metric("accounting_records_dropped_total{kind=\"row\"}") > dropped_before; }, 5000));
  EXPECT_GT(metric("accounting_records_written_total"), 0);
  EXPECT_NE(env_->server->output().find("dropped the usage_logs row of request " + refused), std::string::npos);
  env_->sql("ALTER TABLE usage_logs DROP CONSTRAINT test_refuse_rows");
}
