// A hostile LLM upstream (written here: plain sockets, one thread per connection), chosen by the model name:
//   reset-mid     SSE headers and one event, then a TCP reset
//   stall         SSE headers and one event, then silence (the idle timeout, 1 s here, must cut it)
//   garbage       bytes that are not HTTP at all
//   badjson       a 200 whose JSON body is not JSON
//   endless       a 200 JSON body that never ends (chunked)
//   endless-sse   an event stream that never ends (the total timeout, 3 s here, must cut it)
//   silent-sse    event-stream headers, then silence before any event (the idle timeout must cut it)
//   empty-sse     event-stream headers, then the end of the body without any event
//   fine-sse      a well-formed stream: one event, [DONE] (the failover target of the commit test)
// Each, streamed and not: the client gets a clean error (an envelope) or a stream that ends; a usage row is
// written for the call; and more rounds leave no descriptors behind and do not grow the memory.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <list>

#include "cluster/cluster_kit.hpp"
#include "support/fault_kit.hpp"

using namespace netops::test;
using namespace cluster;
using nlohmann::json;

namespace {

class EvilUpstream {
 public:
  EvilUpstream() {
    fd_ = listen_loopback(port_);
    acceptor_ = std::thread([this] {
      for (;;) {
        int c = ::accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        std::lock_guard lock(mu_);
        if (stop_) {
          ::close(c);
          return;
        }
        workers_.emplace_back([this, c] { serve(c); });
      }
    });
  }
  ~EvilUpstream() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    acceptor_.join();
    std::lock_guard lock(mu_);
    for (auto& t : workers_) t.join();
  }
  int port() const { return port_; }

 private:
  static std::string chunk(const std::string& s) {
    char len[16];
    std::snprintf(len, sizeof len, "%zx\r\n", s.size());
    return len + s + "\r\n";
  }
  static std::string event(const std::string& text) {
    json j = {{"id", "chatcmpl-evil"},
              {"object", "chat.completion.chunk"},
              {"created", 1},
              {"model", "evil"},
              {"choices", {{{"index", 0}, {"delta", {{"role", "assistant"}, {"content", text}}}, {"finish_reason", nullptr}}}}};
    return "data: " + j.dump() + "\n\n";
  }
  // Waits while the test runs; false once it stops or the peer closed.
  bool hold(int fd, int ms) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, ms) > 0) {
      char b[1024];
      if (::recv(fd, b, sizeof b, MSG_DONTWAIT) == 0) return false;
    }
    return !stop_;
  }
  void serve(int fd) {
    std::string req;
    char buf[8192];
    // The request: headers, then Content-Length bytes.
    for (;;) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        ::close(fd);
        return;
      }
      req.append(buf, static_cast<std::size_t>(n));
      auto end = req.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      auto cl = req.find("Content-Length: ");
      if (cl == std::string::npos) cl = req.find("content-length: ");
      std::size_t len = cl == std::string::npos ? 0 : std::stoul(req.substr(cl + 16));
      if (req.size() >= end + 4 + len) break;
    }
    const std::string sse_head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    if (req.find("reset-mid") != std::string::npos) {
      send_all(fd, sse_head + chunk(event("Hel")));
      linger l{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);  // close → RST
    } else if (req.find("endless-sse") != std::string::npos) {
      if (send_all(fd, sse_head))
        while (send_all(fd, chunk(event("more "))) && hold(fd, 5)) {
        }
    } else if (req.find("silent-sse") != std::string::npos) {
      if (send_all(fd, sse_head))
        while (hold(fd, 100)) {
        }
    } else if (req.find("empty-sse") != std::string::npos) {
      send_all(fd, sse_head + "0\r\n\r\n");
      hold(fd, 1000);  // the end of the body, not of the connection
    } else if (req.find("fine-sse") != std::string::npos) {
      send_all(fd, sse_head + chunk(event("fine")) + chunk("data: [DONE]\n\n") + "0\r\n\r\n");
      hold(fd, 1000);
    } else if (req.find("stall") != std::string::npos) {
      if (send_all(fd, sse_head + chunk(event("Hel"))))
        while (hold(fd, 100)) {
        }
    } else if (req.find("garbage") != std::string::npos) {
      send_all(fd, "\x01\x02 this is not HTTP at all \xff\xfe\r\n\r\n{]]");
    } else if (req.find("badjson") != std::string::npos) {
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 21\r\n\r\n{\"choices\": [ nope }}");
    } else if (req.find("endless") != std::string::npos) {
      if (send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                           chunk("{\"choices\":[{\"message\":{\"content\":\"")))
        while (send_all(fd, chunk(std::string(16384, 'a'))) && !stop_) {
        }
    }
    ::close(fd);
  }

  int fd_;
  int port_;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::mutex mu_;
  std::list<std::thread> workers_;
};

// The hostile upstream as provider "evil" and one model per kind on it: the HTTP statuses of the calls.
int add_evil_provider(HttpClient& c, const std::string& admin, int evil_port) {
  return c.post("/api/providers",
                {{"id", "evil"}, {"name", "evil"},
                 {"apiEndpoint", "http://127.0.0.1:" + std::to_string(evil_port) + "/v1"}, {"authType", "none"}},
                bearer(admin))
      .status;
}
int add_evil_model(HttpClient& c, const std::string& admin, const std::string& kind, int tier, int priority) {
  return c.post("/api/models",
                {{"id", "evil/" + kind}, {"provider", "evil"}, {"tier", tier}, {"costPer1kInput", "0.001"},
                 {"costPer1kOutput", "0.002"}, {"supportsStreaming", true}, {"priority", priority}},
                bearer(admin))
      .status;
}

TEST(FaultUpstream, HostileUpstreamsEndCleanlyAreAccountedAndLeakNothing) {
  EvilUpstream evil;
  ServerOptions o;
  o.suite = "fault_upstream";
  o.env = {{"NETOPS_UPSTREAM_IDLE_TIMEOUT_MS", "1000"},
           {"NETOPS_UPSTREAM_FIRST_BYTE_TIMEOUT_MS", "2000"},
           {"NETOPS_UPSTREAM_TOTAL_TIMEOUT_MS", "3000"},
           {"NETOPS_UPSTREAM_RETRIES", "0"},
           {"NETOPS_BREAKER_FAILURES", "1000"},
           {"NETOPS_ACCOUNTING_FLUSH_MS", "50"},
           {"NETOPS_ACCESS_LOG", "false"}};
  ServerProcess server(o);
  server.start();
  const int port = server.port();
  std::string admin = login_admin(server).token;
  HttpClient c(port);
  ASSERT_EQ(add_evil_provider(c, admin, evil.port()), 201);
  const std::vector<std::string> kinds = {"reset-mid", "stall",       "garbage",   "badjson",
                                          "endless",   "endless-sse", "silent-sse", "empty-sse"};
  for (auto& k : kinds) ASSERT_EQ(add_evil_model(c, admin, k, 0, 900), 201);
  auto user = new_user(port, admin, "user", "unlimited");
  pid_t pid = gateway_pid(port);
  ASSERT_GT(pid, 0);
  const long rss_start = rss_kb(pid);

  std::atomic<int> round_no{0};
  // One call of each kind, streamed and not, all at once (the slow ones end by the timeouts above).
  auto round = [&](bool check) {
    std::vector<std::thread> calls;
    for (auto& k : kinds)
      for (bool stream : {false, true})
        calls.emplace_back([&, k, stream] {
          std::string rid = "evil-" + k + (stream ? "-s-" : "-n-") + std::to_string(++round_no);
          json b = {{"model", "evil/" + k}, {"messages", {{{"role", "user"}, {"content", "hello"}}}}};
          if (stream) b["stream"] = true;
          HttpClient h(port);
          HttpResponse r;
          try {
            r = h.post("/v1/chat/completions", b, {{"Authorization", "Bearer " + user.token}, {"X-Request-Id", rid}});
          } catch (const std::exception& e) {
            ADD_FAILURE() << k << (stream ? " stream" : "") << ": the connection failed: " << e.what();
            return;
          }
          if (!check) return;
          if (r.status == 200) {
            // Only a stream may have started; it has ended (the client read it to its end) and says how.
            EXPECT_TRUE(stream) << k << ": a 200 for a failed call: " << r.body.substr(0, 300);
            EXPECT_NE(r.header("content-type").find("text/event-stream"), std::string::npos);
            EXPECT_NE(r.body.find("error"), std::string::npos)
                << k << ": a cut stream without an error event: "
                << r.body.substr(r.body.size() > 400 ? r.body.size() - 400 : 0);
          } else {
            EXPECT_GE(r.status, 500) << k << " " << r.body;
            EXPECT_TRUE(json::accept(r.body) && json::parse(r.body).contains("error")) << k << ": " << r.body.substr(0, 300);
          }
          EXPECT_TRUE(eventually(
              [&] {
                return exec_sql(server.database_url(), "SELECT count(*) FROM usage_logs WHERE request_id = '" + rid +
                                                           "' AND status = 'error'") == "1";
              },
              5000, "the error usage row of " + rid));
        });
    for (auto& t : calls) t.join();
  };
  round(true);
  HttpClient h(port);
  ASSERT_EQ(h.get("/health/live").status, 200);
  long fds_before = open_fds(pid);
  for (int i = 0; i < 2; ++i) round(false);
  ASSERT_EQ(h.get("/health/live").status, 200);
  EXPECT_TRUE(eventually([&] { return open_fds(pid) <= fds_before + 4; }, 10000, "upstream sockets released"))
      << open_fds(pid) << " descriptors, " << fds_before << " before";
  // Memory is bounded, not leaked: a non-streamed answer is capped (64 MiB, llm ClientOptions), so the
  // first rounds may raise the RSS by that much (the allocator keeps freed memory), but more rounds of
  // endless bodies do not raise it further.
  // The allocator gives freed pages back a little later (mimalloc purges after a delay), and the last
  // answers of a round are freed just before it ends: so each figure is the RSS once it has come down,
  // waited for up to 5 s — a leak never comes down.
  auto settled_rss = [&](long below) {
    long rss = rss_kb(pid);
    (void)eventually([&] { return (rss = rss_kb(pid)) < below; }, 5000, "the RSS coming down");
    return rss;
  };
  long rss_settled = settled_rss(rss_start + 32 * 1024);
  for (int i = 0; i < 2; ++i) round(false);
  ASSERT_EQ(h.get("/health/live").status, 200);
  const long rss_end = settled_rss(std::min(rss_settled + 16 * 1024, rss_start + 32 * 1024));
  std::printf("RSS: %ld kB at start, %ld kB after 3 rounds, %ld kB after 5\n", rss_start, rss_settled, rss_end);
  EXPECT_LT(rss_end, rss_settled + 16 * 1024) << "RSS grew from " << rss_settled << " kB over two more rounds";
  // And what the large answers took is given back (core/allocator.hpp): not kept in the allocator's arenas.
  EXPECT_LT(rss_end, rss_start + 32 * 1024) << "RSS " << rss_end << " kB, " << rss_start << " kB before the rounds";
  EXPECT_TRUE(eventually([&] { return open_fds(pid) <= fds_before + 4; }, 10000, "upstream sockets released"));
  EXPECT_EQ(server.stop(), 0);
}

// NETOPS_STREAM_COMMIT: by default a stream is committed at the upstream's 2xx event-stream headers (the
// client's first byte does not wait for the upstream's first event), so an upstream that then ends without
// any event ends the client's stream with an error event; with first_event the gateway waits for that event
// and fails over to the next model instead.
TEST(FaultUpstream, StreamCommitDecidesWhetherAStreamFailingBeforeItsFirstEventFailsOver) {
  EvilUpstream evil;
  for (std::string mode : {"headers", "first_event"}) {
    SCOPED_TRACE("NETOPS_STREAM_COMMIT=" + mode);
    ServerOptions o;
    o.suite = "fault_commit";
    o.env = {{"NETOPS_STREAM_COMMIT", mode}, {"NETOPS_UPSTREAM_RETRIES", "0"}, {"NETOPS_ACCESS_LOG", "false"},
             {"NETOPS_ACCOUNTING_FLUSH_MS", "50"}};
    ServerProcess server(o);
    server.start();
    const int port = server.port();
    std::string admin = login_admin(server).token;
    HttpClient c(port);
    ASSERT_EQ(add_evil_provider(c, admin, evil.port()), 201);
    // tier 3: first the one that fails, then the good one
    ASSERT_EQ(add_evil_model(c, admin, "empty-sse", 3, 1), 201);
    ASSERT_EQ(add_evil_model(c, admin, "fine-sse", 3, 2), 201);
    auto user = new_user(port, admin, "user", "unlimited");
    json b = {{"model", "tier:3"}, {"stream", true}, {"messages", {{{"role", "user"}, {"content", "hello"}}}}};
    auto r = c.post("/v1/chat/completions", b, {{"Authorization", "Bearer " + user.token}, {"X-Request-Id", "commit-" + mode}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.header("content-type").find("text/event-stream"), std::string::npos);
    if (mode == "headers") {
      EXPECT_EQ(r.header("x-netops-model"), "evil/empty-sse");
      EXPECT_EQ(r.header("x-netops-attempts"), "1");
      EXPECT_NE(r.body.find("\"error\""), std::string::npos) << r.body;
      EXPECT_EQ(r.body.find("fine"), std::string::npos) << r.body;
    } else {
      EXPECT_EQ(r.header("x-netops-model"), "evil/fine-sse");
      EXPECT_EQ(r.header("x-netops-attempts"), "2");
      EXPECT_NE(r.body.find("fine"), std::string::npos) << r.body;
      EXPECT_NE(r.body.find("[DONE]"), std::string::npos) << r.body;
    }
    // Either way the call is accounted: one row per model called, the failed one as an error.
    EXPECT_TRUE(eventually(
        [&] {
          return exec_sql(server.database_url(), "SELECT count(*) FROM usage_logs WHERE request_id = 'commit-" + mode +
                                                     "' AND model_id = 'evil/empty-sse' AND status = 'error'") == "1";
        },
        5000, "the error usage row of the stream that ended without an event"));
    EXPECT_EQ(server.stop(), 0);
  }
}

}  // namespace
