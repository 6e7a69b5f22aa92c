// GET /api/usage/daily (all users' tokens and cost per UTC day from the usage_model_daily roll-up) and the
// requestId filter of GET /api/usage/logs, through HTTP against the real server.
#include <gtest/gtest.h>

#include "support/api.hpp"

using namespace netops::test;

namespace {
// Midnight of the current UTC day, whatever the test connection's time zone.
const std::string kToday = "(date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')";
}  // namespace

class UsageDaily : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = "usage_daily";
    start_server(o, /*with_user=*/true);
    auto call = [](const std::string& method, const std::string& path, const json& body) {
      HttpClient c{server_->port()};
      auto r = c.request(method, path, body.dump(), bearer(admin_));
      if (r.status != 201) throw std::runtime_error(path + ": " + r.body);
    };
    for (auto p : {"pa", "pb"})
      call("POST", "/api/providers",
           {{"id", p}, {"name", p}, {"apiEndpoint", "http://127.0.0.1:9/v1"}, {"authType", "bearer"}});
    call("POST", "/api/models", {{"id", "pa/one"}, {"provider", "pa"}, {"tier", 0}});
    call("POST", "/api/models", {{"id", "pa/two"}, {"provider", "pa"}, {"tier", 0}});
    call("POST", "/api/models", {{"id", "pb/three"}, {"provider", "pb"}, {"tier", 0}});
    // Three users, three models (one of them not a model_configs row: its provider is unknown), two days.
    auto row = [](const std::string& user, const std::string& model, const std::string& prov, int tokens,
                  const std::string& cost, const std::string& status, const std::string& rid, const std::string& at) {
      return "('" + user + "', '" + model + "', '" + prov + "', 0, " + std::to_string(tokens) + ", 0, " +
             std::to_string(tokens) + ", " + cost + ", 10, '" + status + "', false, '" + rid + "', " + at + ")";
    };
    sql("INSERT INTO usage_logs (user_id, model_id, provider, tier, prompt_tokens, completion_tokens, total_tokens, "
        "total_cost, latency_ms, status, escalated, request_id, created_at) VALUES " +
        row("u-1", "pa/one", "pa", 100, "0.001", "success", "rid-a", kToday + " + interval '1 second'") + ", " +
        row("u-2", "pa/two", "pa", 50, "0.0005", "success", "rid-b", kToday + " + interval '2 seconds'") + ", " +
        row("u-3", "pb/three", "pb", 7, "0.000007", "error", "rid-c", kToday + " + interval '3 seconds'") + ", " +
        row("u-1", "gone/model", "gone", 3, "0.000003", "success", "rid-d", kToday + " + interval '4 seconds'") +
        ", " + row("u-2", "pa/one", "pa", 1000, "0.01", "success", "rid-e", kToday + " - interval '2 days' + interval '1 hour'") +
        ", " + row("u-1", "pa/one", "pa", 1, "0.5", "success", "rid-old", kToday + " - interval '60 days'"));
  }
  HttpResponse get(const std::string& path, const std::string& token = admin_) {
    return client.request("GET", path, "", bearer(token));
  }
  static json find(const json& data, const std::string& date, const json& key) {
    for (const auto& r : data)
      if (r["date"] == date && r["key"] == key) return r;
    return nullptr;
  }
  std::string day(int minus) {
    return sql("SELECT to_char(" + kToday + " AT TIME ZONE 'UTC' - interval '" + std::to_string(minus) +
               " days', 'YYYY-MM-DD')");
  }
};

TEST_F(UsageDaily, AllUsersPerDayWithZeroDays) {
  auto r = get("/api/usage/daily?days=7");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["days"], 7);
  EXPECT_TRUE(j["groupBy"].is_null());
  EXPECT_EQ(j["since"], day(6));
  ASSERT_EQ(j["data"].size(), 7u) << "one row per day, days without calls included";
  auto today = j["data"][6];
  EXPECT_EQ(today["date"], day(0));
  EXPECT_EQ(today["requests"], 4) << "every user's calls, not one user's";
  EXPECT_EQ(today["successes"], 3);
  EXPECT_EQ(today["errors"], 1);
  EXPECT_EQ(today["tokens"], 160);
  EXPECT_EQ(today["cost"], "0.001510");
  EXPECT_FALSE(today.contains("key"));
  EXPECT_EQ(j["data"][4]["date"], day(2));
  EXPECT_EQ(j["data"][4]["tokens"], 1000);
  EXPECT_EQ(j["data"][5]["requests"], 0);
  EXPECT_EQ(j["data"][5]["cost"], "0.000000");
  // The default window is 30 days: the 60-day-old call is outside it, inside 90.
  EXPECT_EQ(get("/api/usage/daily").json()["data"].size(), 30u);
  auto wide = get("/api/usage/daily?days=90").json();
  EXPECT_EQ(wide["data"][29]["cost"], "0.500000");
}

TEST_F(UsageDaily, GroupedByModelAndProvider) {
  auto m = get("/api/usage/daily?days=7&groupBy=model");
  ASSERT_EQ(m.status, 200) << m.body;
  auto data = m.json()["data"];
  EXPECT_EQ(m.json()["groupBy"], "model");
  ASSERT_EQ(data.size(), 5u) << "only (day, model) pairs that had calls: " << data.dump();
  EXPECT_EQ(find(data, day(0), "pa/one")["tokens"], 100);
  EXPECT_EQ(find(data, day(0), "pb/three")["errors"], 1);
  EXPECT_EQ(find(data, day(0), "gone/model")["cost"], "0.000003");
  EXPECT_EQ(find(data, day(2), "pa/one")["cost"], "0.010000");
  EXPECT_EQ(data[0]["date"], day(2)) << "oldest day first";

  auto p = get("/api/usage/daily?days=7&groupBy=provider");
  ASSERT_EQ(p.status, 200) << p.body;
  data = p.json()["data"];
  ASSERT_EQ(data.size(), 4u) << data.dump();
  auto pa = find(data, day(0), "pa");
  EXPECT_EQ(pa["requests"], 2);
  EXPECT_EQ(pa["tokens"], 150);
  EXPECT_EQ(pa["cost"], "0.001500");
  EXPECT_EQ(find(data, day(0), "pb")["tokens"], 7);
  EXPECT_EQ(find(data, day(0), nullptr)["tokens"], 3) << "a model without a model_configs row: null provider";
  EXPECT_EQ(find(data, day(2), "pa")["requests"], 1);
}

TEST_F(UsageDaily, ReadsTheRollUpNotTheRawLog) {
  // The roll-up is the source: a raw row removed afterwards (as partition retention does) still counts.
  sql("INSERT INTO usage_logs (user_id, model_id, provider, tier, total_tokens, total_cost, status, request_id, "
      "created_at) VALUES ('u-9', 'pb/three', 'pb', 0, 5, 0, 'success', 'rid-z', " + kToday + " - interval '20 days')");
  sql("DELETE FROM usage_logs WHERE request_id = 'rid-z'");
  auto data = get("/api/usage/daily?days=30").json()["data"];
  EXPECT_EQ(data[9]["date"], day(20));
  EXPECT_EQ(data[9]["tokens"], 5);
}

TEST_F(UsageDaily, AdminsOnlyAndValidated) {
  EXPECT_EQ(get("/api/usage/daily", user_).status, 403);
  EXPECT_EQ(get("/api/usage/daily", "").status, 401);
  auto bad = get("/api/usage/daily?groupBy=user");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.json()["error"]["code"], "VALIDATION_ERROR");
  EXPECT_EQ(get("/api/usage/daily?days=0").status, 400);
  EXPECT_EQ(get("/api/usage/daily?days=367").status, 400);
  EXPECT_EQ(get("/api/usage/daily?days=abc").status, 400);
}

TEST_F(UsageDaily, UsageLogByRequestId) {
  auto r = get("/api/usage/logs?requestId=rid-b");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json()["data"].size(), 1u);
  EXPECT_EQ(r.json()["data"][0]["requestId"], "rid-b");
  EXPECT_EQ(r.json()["data"][0]["userId"], "u-2");
  EXPECT_EQ(r.json()["meta"]["total"], 1);
  EXPECT_EQ(get("/api/usage/logs?requestId=nope").json()["meta"]["total"], 0);
  EXPECT_EQ(get("/api/usage/logs?requestId=rid-b&userId=u-1").json()["meta"]["total"], 0) << "filters combine";
  // Any age (indexed); from/to still narrow it.
  EXPECT_EQ(get("/api/usage/logs?requestId=rid-old").json()["meta"]["total"], 1);
  EXPECT_EQ(get("/api/usage/logs?requestId=rid-old&from=" + day(30)).json()["meta"]["total"], 0);
  EXPECT_EQ(get("/api/usage/logs?requestId=" + std::string(101, 'x')).status, 400);
  EXPECT_EQ(get("/api/usage/logs?requestId=rid-b", user_).status, 403);
}
