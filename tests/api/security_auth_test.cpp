// Security review #10 (identity and the HTTP edge) from outside: the real binary, real PostgreSQL and
// Redis (a db of its own; the outage case runs its own redis-server).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "core/ids.hpp"
#include "support/api.hpp"
#include "support/redis_process.hpp"

using namespace netops::test;

namespace {
// Every test speaks from its own client address (the server trusts 127.0.0.1 as a proxy), so per-IP
// throttles of one test do not leak into the next.
std::string next_ip() {
  static int n = 0;
  ++n;
  return "10.77." + std::to_string(n / 250) + "." + std::to_string(n % 250 + 1);
}
Headers from(const std::string& ip, const std::string& token = "") {
  Headers h{{"X-Forwarded-For", "203.0.113.9, " + ip}};
  if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
  return h;
}
std::string redis_cli(const std::string& url, const std::string& args) {
  std::string cmd = "redis-cli -u '" + url + "' " + args + " 2>&1";
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}
}  // namespace

class SecurityAuth : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    // The kit flushes the claimed db: failure counters of an earlier run would outlive it by 15 minutes.
    ServerOptions o;
    o.suite = "security_auth";
    o.env["NETOPS_LOGIN_MAX_FAILURES"] = "5";
    o.env["NETOPS_AUTH_FAILURES_PER_MIN"] = "20";
    o.env["NETOPS_TRUSTED_PROXIES"] = "127.0.0.1, ::1";
    metrics_port_ = free_port();
    o.env["NETOPS_METRICS_LISTEN"] = "127.0.0.1:" + std::to_string(metrics_port_);
    server_ = new ServerProcess(o);
    server_->start();
    admin_ = login_admin(*server_, from(next_ip())).token;
  }
  json create_user(const std::string& role = "user", const std::string& tier = "free") {
    return netops::test::create_user(server_->port(), admin_token_, role, tier, from(ip_), "sec");
  }
  std::string login(const std::string& email) { return netops::test::login(server_->port(), email, kUserPassword, from(ip_)).token; }
  std::string create_key(const std::string& token, const json& scopes = json::array()) {
    return create_api_key(server_->port(), token, {{"name", "k"}, {"scopes", scopes}}, from(ip_))["key"].get<std::string>();
  }
  static inline const std::string& admin_token_ = admin_;
  static inline int metrics_port_ = 0;
  std::string ip_ = next_ip();
};

// #10 item 4: the attempt is reserved before the password is checked, so ~50 parallel guesses at one
// account get at most NETOPS_LOGIN_MAX_FAILURES (5) verifications; the rest are 429 (or 503, queue full).
TEST_F(SecurityAuth, ParallelWrongLoginsVerifyAtMostMaxFailures) {
  auto user = create_user();
  std::string email = user["email"];
  std::mutex mu;
  std::map<int, int> statuses;
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i)
    threads.emplace_back([&, i] {
      HttpClient c(server_->port());
      // Spread over client addresses so only the account counter can stop them.
      auto r = c.post("/api/auth/login", {{"email", email}, {"password", "wrong-password-" + std::to_string(i)}},
                      from("10.99.1." + std::to_string(i + 1)));
      std::lock_guard lk(mu);
      ++statuses[r.status];
    });
  for (auto& t : threads) t.join();
  int total = 0;
  for (auto& [status, n] : statuses) {
    total += n;
    EXPECT_TRUE(status == 401 || status == 429 || status == 503) << status;
  }
  EXPECT_EQ(total, 50);
  EXPECT_LE(statuses[401], 5);
  EXPECT_GE(statuses[401], 1);
  // The account is now locked, for the right password too.
  auto r = client.post("/api/auth/login", {{"email", email}, {"password", "password-123"}}, from(ip_));
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_FALSE(r.header("retry-after").empty());
}

// #10 item 9: behind a trusted proxy the client is the rightmost untrusted X-Forwarded-For address:
// ten bad logins from one client do not lock out the others, and sessions record the client's address.
TEST_F(SecurityAuth, ThrottlesAndSessionsUseTheForwardedClientAddress) {
  std::string attacker = next_ip();
  for (int i = 0; i < 5; ++i) {
    auto r = client.post("/api/auth/login", {{"email", unique("nobody") + "@example.com"}, {"password", "wrong-wrong"}},
                         from(attacker));
    EXPECT_EQ(r.status, 401) << r.body;
  }
  auto blocked = client.post("/api/auth/login", {{"email", unique("nobody") + "@example.com"}, {"password", "x"}},
                             from(attacker));
  EXPECT_EQ(blocked.status, 429) << blocked.body;
  EXPECT_EQ(blocked.json()["error"]["details"]["scope"], "ip");

  auto user = create_user();
  std::string email = user["email"];
  std::string other = next_ip();
  auto ok = client.post("/api/auth/login", {{"email", email}, {"password", "password-123"}}, from(other));
  ASSERT_EQ(ok.status, 200) << ok.body;
  std::string sid = ok.json()["sessionId"];
  auto ip = exec_sql(server_->database_url(), "SELECT ip_address FROM sessions WHERE id = '" + sid + "'");
  EXPECT_NE(ip.find(other), std::string::npos) << ip;
}

// #10 item 5: a key reaches only what its scopes allow, and never key or user management.
TEST_F(SecurityAuth, ApiKeyScopesAreEnforced) {
  auto user = create_user("admin");
  auto token = login(user["email"]);
  auto key = create_key(token);
  ASSERT_FALSE(key.empty());

  auto models = client.get("/v1/models", from(ip_, key));
  EXPECT_EQ(models.status, 200) << models.body;
  auto mint = client.post("/api/keys", {{"name", "child"}}, from(ip_, key));
  EXPECT_EQ(mint.status, 403) << mint.body;
  EXPECT_EQ(mint.json()["error"]["code"], "FORBIDDEN");
  EXPECT_EQ(client.get("/api/keys", from(ip_, key)).status, 403);
  EXPECT_EQ(client.get("/api/admin/users", from(ip_, key)).status, 403);
  auto ops = client.get("/api/v1/assets", from(ip_, key));
  EXPECT_EQ(ops.status, 403) << ops.body;
  EXPECT_NE(ops.json()["error"]["message"].get<std::string>().find("read"), std::string::npos) << ops.body;

  auto reader = create_key(token, json::array({"read"}));
  EXPECT_EQ(client.get("/api/v1/assets", from(ip_, reader)).status, 200);
  auto write = client.post("/api/v1/assets", {{"name", "x"}}, from(ip_, reader));
  EXPECT_EQ(write.status, 403) << write.body;
  EXPECT_EQ(client.get("/v1/models", from(ip_, reader)).status, 403);  // "read" alone: no completions
  // Even a key with every scope cannot manage keys.
  auto all = create_key(token, json::array({"completions", "chat", "read", "write", "mcp"}));
  EXPECT_EQ(client.post("/api/keys", {{"name", "child"}, {"scopes", json::array({"read"})}}, from(ip_, all)).status, 403);

  auto bad = client.post("/api/keys", {{"name", "k"}, {"scopes", json::array({"admin"})}}, from(ip_, token));
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.json()["error"]["code"], "VALIDATION_ERROR");
}

// #10 item 6: a protected route refuses an unauthenticated caller on the headers alone; the body
// (here announced as 60 MB and never sent) is not waited for, and the connection is closed.
TEST_F(SecurityAuth, UnauthenticatedBigBodyIsRefusedBeforeTheBody) {
  std::string head = "POST /api/v1/assets/import HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                     "X-Forwarded-For: " + ip_ + "\r\nContent-Length: 60000000\r\n\r\n";
  auto out = client.raw(head, 5000);
  EXPECT_NE(out.find("HTTP/1.1 401"), std::string::npos) << out;
  EXPECT_NE(out.find("UNAUTHORIZED"), std::string::npos) << out;
  EXPECT_NE(out.find("Connection: close"), std::string::npos) << out;
  // A user without the admin role gets 403, also before the body.
  auto user = create_user();
  auto token = login(user["email"]);
  auto out2 = client.raw("POST /api/v1/assets/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                             "\r\nX-Forwarded-For: " + ip_ + "\r\nContent-Length: 60000000\r\n\r\n",
                         5000);
  EXPECT_NE(out2.find("HTTP/1.1 403"), std::string::npos) << out2;
}

// #10 item 6: unknown nk_ keys are remembered as unknown (Redis tombstone), and one address that keeps
// presenting bad credentials gets 429 with Retry-After after NETOPS_AUTH_FAILURES_PER_MIN (20) of them.
TEST_F(SecurityAuth, BadCredentialsAreNegativelyCachedAndLimitedPerAddress) {
  std::string guess = "nk_" + std::string(43, 'Q') + std::to_string(::getpid());
  EXPECT_EQ(client.get("/v1/models", from(ip_, guess)).status, 401);
  auto cached = redis_cli(server_->redis_url(), "GET apikey:" + netops::sha256_hex(guess));
  EXPECT_NE(cached.find("unknown"), std::string::npos) << cached;

  std::string flooder = next_ip();
  int refused = 0, limited = 0;
  std::string retry_after;
  for (int i = 0; i < 25; ++i) {
    auto r = client.get("/v1/models", from(flooder, "nk_guess" + std::to_string(i)));
    if (r.status == 401) ++refused;
    if (r.status == 429) {
      ++limited;
      retry_after = r.header("retry-after");
    }
  }
  EXPECT_EQ(refused, 20);
  EXPECT_EQ(limited, 5);
  EXPECT_FALSE(retry_after.empty());
  // Another address is not affected.
  EXPECT_EQ(client.get("/v1/models", from(next_ip(), "nk_guess")).status, 401);
}

// #10 item 7: deleting a user refuses their key at once (the hashes are read before the cascade);
// a tier change shows on the key's next request.
TEST_F(SecurityAuth, DeletedUsersKeysAndChangedTiersTakeEffectAtOnce) {
  auto user = create_user("user", "free");
  std::string id = user["id"];
  auto token = login(user["email"]);
  auto key = create_key(token);
  auto before = client.get("/v1/models", from(ip_, key));
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.header("x-ratelimit-limit"), "100");
  auto patch = client.request("PATCH", "/api/admin/users/" + id, json{{"tier", "pro"}}.dump(),
                              {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + admin_token_},
                               {"X-Forwarded-For", ip_}});
  ASSERT_EQ(patch.status, 200) << patch.body;
  auto after = client.get("/v1/models", from(ip_, key));
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.header("x-ratelimit-limit"), "1000");

  // A user whose key is cached as usual (no change since): deleting them refuses the key on the next request.
  auto doomed = create_user("user", "free");
  auto doomed_key = create_key(login(doomed["email"]));
  ASSERT_EQ(client.get("/v1/models", from(ip_, doomed_key)).status, 200);
  ASSERT_EQ(client.get("/v1/models", from(ip_, doomed_key)).status, 200);
  auto del = client.request("DELETE", "/api/admin/users/" + doomed["id"].get<std::string>(), "",
                            from(ip_, admin_token_));
  ASSERT_EQ(del.status, 204) << del.body;
  EXPECT_EQ(client.get("/v1/models", from(ip_, doomed_key)).status, 401);
}

// #10 item 3: NETOPS_METRICS_LISTEN serves /metrics (only) on its own address.
TEST_F(SecurityAuth, MetricsListenerServesMetricsOnly) {
  HttpClient m(metrics_port_);
  auto r = m.get("/metrics");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("http_requests_total"), std::string::npos);
  EXPECT_EQ(m.get("/api/auth/me").status, 404);
  EXPECT_EQ(client.get("/metrics", from(ip_)).status, 401);  // the main listener still wants credentials
}

// #10 item 7: a deactivation whose Redis write fails (Redis paused) is still honoured once Redis is back:
// the cached "active" entry of the key must not be trusted again.
TEST(SecurityAuthOutage, RevocationDuringARedisPauseIsNotLost) {
  RedisProcess redis;
  redis.start();
  ServerOptions o;
  o.suite = "security_outage";
  o.redis_url = redis.url(0);
  ServerProcess server(o);
  server.start();
  HttpClient c(server.port());
  auto admin = login_admin(server);
  Headers admin_h = admin.auth();
  auto user = new_user(server.port(), admin.token);
  std::string key = create_api_key(server.port(), user.token)["key"];
  Headers key_h = bearer(key);
  ASSERT_EQ(c.get("/v1/models", key_h).status, 200);  // now cached as active in Redis

  // Every command of the server blocks (and times out) while the pause lasts.
  EXPECT_EQ(redis_cli(redis.url(0), "CLIENT PAUSE 8000 ALL"), "OK");
  auto patch = c.request("PATCH", "/api/admin/users/" + user.id,
                         json{{"isActive", false}}.dump(),
                         {{"Content-Type", "application/json"}, admin_h.front()});
  ASSERT_EQ(patch.status, 200) << patch.body;
  // Wait for the pause to end (redis-cli PING blocks until it has).
  ASSERT_TRUE(eventually([&] { return redis_cli(redis.url(0), "PING") == "PONG"; }, 20000));
  EXPECT_EQ(c.get("/v1/models", key_h).status, 401);
  // And the tombstone that could not be written during the pause lands once Redis answers again.
  std::string key_cache = "apikey:" + netops::sha256_hex(key);
  EXPECT_TRUE(eventually(
      [&] {
        EXPECT_EQ(c.get("/v1/models", key_h).status, 401);
        return redis_cli(redis.url(0), "GET " + key_cache).find("stale") != std::string::npos;
      },
      20000));
}

// Same class as item 4 (an unthrottled password check): guessing the current password through a stolen
// access token is limited like a login, so a session cannot be turned into the account by brute force.
TEST_F(SecurityAuth, ChangePasswordGuessesAreThrottled) {
  auto user = create_user();
  auto token = login(user["email"]);
  for (int i = 0; i < 5; ++i) {
    auto r = client.post("/api/auth/change-password",
                         {{"currentPassword", "wrong-password-" + std::to_string(i)}, {"newPassword", "new-password-123"}},
                         from(ip_, token));
    EXPECT_EQ(r.status, 401) << r.body;
  }
  auto r = client.post("/api/auth/change-password",
                       {{"currentPassword", "password-123"}, {"newPassword", "new-password-123"}}, from(ip_, token));
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_FALSE(r.header("retry-after").empty());
}

// Same class (client text kept per request): a 10 KB User-Agent is stored as a bounded prefix.
TEST_F(SecurityAuth, UserAgentIsStoredBounded) {
  auto user = create_user();
  Headers h = from(ip_);
  h.emplace_back("User-Agent", std::string(10000, 'A'));
  auto r = client.post("/api/auth/login", {{"email", user["email"]}, {"password", "password-123"}}, h);
  ASSERT_EQ(r.status, 200) << r.body;
  std::string sid = r.json()["sessionId"];
  auto len = exec_sql(server_->database_url(), "SELECT length(user_agent) FROM sessions WHERE id = '" + sid + "'");
  EXPECT_EQ(len, "512");
}

namespace {
std::string with_localhost(std::string url) {
  for (const std::string ip : {"127.0.0.1"})
    if (auto p = url.find(ip); p != std::string::npos) url.replace(p, ip.size(), "localhost");
  return url;
}
}  // namespace

// #10 item 6: over NETOPS_MAX_CONNECTIONS a new connection is closed at once; a freed slot is usable again.
// #10 item 17: PostgreSQL and Redis given by host name (resolved off the event loop) connect.
TEST(SecurityEdge, ConnectionCapAndHostNamesInUrls) {
  ServerOptions o;
  o.suite = "security_edge";
  o.database_url = with_localhost(create_database("security_edge"));
  auto redis_db = RedisDb::claim();
  o.redis_url = with_localhost(redis_db->url());
  o.env["NETOPS_MAX_CONNECTIONS"] = "3";
  ASSERT_NE(o.database_url.find("localhost"), std::string::npos) << o.database_url;
  ASSERT_NE(o.redis_url.find("localhost"), std::string::npos) << o.redis_url;
  ServerProcess server(o);
  server.start();
  {
    HttpClient probe(server.port());
    auto health = probe.get("/health");
    ASSERT_EQ(health.status, 200) << health.body;
    EXPECT_EQ(health.json()["services"]["database"]["status"], "up") << health.body;
    EXPECT_EQ(health.json()["services"]["redis"]["status"], "up") << health.body;
  }
  std::vector<std::unique_ptr<HttpClient>> held;
  // The probe's connection may still be counted for a moment after it closed.
  ASSERT_TRUE(eventually([&] {
    held.clear();
    for (int i = 0; i < 3; ++i) {
      held.push_back(std::make_unique<HttpClient>(server.port()));
      if (held.back()->get("/health/live").status != 200) return false;
    }
    return true;
  }));
  HttpClient extra(server.port());
  EXPECT_EQ(extra.raw("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000), "");
  held.pop_back();  // frees one slot
  EXPECT_TRUE(eventually([&] {
    return extra.raw("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000).find("200") !=
           std::string::npos;
  }));
  server.stop();
  drop_database(o.database_url);
}
