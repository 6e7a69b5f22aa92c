// Security review #10, pure logic: metric series caps, trusted proxies, API-key scopes, the admission
// step of the pipeline, the bounded blocking pool, the atomic login reservation and the new settings.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <future>

#include "cache/rate_limiter.hpp"
#include "cache/redis.hpp"
#include "core/blocking.hpp"
#include "core/cidr.hpp"
#include "core/config.hpp"
#include "modules/auth/auth_settings.hpp"
#include "core/error.hpp"
#include "core/metrics.hpp"
#include "http/pipeline.hpp"
#include "http/scopes.hpp"

using namespace netops;
using namespace netops::http;

namespace {
template <class T>
T run(boost::asio::io_context& ioc, Task<T> t) {
  auto f = boost::asio::co_spawn(ioc, std::move(t), boost::asio::use_future);
  ioc.restart();
  ioc.run();
  return f.get();
}
Request make(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.request_id = "rid";
  return r;
}
Handler ok() {
  return [](Request&) -> Task<Response> { co_return Response::json({{"ok", true}}); };
}
}  // namespace

TEST(SecurityMetrics, SeriesPerFamilyAreCappedWithAnOverflowSeries) {
  auto& m = Metrics::instance();
  m.set_series_limit(3);
  for (int i = 0; i < 10; ++i) {
    auto v = "v" + std::to_string(i);
    m.inc("sec_test_total", {{"label", v}});
    m.observe("sec_test_seconds", {{"label", v}}, 0.01);
  }
  m.inc("sec_test_total", {{"label", "v0"}});  // an existing series still counts as itself
  auto text = m.render();
  m.set_series_limit(10000);
  EXPECT_NE(text.find("sec_test_total{label=\"v0\"} 2"), std::string::npos) << text;
  EXPECT_NE(text.find("sec_test_total{label=\"v2\"} 1"), std::string::npos);
  EXPECT_EQ(text.find("label=\"v3\""), std::string::npos);
  EXPECT_NE(text.find("sec_test_total{overflow=\"true\"} 7"), std::string::npos) << text;
  EXPECT_NE(text.find("sec_test_seconds_count{overflow=\"true\"} 7"), std::string::npos);
  EXPECT_NE(text.find("metrics_series_dropped_total{family=\"sec_test_total\"} 7"), std::string::npos);
  EXPECT_NE(text.find("metrics_series_dropped_total{family=\"sec_test_seconds\"} 7"), std::string::npos);
}

TEST(SecurityMetrics, LabelValuesAreEscapedAndEachSetKeepsItsOwnSeries) {
  auto& m = Metrics::instance();
  std::string odd = "a\"b\\c\nd";
  for (int i = 0; i < 3; ++i) {
    m.inc("esc_test_total", {{"model", odd}, {"kind", "prompt"}}, 2);
    m.inc("esc_test_total", {{"model", "plain"}, {"kind", "completion"}});
  }
  m.inc("esc_test_total", {});
  auto text = m.render();
  EXPECT_NE(text.find("esc_test_total{model=\"a\\\"b\\\\c\\nd\",kind=\"prompt\"} 6\n"), std::string::npos) << text;
  EXPECT_NE(text.find("esc_test_total{model=\"plain\",kind=\"completion\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("esc_test_total 1\n"), std::string::npos) << text;
}

TEST(SecurityProxies, ClientIpComesFromForwardedForOnlyThroughTrustedPeers) {
  auto none = TrustedProxies::parse("");
  EXPECT_EQ(none.client_ip("198.51.100.7", "1.2.3.4"), "198.51.100.7");

  auto t = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1 ,::1, fd00::/8");
  EXPECT_TRUE(t.trusted("10.200.3.4"));
  EXPECT_FALSE(t.trusted("11.0.0.1"));
  EXPECT_TRUE(t.trusted("::1"));
  EXPECT_TRUE(t.trusted("::ffff:127.0.0.1"));
  EXPECT_TRUE(t.trusted("fd12::5"));
  // Untrusted peer: its X-Forwarded-For is ignored.
  EXPECT_EQ(t.client_ip("198.51.100.7", "1.2.3.4"), "198.51.100.7");
  // Trusted peer: the rightmost address that is not a trusted proxy; a forged left part is not reached.
  EXPECT_EQ(t.client_ip("127.0.0.1", "6.6.6.6, 203.0.113.5, 10.1.1.1"), "203.0.113.5");
  EXPECT_EQ(t.client_ip("127.0.0.1", "203.0.113.5"), "203.0.113.5");
  EXPECT_EQ(t.client_ip("127.0.0.1", std::nullopt), "127.0.0.1");
  // Garbage ends the walk at the last good hop.
  EXPECT_EQ(t.client_ip("127.0.0.1", "203.0.113.5, not-an-ip, 10.0.0.2"), "10.0.0.2");
  EXPECT_THROW(TrustedProxies::parse("10.0.0.0/33"), std::invalid_argument);
  EXPECT_THROW(TrustedProxies::parse("example.com"), std::invalid_argument);
}

TEST(SecurityScopes, RoutesGetADefaultScopeByPath) {
  EXPECT_EQ(default_scope("POST", "/v1/chat/completions"), "completions");
  EXPECT_EQ(default_scope("GET", "/v1/models"), "completions");
  EXPECT_EQ(default_scope("POST", "/api/completions"), "completions");
  EXPECT_EQ(default_scope("POST", "/mcp"), "mcp");
  EXPECT_EQ(default_scope("POST", "/api/chat"), "chat");
  EXPECT_EQ(default_scope("GET", "/api/conversations/{id}"), "chat");
  EXPECT_EQ(default_scope("GET", "/api/v1/assets"), "read");
  EXPECT_EQ(default_scope("POST", "/api/v1/assets"), "write");
  EXPECT_EQ(default_scope("POST", "/api/keys"), "");
  EXPECT_EQ(default_scope("GET", "/api/admin/users"), "");
  EXPECT_EQ(default_scope("GET", "/api/auth/me"), "*");  // any key may ask who it is
  EXPECT_EQ(default_scope("POST", "/api/auth/change-password"), "");
  EXPECT_EQ(default_scope("GET", "/api/providers"), "");
  EXPECT_EQ(default_scope("GET", "/v1x"), "");
  EXPECT_TRUE(valid_scope("write"));
  EXPECT_FALSE(valid_scope("admin"));
}

TEST(SecurityScopes, ThePipelineChecksTheScopeOfAKey) {
  Router router;
  router.post("/v1/chat/completions", Role::user, ok());
  router.get("/api/v1/assets", Role::user, ok());
  router.post("/api/keys", Role::user, ok());
  router.get("/api/special", Role::user, ok()).scope("read");
  Pipeline p(router);
  std::optional<std::vector<std::string>> scopes;
  p.set_authenticator(CredentialAuthenticator([&scopes](Request&) -> Task<std::optional<Credential>> {
    Actor a;
    a.user_id = "u";
    a.role = Role::super_admin;
    a.api_key_id = "k";
    co_return Credential{a, scopes};
  }));
  boost::asio::io_context ioc;
  auto status = [&](std::string method, std::string path) {
    auto req = make(std::move(method), std::move(path));
    auto m = router.match(req.method, req.path);
    return run(ioc, p.handle(req, m)).status;
  };
  scopes = std::vector<std::string>{};  // a key with the default scopes
  EXPECT_EQ(status("POST", "/v1/chat/completions"), 200);
  EXPECT_EQ(status("GET", "/api/v1/assets"), 403);
  EXPECT_EQ(status("POST", "/api/keys"), 403);
  EXPECT_EQ(status("GET", "/api/special"), 403);
  scopes = std::vector<std::string>{"read"};
  EXPECT_EQ(status("GET", "/api/v1/assets"), 200);
  EXPECT_EQ(status("GET", "/api/special"), 200);
  EXPECT_EQ(status("POST", "/v1/chat/completions"), 403);
  scopes = std::vector<std::string>{"completions", "chat", "read", "write", "mcp"};
  EXPECT_EQ(status("POST", "/api/keys"), 403);  // never, whatever the scopes
  scopes = std::nullopt;  // a session: scopes do not apply
  EXPECT_EQ(status("POST", "/api/keys"), 200);
  EXPECT_EQ(status("GET", "/api/v1/assets"), 200);

  scopes = std::vector<std::string>{};
  auto req = make("GET", "/api/v1/assets");
  auto res = run(ioc, p.handle(req, router.match(req.method, req.path)));
  auto body = nlohmann::json::parse(res.body);
  EXPECT_EQ(body["error"]["code"], "FORBIDDEN");
  EXPECT_EQ(body["error"]["details"]["requiredScope"], "read");
}

TEST(SecurityPipeline, AdmitRefusesBeforeTheHandlerAndTheBody) {
  Router router;
  bool handled = false;
  router.post("/upload", Role::admin, [&handled](Request&) -> Task<Response> {
    handled = true;
    co_return Response::no_content();
  });
  Pipeline p(router);
  p.set_authenticator([](Request& r) -> Task<std::optional<Actor>> {
    if (!r.header("authorization")) co_return std::nullopt;
    Actor a;
    a.role = Role::user;
    co_return a;
  });
  boost::asio::io_context ioc;
  auto req = make("POST", "/upload");
  auto refused = run(ioc, p.admit(req, router.match(req.method, req.path)));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  auto user = make("POST", "/upload");
  user.headers.emplace_back("authorization", "Bearer x");
  auto forbidden = run(ioc, p.admit(user, router.match(user.method, user.path)));
  ASSERT_TRUE(forbidden);
  EXPECT_EQ(forbidden->status, 403);
  EXPECT_FALSE(handled);
}

TEST(SecurityBlocking, AFullQueueIsRefusedWith503) {
  Blocking pool(1, 2);
  std::promise<void> release;
  auto gate = release.get_future().share();
  boost::asio::io_context ioc;
  std::vector<std::future<int>> results;
  for (int i = 0; i < 3; ++i)
    results.push_back(boost::asio::co_spawn(
        ioc, [&pool, gate, i]() -> Task<int> { co_return co_await pool.run([gate, i] { gate.wait(); return i; }); },
        boost::asio::use_future));
  // The third is refused at once, while the first two still wait for the gate.
  for (int i = 0; i < 1000 && results[2].wait_for(std::chrono::seconds(0)) != std::future_status::ready; ++i)
    ioc.poll();
  ASSERT_EQ(results[2].wait_for(std::chrono::seconds(5)), std::future_status::ready);
  try {
    results[2].get();
    ADD_FAILURE() << "expected 503";
  } catch (const AppError& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_EQ(e.details()["retryAfter"], 1);
  }
  EXPECT_EQ(pool.refused(), 1u);
  release.set_value();
  ioc.restart();
  ioc.run();
  EXPECT_EQ(results[0].get(), 0);
  EXPECT_EQ(results[1].get(), 1);
  EXPECT_EQ(pool.queued(), 0u);
}

// Redis is not running here, so the in-process fallback decides: reserving is one step, so however
// many attempts arrive, `max` get through and the rest are refused with a Retry-After.
TEST(SecurityLoginThrottle, InProcessReservationIsAtomic) {
  boost::asio::io_context ioc;
  cache::RedisConfig rc;
  rc.url = "redis://127.0.0.1:1/0";
  cache::Redis redis(rc, {&ioc});
  cache::RateLimiter limiter(redis);
  std::vector<std::future<cache::RateLimiter::Reservation>> all;
  for (int i = 0; i < 50; ++i) {
    std::vector<std::string> keys{"acct:x", "ip:" + std::to_string(i)};
    all.push_back(boost::asio::co_spawn(ioc, limiter.reserve_failures(keys, 5, 60), boost::asio::use_future));
  }
  ioc.run();
  int allowed = 0;
  for (auto& f : all) {
    auto r = f.get();
    if (r.allowed) ++allowed;
    else {
      EXPECT_EQ(r.blocked_index, 0u);
      EXPECT_GE(r.retry_after_s, 1);
    }
  }
  EXPECT_EQ(allowed, 5);
  // A success gives its reservation back: one more attempt fits.
  ioc.restart();
  run(ioc, limiter.release_failure("acct:x"));
  std::vector<std::string> keys{"acct:x", "ip:new"};
  EXPECT_TRUE(run(ioc, limiter.reserve_failures(keys, 5, 60)).allowed);
  EXPECT_FALSE(run(ioc, limiter.reserve_failures(keys, 5, 60)).allowed);
}

TEST(SecurityConfig, EdgeSettingsAreReadAndValidated) {
  std::map<std::string, std::string> env = {{"NETOPS_DATABASE_URL", "postgresql://x/y"},
                                            {"NETOPS_JWT_SECRET", std::string(40, 'j')},
                                            {"NETOPS_MASTER_KEY", std::string(64, 'a')}};
  auto c = Config::from_map(env);
  EXPECT_EQ(c.max_connections, 10000u);
  EXPECT_EQ(load_section(c, auth::auth_section()).auth_failures_per_min, 100);
  EXPECT_TRUE(c.trusted_proxies.empty());
  EXPECT_TRUE(c.metrics_listen_host.empty());
  EXPECT_FALSE(c.metrics_token);
  env["NETOPS_METRICS_LISTEN"] = "127.0.0.1:9464";
  env["NETOPS_METRICS_TOKEN"] = "0123456789abcdef";
  env["NETOPS_TRUSTED_PROXIES"] = "10.0.0.0/8, 192.0.2.1";
  env["NETOPS_MAX_CONNECTIONS"] = "500";
  env["NETOPS_BLOCKING_QUEUE"] = "8";
  c = Config::from_map(env);
  EXPECT_EQ(c.metrics_listen_host, "127.0.0.1");
  EXPECT_EQ(c.metrics_listen_port, 9464);
  EXPECT_EQ(*c.metrics_token, "0123456789abcdef");
  EXPECT_EQ(c.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "192.0.2.1"}));
  EXPECT_EQ(c.max_connections, 500u);
  EXPECT_EQ(c.blocking_queue, 8u);
  env["NETOPS_METRICS_LISTEN"] = "nowhere";
  env["NETOPS_METRICS_TOKEN"] = "short";
  env["NETOPS_TRUSTED_PROXIES"] = "10.0.0.0/8, proxy.example";
  try {
    Config::from_map(env);
    ADD_FAILURE() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    std::string all;
    for (auto& p : e.problems()) all += p + "\n";
    EXPECT_NE(all.find("NETOPS_METRICS_LISTEN"), std::string::npos) << all;
    EXPECT_NE(all.find("NETOPS_METRICS_TOKEN"), std::string::npos) << all;
    EXPECT_NE(all.find("proxy.example"), std::string::npos) << all;
  }
}
