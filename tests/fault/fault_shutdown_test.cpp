// SIGTERM while 500 completions and 100 streams are in flight: each finishes within the grace period (a
// whole 200 answer, a stream ending with [DONE]), nothing new is accepted, the usage of every call is in
// usage_logs when the process has exited, and it exits 0.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include "cluster/cluster_kit.hpp"
#include "support/fault_kit.hpp"

using namespace netops::test;
using namespace cluster;
using nlohmann::json;

namespace {

const std::string kKey = "sk-fault-SECRET0123456789abcdefghijklmnop";

TEST(FaultShutdown, SigtermLetsInFlightRequestsAndStreamsFinish) {
  constexpr int kRequests = 500, kStreams = 100;
  MockLlmProcess mock({"--require-key", kKey, "--chunk-delay-us", "25000"});
  ServerOptions o;
  o.suite = "fault_sigterm";
  o.env = {{"NETOPS_SHUTDOWN_GRACE_S", "20"}, {"NETOPS_ACCESS_LOG", "false"}, {"NETOPS_ACCOUNTING_FLUSH_MS", "100"},
           {"NETOPS_UPSTREAM_RETRIES", "0"}};
  ServerProcess server(o);
  server.start();
  const int port = server.port();
  std::string admin = login_admin(server).token;
  add_mock_provider(port, admin, mock.url(), kKey, {{"mk/slow-2000", true}, {"mk/long-60", true}});
  auto user = new_user(port, admin, "user", "unlimited");
  HttpClient stats(mock.port());
  stats.post("/stats/reset", json::object());

  // 600 connections, one request each; the mock answers the plain ones after 2 s and streams the others for
  // 60 × 25 ms = 1.5 s.
  std::vector<int> fds;
  for (int i = 0; i < kRequests + kStreams; ++i) {
    bool stream = i >= kRequests;
    json b = {{"model", stream ? "mk/long-60" : "mk/slow-2000"},
              {"messages", {{{"role", "user"}, {"content", "in flight " + std::to_string(i)}}}}};
    if (stream) b["stream"] = true;
    std::string body = b.dump();
    std::string req = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + user.token +
                      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                      "\r\nConnection: close\r\n\r\n" + body;
    int fd = connect_to(port);
    ASSERT_GE(fd, 0) << "connection " << i;
    ASSERT_TRUE(send_all(fd, req));
    fds.push_back(fd);
  }
  // Every call has reached the upstream: they are in flight.
  ASSERT_TRUE(eventually([&] { return stats.get("/stats").json()["total"].get<int>() >= kRequests + kStreams; },
                         30000, "all calls in flight at the upstream"));
  pid_t pid = gateway_pid(port);
  ASSERT_GT(pid, 0);
  ::kill(pid, SIGTERM);
  // Nothing new is accepted once draining started (refused, or closed without an answer).
  EXPECT_TRUE(eventually(
      [&] {
        int fd = connect_to(port);
        if (fd < 0) return true;
        bool closed = false;
        if (send_all(fd, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")) {
          char buf[256];
          pollfd p{fd, POLLIN, 0};
          if (::poll(&p, 1, 2000) > 0) closed = ::recv(fd, buf, sizeof buf, 0) <= 0;
        } else {
          closed = true;
        }
        ::close(fd);
        return closed;
      },
      5000, "new connections refused while draining"));

  // Read every answer to its end.
  std::vector<std::string> out(fds.size());
  std::vector<bool> done(fds.size(), false);
  std::size_t open = fds.size();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(25);
  while (open > 0 && std::chrono::steady_clock::now() < deadline) {
    std::vector<pollfd> pfds;
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < fds.size(); ++i)
      if (!done[i]) {
        pfds.push_back({fds[i], POLLIN, 0});
        idx.push_back(i);
      }
    if (::poll(pfds.data(), pfds.size(), 500) <= 0) continue;
    for (std::size_t k = 0; k < pfds.size(); ++k) {
      if (!(pfds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[16384];
      ssize_t n = ::recv(pfds[k].fd, buf, sizeof buf, 0);
      if (n > 0) {
        out[idx[k]].append(buf, static_cast<std::size_t>(n));
      } else {
        done[idx[k]] = true;
        --open;
        ::close(pfds[k].fd);
      }
    }
  }
  EXPECT_EQ(open, 0u) << "connections still open after the grace period";
  int bad = 0;
  for (std::size_t i = 0; i < fds.size(); ++i) {
    bool stream = i >= static_cast<std::size_t>(kRequests);
    bool ok = out[i].rfind("HTTP/1.1 200", 0) == 0 &&
              (stream ? out[i].find("data: [DONE]") != std::string::npos : out[i].find("\"usage\"") != std::string::npos);
    if (!ok && bad++ < 3) ADD_FAILURE() << (stream ? "stream " : "request ") << i << ": " << out[i].substr(0, 600);
    if (!done[i]) ::close(fds[i]);
  }
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(server.stop(0, 30000), 0) << server.output().substr(0, 3000);
  // The process is gone; the accounting it flushed on the way out is complete.
  EXPECT_EQ(exec_sql(server.database_url(), "SELECT count(*) FROM usage_logs WHERE user_id = '" + user.id + "'"),
            std::to_string(kRequests + kStreams));
  EXPECT_EQ(exec_sql(server.database_url(), "SELECT count(*) FROM usage_logs WHERE user_id = '" + user.id +
                                                "' AND status <> 'success'"),
            "0");
}

}  // namespace
