// Three gateway instances on one database and one Redis behind nginx (the configuration script/cluster
// generates, round robin, on free ports — never 3000-3003), driven through nginx. nginx adds
// X-Netops-Upstream (NETOPS_CLUSTER_DEBUG_HEADER=1), so every test shows that its requests really reached
// all three instances.
//   - logout, API-key revocation and a role change hold on the very next request on every instance;
//   - a user's rate limit is counted once across instances: the same number of requests pass as on one;
//   - a budget is counted once: tokens recorded once per call, and every instance refuses once it is spent;
//   - registry changes (model disabled, provider key rotated) are seen by the next request on every instance;
//   - a chat conversation continued on the other instances keeps its whole context;
//   - streams pass through nginx unbuffered, and POSTs are never retried on another instance.
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <set>

#include "cluster/cluster_kit.hpp"

using namespace netops::test;
using cluster::NginxProcess;
using nlohmann::json;

namespace {

const std::string kKey = "sk-cluster-SECRET0123456789abcdefghijklmnop";
const std::string kWrongKey = "sk-wrongkey-SECRET9876543210zyxwvutsrqpon";

class Cluster : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    mock_ = new MockLlmProcess({"--require-key", kKey, "--chunk-delay-us", "20000"});
    std::map<std::string, std::string> env = {
        {"NETOPS_RATE_LIMIT_MODE", "exact"},
        {"NETOPS_TRUSTED_PROXIES", "127.0.0.1"},
        {"NETOPS_THREADS", "1"},
        {"NETOPS_DB_POOL_SIZE", "4"},
        {"NETOPS_ACCESS_LOG", "false"},
        {"NETOPS_RATE_LIMIT_FREE", "12"},
        {"NETOPS_BUDGET_PRO_DAILY_USD", "0"},
        {"NETOPS_BUDGET_PRO_MONTHLY_USD", "0"},
        {"NETOPS_BUDGET_PRO_DAILY_TOKENS", "100"},
        {"NETOPS_BUDGET_PRO_MONTHLY_TOKENS", "0"},
        {"NETOPS_ACCOUNTING_FLUSH_MS", "50"},
        {"NETOPS_REMINDER_INTERVAL_S", "0"},
        {"NETOPS_CHAT_SUMMARY_TOKENS", "0"},
        {"NETOPS_UPSTREAM_RETRIES", "0"},
    };
    ServerOptions first;
    first.suite = "cluster";
    first.env = env;
    instances_.push_back(new ServerProcess(first));
    instances_[0]->start();
    for (int i = 1; i < 3; ++i) {
      ServerOptions o;
      o.suite = "cluster";
      o.env = env;
      o.database_url = instances_[0]->database_url();
      o.redis_url = instances_[0]->redis_url();
      instances_.push_back(new ServerProcess(o));
      instances_.back()->start();
    }
    nginx_ = new NginxProcess(free_port(), {instances_[0]->port(), instances_[1]->port(), instances_[2]->port()});
    admin_ = login(nginx_->port(), kAdminEmail, instances_[0]->admin_password()).token;
    HttpClient c(nginx_->port());
    auto p = c.post("/api/providers", {{"id", "mk"}, {"name", "mk"}, {"apiEndpoint", mock_->url() + "/v1"},
                                       {"authType", "bearer"}, {"apiKey", kKey}},
                    bearer(admin_));
    ASSERT_EQ(p.status, 201) << p.body;
    for (const char* id : {"mk/echo", "mk/inspect", "mk/long-40", "mk/toggle"}) {
      auto m = c.post("/api/models",
                      {{"id", id}, {"provider", "mk"}, {"tier", 0}, {"costPer1kInput", "0.001"},
                       {"costPer1kOutput", "0.002"}, {"supportsStreaming", true},
                       {"priority", std::string(id) == "mk/echo" ? 1 : 500}},
                      bearer(admin_));
      ASSERT_EQ(m.status, 201) << m.body;
    }
    // The other instances pick the new models up within about a second (registry:version).
    for (const char* id : {"mk/echo", "mk/inspect", "mk/long-40", "mk/toggle"})
      ASSERT_TRUE(eventually(
          [&] {
            for (int i = 0; i < 3; ++i)
              if (c.post("/v1/chat/completions", {{"model", id}, {"messages", {{{"role", "user"}, {"content", "warm"}}}}},
                         bearer(admin_))
                      .status != 200)
                return false;
            return true;
          },
          10000, std::string("every instance routing ") + id));
  }
  static void TearDownTestSuite() {
    delete nginx_;
    // The first instance owns the database: stop it last.
    for (auto it = instances_.rbegin(); it != instances_.rend(); ++it) delete *it;
    instances_.clear();
    delete mock_;
  }

  static std::string upstream(const HttpResponse& r) { return r.header("x-netops-upstream"); }
  std::string sql(const std::string& q) { return exec_sql(instances_[0]->database_url(), q); }
  // `n` requests in a row; every answer must have `status`; returns the instances that answered.
  std::set<std::string> all_answer(int status, int n, const std::function<HttpResponse()>& send,
                                   const std::string& what) {
    std::set<std::string> seen;
    for (int i = 0; i < n; ++i) {
      auto r = send();
      EXPECT_EQ(r.status, status) << what << " (request " << i << " on " << upstream(r) << "): " << r.body;
      seen.insert(upstream(r));
    }
    EXPECT_EQ(seen.size(), 3u) << what << ": requests did not reach all three instances";
    return seen;
  }
  HttpResponse complete(const std::string& model, const std::string& text, const Headers& h, bool stream = false) {
    json b = {{"model", model}, {"messages", {{{"role", "user"}, {"content", text}}}}};
    if (stream) b["stream"] = true;
    return client.post("/v1/chat/completions", b, h);
  }

  static inline std::vector<ServerProcess*> instances_;
  static inline NginxProcess* nginx_ = nullptr;
  static inline MockLlmProcess* mock_ = nullptr;
  static inline std::string admin_;
  HttpClient client{nginx_ ? nginx_->port() : 0};
};

TEST_F(Cluster, LogoutIsEffectiveOnTheNextRequestOnEveryInstance) {
  auto s = new_user(nginx_->port(), admin_, "user", "pro");
  all_answer(200, 6, [&] { return client.get("/api/auth/me", s.auth()); }, "before logout");
  auto out = client.request("POST", "/api/auth/logout", "", s.auth());
  ASSERT_EQ(out.status, 204) << out.body;
  all_answer(401, 6, [&] { return client.get("/api/auth/me", s.auth()); }, "after logout");
  // The refresh token is dead everywhere as well.
  all_answer(401, 3,
             [&] { return client.post("/api/auth/refresh", {{"refreshToken", s.body["refreshToken"]}}); },
             "refresh after logout");
}

TEST_F(Cluster, RoleChangeIsEffectiveOnTheNextRequestOnEveryInstance) {
  auto s = new_user(nginx_->port(), admin_, "admin", "pro");
  all_answer(200, 6, [&] { return client.get("/api/admin/users?limit=1", s.auth()); }, "as admin");
  auto demote = client.request("PATCH", "/api/admin/users/" + s.id, json{{"role", "user"}}.dump(), bearer(admin_));
  ASSERT_EQ(demote.status, 200) << demote.body;
  // A role change ends the user's sessions: the old token (which says admin) is refused everywhere …
  all_answer(401, 6, [&] { return client.get("/api/admin/users?limit=1", s.auth()); }, "the old token after the demotion");
  // … and a new session has the new role on every instance.
  auto again = login(nginx_->port(), s.email);
  all_answer(403, 6, [&] { return client.get("/api/admin/users?limit=1", again.auth()); }, "after the demotion");
  all_answer(200, 3, [&] { return client.get("/api/auth/me", again.auth()); }, "the demoted user's own profile");
  // Deactivation: 401 at once everywhere.
  auto off = client.request("PATCH", "/api/admin/users/" + s.id, json{{"status", "inactive"}}.dump(), bearer(admin_));
  ASSERT_EQ(off.status, 200) << off.body;
  all_answer(401, 6, [&] { return client.get("/api/auth/me", again.auth()); }, "after deactivation");
}

TEST_F(Cluster, RevokedApiKeyIsRefusedByEveryInstance) {
  // Several rounds: the request right after the revocation lands on another instance each time (round
  // robin), which is where a revocation message still on its way would show.
  auto s = new_user(nginx_->port(), admin_, "user", "pro");
  for (int round = 0; round < 5; ++round) {
    auto key = create_api_key(nginx_->port(), s.token, {{"name", "k" + std::to_string(round)}, {"scopes", {"read"}}});
    Headers kh = bearer(key["key"]);
    all_answer(200, 6, [&] { return client.get("/api/auth/me", kh); }, "the key before revocation");
    auto del = client.request("DELETE", "/api/keys/" + key["id"].get<std::string>(), "", s.auth());
    ASSERT_EQ(del.status, 204) << del.body;
    all_answer(401, 6, [&] { return client.get("/api/auth/me", kh); }, "the revoked key, round " + std::to_string(round));
  }
}

TEST_F(Cluster, RateLimitIsCountedOnceAcrossInstances) {
  // Tier free allows 12 requests a minute here: 18 requests spread over three instances pass 12 times,
  // exactly as on one instance (never 3 × 12).
  auto s = new_user(nginx_->port(), admin_, "user", "free");
  int passed = 0, refused = 0;
  std::set<std::string> seen;
  for (int i = 0; i < 18; ++i) {
    auto r = client.get("/api/auth/me", s.auth());
    seen.insert(upstream(r));
    if (r.status == 200) {
      ++passed;
      EXPECT_EQ(r.header("x-ratelimit-limit"), "12");
      EXPECT_EQ(r.header("x-ratelimit-remaining"), std::to_string(12 - passed)) << "on " << upstream(r);
    } else {
      EXPECT_EQ(r.status, 429) << r.body;
      EXPECT_EQ(r.json()["error"]["code"], "RATE_LIMITED");
      ++refused;
    }
  }
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(passed, 12);
  EXPECT_EQ(refused, 6);
}

TEST_F(Cluster, BudgetIsCountedOnceAcrossInstances) {
  // Tier pro may use 100 tokens a day here; each call costs 13 (ceil(18/4) + 3 prompt, 5 completion).
  auto s = new_user(nginx_->port(), admin_, "user", "pro");
  long long answered_tokens = 0;
  int ok = 0;
  std::set<std::string> seen;
  for (int i = 0; i < 40; ++i) {
    auto r = complete("mk/echo", "hello there budget", s.auth());
    if (r.status == 429) {
      EXPECT_EQ(r.json()["error"]["code"], "BUDGET_EXCEEDED") << r.body;
      break;
    }
    ASSERT_EQ(r.status, 200) << r.body;
    ++ok;
    seen.insert(upstream(r));
    answered_tokens += r.json()["usage"]["total_tokens"].get<long long>();
  }
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_GE(ok, 8) << "refused before the budget was spent";
  // Once the accounting is written, every instance refuses on its next request.
  EXPECT_TRUE(eventually(
      [&] {
        std::set<std::string> refusing;
        for (int i = 0; i < 3; ++i) {
          auto r = complete("mk/echo", "hello there budget", s.auth());
          if (r.status == 200) {
            answered_tokens += r.json()["usage"]["total_tokens"].get<long long>();
            ++ok;
          }
          if (r.status == 429) refusing.insert(upstream(r));
        }
        return refusing.size() == 3;
      },
      10000, "all three instances refusing the spent budget"));
  // Counted once: the recorded usage is exactly what the client was told, whichever instance served it.
  EXPECT_TRUE(eventually(
      [&] {
        auto logs = sql("SELECT count(*) || '/' || coalesce(sum(total_tokens), 0) FROM usage_logs WHERE user_id = '" +
                        s.id + "'");
        auto stats = sql("SELECT coalesce(sum(total_tokens), 0) FROM user_token_stats WHERE user_id = '" + s.id + "'");
        std::string want = std::to_string(ok) + "/" + std::to_string(answered_tokens);
        if (logs == want && stats == std::to_string(answered_tokens)) return testing::AssertionSuccess();
        return testing::AssertionFailure() << "usage_logs " << logs << ", user_token_stats " << stats << ", want "
                                           << want;
      },
      10000, "usage recorded once per call"));
}

// Every instance routes with its own in-memory snapshot of the registry (modules/ai_registry/registry.hpp).
// The write publishes on the invalidation bus and answers only after a PING that follows the PUBLISH, and
// every instance checks the bus before serving its snapshot: the very next request, whichever instance
// serves it, sees the change — no waiting. Five rounds of each change, because a race would show only now
// and then. (Without the bus — Redis down — instances poll registry:version once a second; not tested here.)
TEST_F(Cluster, RegistryChangesAreSeenByEveryInstance) {
  auto s = new_user(nginx_->port(), admin_, "user", "enterprise");
  int n = 0;
  // The three requests right after the write (they reach the three instances) must all answer accordingly.
  auto next_three = [&](bool want_ok, const std::string& what) {
    std::set<std::string> seen;
    for (int i = 0; i < 3; ++i) {
      auto r = complete("mk/toggle", what + " " + std::to_string(++n), s.auth());  // distinct: no cached answer
      EXPECT_EQ(r.status == 200, want_ok) << what << " (request " << i << " on " << upstream(r) << "): " << r.status
                                         << " " << r.body;
      seen.insert(upstream(r));
    }
    EXPECT_EQ(seen.size(), 3u) << what << ": requests did not reach all three instances";
  };
  auto patch = [&](const std::string& path, const json& body) {
    auto r = client.request("PATCH", path, body.dump(), bearer(admin_));
    ASSERT_EQ(r.status, 200) << r.body;
  };
  next_three(true, "model enabled");
  for (int round = 0; round < 5; ++round) {
    patch("/api/models/mk%2Ftoggle", {{"enabled", false}});
    next_three(false, "disabled, round " + std::to_string(round));
    patch("/api/models/mk%2Ftoggle", {{"enabled", true}});
    next_three(true, "enabled again, round " + std::to_string(round));
  }
  // Key rotation: the upstream accepts only kKey. A wrong key is used by every instance at once …
  for (int round = 0; round < 5; ++round) {
    patch("/api/providers/mk", {{"apiKey", kWrongKey}});
    next_three(false, "wrong key, round " + std::to_string(round));
    // … and so is the rotated one.
    patch("/api/providers/mk", {{"apiKey", kKey}});
    next_three(true, "rotated key, round " + std::to_string(round));
  }
}

TEST_F(Cluster, ChatConversationKeepsItsContextOnEveryInstance) {
  auto s = new_user(nginx_->port(), admin_, "user", "enterprise");
  auto first = client.post("/api/chat/messages", {{"message", "first question"}, {"model", "mk/echo"}}, s.auth());
  ASSERT_EQ(first.status, 200) << first.body;
  std::string conv = first.json()["conversationId"];
  std::vector<std::string> served{upstream(first)};
  auto second = client.post("/api/chat/messages",
                            {{"conversationId", conv}, {"message", "second question"}, {"model", "mk/echo"}}, s.auth());
  ASSERT_EQ(second.status, 200) << second.body;
  served.push_back(upstream(second));
  auto third = client.post("/api/chat/messages",
                           {{"conversationId", conv}, {"message", "third question"}, {"model", "mk/inspect"}}, s.auth());
  ASSERT_EQ(third.status, 200) << third.body;
  served.push_back(upstream(third));
  EXPECT_EQ(std::set<std::string>(served.begin(), served.end()).size(), 3u) << "turns did not move between instances";
  json transcript = json::parse(third.json()["message"].get<std::string>());
  json want = json::array({{{"role", "user"}, {"content", "first question"}},
                           {{"role", "assistant"}, {"content", "first question"}},
                           {{"role", "user"}, {"content", "second question"}},
                           {{"role", "assistant"}, {"content", "second question"}},
                           {{"role", "user"}, {"content", "third question"}}});
  // A system prompt, if the server adds one, comes first; the history must be all there, in order.
  if (!transcript.empty() && transcript[0]["role"] == "system") transcript.erase(transcript.begin());
  EXPECT_EQ(transcript, want);
}

TEST_F(Cluster, StreamsPassThroughNginxAsTheyAreWritten) {
  auto s = new_user(nginx_->port(), admin_, "user", "enterprise");
  // The mock writes an event every 20 ms; the first one reaches the client while the instance is still
  // streaming (its usage row, written at the end of the stream, does not exist yet).
  std::string rid = "cluster-stream-" + unique("r");
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket sock(ioc);
  sock.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                              static_cast<unsigned short>(nginx_->port())));
  json b = {{"model", "mk/long-40"}, {"stream", true}, {"messages", {{{"role", "user"}, {"content", "go"}}}}};
  std::string body = b.dump();
  std::string req = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + s.token +
                    "\r\nX-Request-Id: " + rid + "\r\nContent-Type: application/json\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  boost::asio::write(sock, boost::asio::buffer(req));
  std::string got;
  char buf[4096];
  boost::system::error_code ec;
  while (got.find("data: {") == std::string::npos) {
    std::size_t n = sock.read_some(boost::asio::buffer(buf), ec);
    if (ec) break;
    got.append(buf, n);
  }
  ASSERT_NE(got.find("data: {"), std::string::npos) << got;
  EXPECT_EQ(sql("SELECT count(*) FROM usage_logs WHERE request_id = '" + rid + "'"), "0")
      << "the first event arrived only after the stream had ended (buffered)";
  for (;;) {
    std::size_t n = sock.read_some(boost::asio::buffer(buf), ec);
    if (ec) break;
    got.append(buf, n);
  }
  EXPECT_NE(got.find("data: [DONE]"), std::string::npos) << got.substr(0, 500);
  EXPECT_TRUE(eventually([&] { return sql("SELECT count(*) FROM usage_logs WHERE request_id = '" + rid + "'") == "1"; },
                         5000, "the stream's usage row"));
}

TEST_F(Cluster, PostsAreNeverRetriedOnAnotherInstance) {
  // A completion that fails upstream is answered as it failed, and was sent once: nginx's
  // proxy_next_upstream never replays a POST (one usage row, one upstream request).
  auto s = new_user(nginx_->port(), admin_, "user", "enterprise");
  std::string rid = "cluster-once-" + unique("r");
  Headers h = s.auth();
  h.emplace_back("X-Request-Id", rid);
  auto r = client.post("/v1/chat/completions",
                       {{"model", "mk/echo"}, {"messages", {{{"role", "user"}, {"content", "once"}}}}}, h);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(eventually([&] { return sql("SELECT count(*) FROM usage_logs WHERE request_id = '" + rid + "'") == "1"; },
                         5000, "one usage row"));
  // An instance that is down is skipped for GETs (connection refused before anything was sent): every
  // request is answered while one of the three is stopped.
  instances_[2]->stop();
  for (int i = 0; i < 6; ++i) {
    auto g = client.get("/api/auth/me", s.auth());
    EXPECT_EQ(g.status, 200) << g.body << " via " << upstream(g);
  }
  instances_[2]->start();
}

}  // namespace
