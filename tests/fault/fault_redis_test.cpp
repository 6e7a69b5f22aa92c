// Redis killed (SIGKILL) and restored under load — a redis-server of the test's own, never the shared one.
// Asserted: the load keeps being served (no 5xx, no dropped connection); /health says degraded and then
// healthy again; a logout and a deactivation made while Redis is down hold on the next request (from
// PostgreSQL) and still hold once Redis is back, empty; rate limiting falls back to the instance (the limit
// still applies); the session cache fills again once Redis is back.
#include "cluster/cluster_kit.hpp"
#include "support/redis_process.hpp"

using namespace netops::test;
using namespace cluster;
using nlohmann::json;

namespace {

TEST(FaultRedis, KilledAndRestoredUnderLoad) {
  RedisProcess redis;
  redis.start();
  ServerOptions o;
  o.suite = "fault_redis";
  o.redis_url = redis.url(0);
  o.env = {{"NETOPS_RATE_LIMIT_MODE", "exact"}, {"NETOPS_RATE_LIMIT_FREE", "10"}, {"NETOPS_ACCESS_LOG", "false"}};
  ServerProcess server(o);
  server.start();
  const int port = server.port();
  std::string admin = login_admin(server).token;
  HttpClient c(port);
  auto loader = new_user(port, admin, "user", "unlimited");
  auto leaving = new_user(port, admin, "user", "pro");
  auto deactivated = new_user(port, admin, "user", "pro");
  for (auto* s : {&loader, &leaving, &deactivated}) ASSERT_EQ(c.get("/api/auth/me", s->auth()).status, 200);
  EXPECT_EQ(c.get("/health").json()["status"], "healthy");

  Load load(port, 2, [&](HttpClient& h) { return h.get("/api/v1/vendors?limit=5", loader.auth()); });
  ASSERT_TRUE(eventually([&] { return load.count(200) >= 20; }, 10000, "load before the outage"));

  redis.stop();  // SIGKILL
  std::string health;
  EXPECT_TRUE(eventually(
      [&] {
        auto r = c.get("/health");
        health = r.body;
        return r.status == 200 && r.json()["status"] == "degraded";
      },
      10000, "/health degraded"))
      << health;
  std::size_t before = load.count(200);
  EXPECT_TRUE(eventually([&] { return load.count(200) >= before + 20; }, 10000, "load served without Redis"));

  // Revocation without Redis: enforced from PostgreSQL on the next request.
  ASSERT_EQ(c.request("POST", "/api/auth/logout", "", leaving.auth()).status, 204);
  EXPECT_EQ(c.get("/api/auth/me", leaving.auth()).status, 401);
  auto off = c.request("PATCH", "/api/admin/users/" + deactivated.id, json{{"status", "inactive"}}.dump(), bearer(admin));
  EXPECT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(c.get("/api/auth/me", deactivated.auth()).status, 401);

  // Rate limiting falls back to this instance: 10 a minute still.
  auto limited = new_user(port, admin, "user", "free");
  int passed = 0, refused = 0;
  for (int i = 0; i < 14; ++i) {
    auto r = c.get("/api/auth/me", limited.auth());
    if (r.status == 200) ++passed;
    if (r.status == 429) ++refused;
  }
  EXPECT_EQ(passed, 10);
  EXPECT_EQ(refused, 4);

  redis.start();  // empty: no sessions, no tombstones
  EXPECT_TRUE(eventually([&] { return c.get("/health").json()["status"] == "healthy"; }, 15000, "/health healthy"));
  // Still revoked with an empty Redis (the tombstones kept meanwhile are written, sessions read from
  // PostgreSQL fill the cache again).
  EXPECT_EQ(c.get("/api/auth/me", leaving.auth()).status, 401);
  EXPECT_EQ(c.get("/api/auth/me", deactivated.auth()).status, 401);
  EXPECT_EQ(c.get("/api/auth/me", loader.auth()).status, 200);
  EXPECT_TRUE(eventually(
      [&] {
        return redis_command(redis.url(0), {"EVAL", "return #redis.call('KEYS', 'session:*')", "0"}) != "0" &&
               c.get("/api/auth/me", loader.auth()).status == 200;
      },
      10000, "the session cache filled again"));
  std::size_t after = load.count(200);
  EXPECT_TRUE(eventually([&] { return load.count(200) >= after + 20; }, 10000, "load served after the restore"));
  load.stop();

  int bad = 0;
  for (auto& s : load.samples())
    if (s.status != 200 && bad++ < 5) ADD_FAILURE() << "status " << s.status << ": " << s.body;
  EXPECT_EQ(bad, 0) << "requests failed while Redis was away";
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
