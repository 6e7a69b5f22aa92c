// The foundation from outside: the real binary, a fresh database, real Redis.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "support/api.hpp"
#include "support/redis_process.hpp"

using namespace netops::test;

namespace {
const std::string kMetricsToken = "metrics-token-for-tests-0123456789";
}  // namespace

class Foundation : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = "foundation";
    o.env["NETOPS_BODY_LIMIT"] = "4096";
    o.env["NETOPS_METRICS_TOKEN"] = kMetricsToken;
    start_server(o);
  }
};

TEST_F(Foundation, HealthReportsEveryService) {
  auto r = client.get("/health");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["status"], "healthy");
  EXPECT_EQ(j["services"]["database"]["status"], "up");
  EXPECT_EQ(j["services"]["redis"]["status"], "up");
  EXPECT_TRUE(j["services"]["database"]["latencyMs"].is_number());
  EXPECT_EQ(client.get("/health/live").status, 200);
  auto ready = client.get("/health/ready");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.json()["checks"]["migrations"], true);
}

TEST_F(Foundation, UnknownRouteIs404InTheEnvelope) {
  auto r = client.get("/api/v1/nothing-here");
  ASSERT_EQ(r.status, 404);
  auto j = r.json();
  EXPECT_EQ(j["error"]["code"], "NOT_FOUND");
  EXPECT_TRUE(j["error"]["message"].is_string());
  EXPECT_EQ(j["requestId"], r.header("x-request-id"));
  EXPECT_EQ(r.header("content-type"), "application/json");
}

TEST_F(Foundation, WrongMethodIs405WithAllow) {
  auto r = client.request("DELETE", "/health");
  ASSERT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "GET");
  EXPECT_EQ(r.json()["error"]["code"], "METHOD_NOT_ALLOWED");
}

TEST_F(Foundation, RequestIdIsEchoedWhenValidAndGeneratedOtherwise) {
  auto echoed = client.get("/health/live", {{"X-Request-Id", "client-id-42"}});
  EXPECT_EQ(echoed.header("x-request-id"), "client-id-42");
  auto generated = client.get("/health/live", {{"X-Request-Id", "bad id with spaces"}});
  EXPECT_NE(generated.header("x-request-id"), "bad id with spaces");
  EXPECT_EQ(generated.header("x-request-id").size(), 36u);
  EXPECT_EQ(generated.header("x-request-id")[14], '7') << "generated ids are time-ordered UUIDs (v7)";
  auto a = client.get("/health/live").header("x-request-id");
  auto b = client.get("/health/live").header("x-request-id");
  EXPECT_NE(a, b);
}

TEST_F(Foundation, OversizedBodyIs413BeforeItIsRead) {
  std::string big(10000, 'x');
  auto r = client.request("POST", "/health/live", big, {{"Content-Type", "text/plain"}});
  ASSERT_EQ(r.status, 413);
  EXPECT_EQ(r.json()["error"]["code"], "PAYLOAD_TOO_LARGE");
  // Chunked bodies have no length up front: the limit still applies while reading.
  HttpClient raw(server_->port());
  std::string chunked = "POST /health/live HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  chunked += "1388\r\n" + std::string(5000, 'y') + "\r\n0\r\n\r\n";
  auto out = raw.raw(chunked);
  EXPECT_NE(out.find("413"), std::string::npos) << out.substr(0, 200);
}

TEST_F(Foundation, MalformedHttpGetsA400AndTheServerKeepsServing) {
  auto out = client.raw("THIS IS NOT HTTP\r\n\r\n");
  EXPECT_NE(out.find("400"), std::string::npos) << out;
  EXPECT_NE(out.find("VALIDATION_ERROR"), std::string::npos);
  auto bad_header = client.raw("GET / HTTP/1.1\r\nBad Header Line\r\n\r\n");
  EXPECT_NE(bad_header.find("400"), std::string::npos) << bad_header;
  EXPECT_EQ(client.get("/health/live").status, 200);
}

TEST_F(Foundation, KeepAliveServesManyRequestsOnOneConnection) {
  std::string pipelined;
  for (int i = 0; i < 3; ++i) pipelined += "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
  pipelined += "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto out = client.raw(pipelined);
  std::size_t count = 0, pos = 0;
  while ((pos = out.find("HTTP/1.1 200", pos)) != std::string::npos) {
    ++count;
    ++pos;
  }
  EXPECT_EQ(count, 4u);
}

TEST_F(Foundation, MetricsCountRequestsByRouteTemplate) {
  client.get("/health/live");
  auto r = client.get("/metrics", {{"Authorization", "Bearer " + kMetricsToken}});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(r.body.find("http_requests_total{method=\"GET\",route=\"/health/live\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(r.body.find("http_request_duration_seconds_bucket{method=\"GET\",route=\"/health/live\""),
            std::string::npos);
  for (auto name : {"db_pool_connections", "redis_up 1", "process_resident_memory_bytes", "process_uptime_seconds"})
    EXPECT_NE(r.body.find(name), std::string::npos) << name;
}

TEST_F(Foundation, MetricsNeedTheTokenOrAnAdmin) {
  auto anonymous = client.get("/metrics");
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_EQ(anonymous.json()["error"]["code"], "UNAUTHORIZED");
  EXPECT_EQ(anonymous.body.find("http_requests_total"), std::string::npos);
  EXPECT_EQ(client.get("/metrics", {{"Authorization", "Bearer " + kMetricsToken + "x"}}).status, 401);
  auto login = client.post("/api/auth/login", {{"email", "admin@example.com"}, {"password", server_->admin_password()}});
  ASSERT_EQ(login.status, 200) << login.body;
  std::string admin = login.json()["accessToken"];
  EXPECT_EQ(client.get("/metrics", {{"Authorization", "Bearer " + admin}}).status, 200);
}

TEST_F(Foundation, UnknownMethodsAre501AndNeverBecomeMetricLabels) {
  for (int i = 0; i < 3; ++i) {
    auto r = client.request("BREW" + std::to_string(i), "/health/live");
    EXPECT_EQ(r.status, 501) << r.body;
    EXPECT_EQ(r.json()["error"]["code"], "NOT_IMPLEMENTED");
  }
  auto m = client.get("/metrics", {{"Authorization", "Bearer " + kMetricsToken}});
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.body.find("BREW"), std::string::npos);
  EXPECT_NE(m.body.find("method=\"OTHER\""), std::string::npos);
}

TEST_F(Foundation, OpenApiDocumentCoversEveryRouteWithItsRole) {
  auto r = client.get("/docs/json");
  ASSERT_EQ(r.status, 200);
  auto doc = r.json();
  EXPECT_EQ(doc["openapi"], "3.0.3");
  for (auto path : {"/health", "/health/live", "/health/ready", "/metrics", "/docs", "/docs/json"}) {
    ASSERT_TRUE(doc["paths"].contains(path)) << path;
    EXPECT_TRUE(doc["paths"][path]["get"].contains("x-min-role")) << path;
    EXPECT_TRUE(doc["paths"][path]["get"].contains("x-api-key-scope")) << path;
  }
  // /metrics checks its caller itself (token or admin session): documented as what a person needs.
  EXPECT_EQ(doc["paths"]["/metrics"]["get"]["x-min-role"], "admin");
  EXPECT_TRUE(doc["paths"]["/metrics"]["get"]["x-api-key-scope"].is_null());
  EXPECT_EQ(doc["paths"]["/v1/chat/completions"]["post"]["x-api-key-scope"], "completions");
  EXPECT_TRUE(doc["paths"]["/api/keys"]["post"]["x-api-key-scope"].is_null());
  auto page = client.get("/docs");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.header("content-type").find("text/html"), std::string::npos);
}

TEST_F(Foundation, EveryDataModelTableExists) {
  const std::set<std::string> expected = {
      "users", "sessions", "conversations", "messages", "model_configs", "ai_providers", "orchestration_rules",
      "usage_logs", "audit_logs", "user_token_stats", "vendors", "locations", "asset_categories",
      "asset_category_spec_versions", "asset_category_spec_defs", "asset_models", "assets", "asset_assignments",
      "asset_events", "asset_attachments", "inventory_sessions", "inventory_items", "workflow_requests", "reminders",
      "maintenance_tickets", "cmdb_ci_types", "cmdb_ci_type_versions", "cmdb_ci_type_attr_defs", "cmdb_cis",
      "cmdb_ci_attr_values", "cmdb_relationship_types", "cmdb_relationships", "cmdb_services",
      "cmdb_service_members", "warehouses", "spare_parts", "spare_part_stock", "stock_documents",
      "stock_document_lines", "spare_part_movements", "repair_orders", "repair_order_parts", "attachments",
      "ops_events", "api_keys", "schema_migrations"};
  auto listed = exec_sql(server_->database_url(),
                         "SELECT string_agg(table_name, ',') FROM information_schema.tables "
                         "WHERE table_schema = 'public'");
  std::set<std::string> actual;
  std::size_t start = 0;
  while (start <= listed.size()) {
    auto comma = listed.find(',', start);
    actual.insert(listed.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (auto& t : expected) EXPECT_TRUE(actual.count(t)) << "missing table " << t;
  // A few types the data model insists on.
  auto col_type = [&](const char* table, const char* col) {
    return exec_sql(server_->database_url(),
                    std::string("SELECT data_type FROM information_schema.columns WHERE table_name='") + table +
                        "' AND column_name='" + col + "'");
  };
  EXPECT_EQ(col_type("assets", "mgmt_ip"), "inet");
  EXPECT_EQ(col_type("assets", "id"), "uuid");
  EXPECT_EQ(col_type("messages", "metadata"), "jsonb");
  EXPECT_EQ(col_type("assets", "created_at"), "timestamp with time zone");
  EXPECT_EQ(col_type("usage_logs", "total_cost"), "numeric");
}

TEST_F(Foundation, FirstAdminIsSeededOnceWithAnArgon2idHash) {
  EXPECT_EQ(exec_sql(server_->database_url(), "SELECT count(*) FROM users"), "1");
  EXPECT_EQ(exec_sql(server_->database_url(), "SELECT role || '/' || tier FROM users"), "super_admin/unlimited");
  auto hash = exec_sql(server_->database_url(), "SELECT password_hash FROM users");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
}

namespace {
// A thread of a process: its name (comm) and the "se.slice" its /proc sched file reports (-1: none).
struct ThreadSched {
  std::string name;
  long long slice_ns = -1;
};
std::vector<ThreadSched> threads_of(int pid) {
  std::vector<ThreadSched> out;
  for (auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    ThreadSched t;
    std::ifstream comm(e.path() / "comm");
    std::getline(comm, t.name);
    std::ifstream sched(e.path() / "sched");
    for (std::string line; std::getline(sched, line);)
      if (line.rfind("se.slice", 0) == 0) t.slice_ns = std::stoll(line.substr(line.find(':') + 1));
    if (e.path().filename() == std::to_string(pid)) t.name = "main:" + t.name;
    out.push_back(t);
  }
  return out;
}
}  // namespace

// NETOPS_WORKER_SLICE_US: every worker (the main thread and netops-w1…) asks for the slice; the threads
// that only wait (Redis invalidations, timers) keep the kernel's default. Kernels before 6.12 have no
// per-thread slices: the server says so and carries on.
TEST_F(Foundation, WorkersRunWithTheConfiguredSchedulerSlice) {
  auto threads = threads_of(server_->pid());
  int workers = 0, others = 0;
  long long other_slice = -1;
  for (auto& t : threads) {
    bool worker = t.name.rfind("main:", 0) == 0 || t.name.rfind("netops-w", 0) == 0;
    if (!worker) {
      ++others;
      other_slice = t.slice_ns;
      continue;
    }
    ++workers;
    if (server_->output().find("no per-thread time slices") != std::string::npos) continue;
    EXPECT_EQ(t.slice_ns, 100000) << t.name;
  }
  EXPECT_EQ(workers, 2);  // NETOPS_THREADS=2 in the test servers
  ASSERT_GT(others, 0);
  if (other_slice >= 0) {
    EXPECT_NE(other_slice, 100000) << "only workers ask for the short slice";
  }
}

TEST(FoundationLifecycle, RestartAppliesNothingTwiceAndSigtermExitsCleanly) {
  auto db = create_database("lifecycle");
  {
    ServerOptions o;
    o.database_url = db;
    ServerProcess first(o);
    first.start();
    auto migrations = exec_sql(db, "SELECT count(*) FROM schema_migrations");
    auto applied_at = exec_sql(db, "SELECT max(applied_at)::text FROM schema_migrations");
    // An idle keep-alive connection must not hold up the shutdown.
    HttpClient idle(first.port());
    EXPECT_EQ(idle.get("/health/live").status, 200);
    EXPECT_EQ(first.stop(SIGTERM, 10000), 0) << first.output();
    EXPECT_NE(first.output().find("applied"), std::string::npos);

    ServerProcess second(o);
    second.start();
    EXPECT_EQ(exec_sql(db, "SELECT count(*) FROM schema_migrations"), migrations);
    EXPECT_EQ(exec_sql(db, "SELECT max(applied_at)::text FROM schema_migrations"), applied_at);
    EXPECT_EQ(exec_sql(db, "SELECT count(*) FROM users"), "1");
    EXPECT_EQ(second.output().find("applied"), std::string::npos) << second.output();
    EXPECT_EQ(second.stop(SIGTERM, 10000), 0);
  }
  // The migrate subcommand agrees: nothing to do.
  std::string cmd = std::string("NETOPS_DATABASE_URL='") + db + "' NETOPS_JWT_SECRET=" + std::string(40, 'x') +
                    " NETOPS_MASTER_KEY=" + std::string(64, 'a') + " " + NETOPS_SERVER_BINARY + " migrate 2>&1";
  std::FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[256];
  while (p && std::fgets(buf, sizeof buf, p)) out += buf;
  int rc = p ? pclose(p) : -1;
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("0 migration(s) applied"), std::string::npos) << out;
  drop_database(db);
}

TEST(FoundationLifecycle, RedisOutageDegradesButKeepsServing) {
  RedisProcess redis;
  redis.start();
  ServerOptions o;
  o.suite = "redisdown";
  o.redis_url = redis.url();
  ServerProcess server(o);
  server.start();
  HttpClient c(server.port());
  ASSERT_TRUE(eventually([&] { return c.get("/health").json()["status"] == "healthy"; }));
  redis.stop();
  ASSERT_TRUE(eventually([&] { return c.get("/health").json()["status"] == "degraded"; }, 15000));
  auto h = c.get("/health");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.json()["services"]["redis"]["status"], "down");
  EXPECT_EQ(c.get("/health/ready").status, 200);
  redis.start();
  EXPECT_TRUE(eventually([&] { return c.get("/health").json()["status"] == "healthy"; }, 15000));
}

TEST(FoundationLifecycle, UnreachableDatabaseFailsReadinessAndAnswers503) {
  ServerOptions o;
  o.database_url = "postgresql://postgres@127.0.0.1:" + std::to_string(free_port()) + "/nothing?connect_timeout=1";
  o.wait_ready = false;
  ServerProcess server(o);
  server.start();
  HttpClient c(server.port());
  EXPECT_EQ(c.get("/health/live").status, 200);
  auto ready = c.get("/health/ready");
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(ready.json()["checks"]["database"], false);
  auto health = c.get("/health");
  EXPECT_EQ(health.status, 503);
  EXPECT_EQ(health.json()["status"], "unhealthy");
  EXPECT_EQ(server.stop(SIGTERM, 10000), 0);
}
