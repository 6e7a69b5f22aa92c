// Hostile clients against one instance: slowloris headers, bodies that stop halfway, 10,000 idle keep-alive
// connections, pipelined requests, oversized headers, invalid UTF-8, deeply nested JSON, huge numbers. Each
// gets its 4xx or is closed on time, and the process never dies (same pid, /health/live at the end).
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <iostream>

#include "cluster/cluster_kit.hpp"
#include "support/fault_kit.hpp"

using namespace netops::test;
using namespace cluster;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// Reads until the peer closes or timeout_ms passes; `closed` tells which.
std::string read_until_close(int fd, int timeout_ms, bool& closed) {
  std::string out;
  closed = false;
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    if (::poll(&p, 1, std::max(1, left)) <= 0) continue;
    char buf[8192];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      closed = true;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

int status_of(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

class FaultClients : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = "fault_clients";
    o.env = {{"NETOPS_HEADER_TIMEOUT_MS", "1000"},
             {"NETOPS_BODY_TIMEOUT_MS", "1000"},
             {"NETOPS_IDLE_TIMEOUT_MS", "3000"},
             {"NETOPS_MAX_CONNECTIONS", "12000"},
             {"NETOPS_ACCESS_LOG", "false"}};
    server_ = new ServerProcess(o);
    server_->start();
    admin_ = login_admin(*server_).token;
    pid_ = gateway_pid(server_->port());
  }
  static void TearDownTestSuite() {
    if (server_) {
      // The process survived everything: same pid, still answering, and it stops cleanly.
      EXPECT_EQ(gateway_pid(server_->port()), pid_);
      HttpClient c(server_->port());
      EXPECT_EQ(c.get("/health/live").status, 200);
      EXPECT_EQ(server_->stop(), 0);
    }
    delete server_;
    server_ = nullptr;
  }
  int port() const { return server_->port(); }
  // One raw request on a fresh connection; the answer's status (0 when closed without one).
  int raw_status(const std::string& bytes, std::string* body = nullptr) {
    int fd = connect_to(port());
    EXPECT_GE(fd, 0);
    send_all(fd, bytes);
    bool closed = false;
    std::string out = read_until_close(fd, 5000, closed);
    ::close(fd);
    if (body) *body = out;
    return status_of(out);
  }
  std::string post(const std::string& path, const std::string& body, const std::string& token = "") {
    std::string auth = token.empty() ? "" : "Authorization: Bearer " + token + "\r\n";
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + auth +
           "Content-Type: application/json\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
  }

  static inline ServerProcess* server_ = nullptr;
  static inline std::string admin_;
  static inline pid_t pid_ = -1;
};

TEST_F(FaultClients, SlowlorisHeadersAreCutAtTheHeaderTimeout) {
  int fd = connect_to(port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(send_all(fd, "GET /health/live HTTP/1.1\r\nHost: x\r\n"));
  auto start = Clock::now();
  bool closed = false;
  // A header line every 200 ms for up to 10 s: each byte arriving must not extend the 1 s header timeout.
  for (int i = 0; i < 50 && !closed; ++i) {
    if (!send_all(fd, "X-Slow-" + std::to_string(i) + ": a\r\n")) {
      closed = true;
      break;
    }
    read_until_close(fd, 200, closed);
  }
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  ::close(fd);
  EXPECT_TRUE(closed) << "the server kept a slowloris connection for 10 s";
  EXPECT_LT(secs, 5.0);
}

TEST_F(FaultClients, ABodyThatStopsHalfwayIsCutAtTheBodyTimeout) {
  int fd = connect_to(port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(send_all(fd, "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Content-Length: 200\r\n\r\n{\"email\":\"admin@exa"));
  auto start = Clock::now();
  bool closed = false;
  std::string out = read_until_close(fd, 8000, closed);
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  ::close(fd);
  EXPECT_TRUE(closed) << out;
  EXPECT_LT(secs, 5.0);
  int st = status_of(out);
  EXPECT_TRUE(st == 0 || (st >= 400 && st < 500)) << out;
}

TEST_F(FaultClients, TenThousandIdleKeepAliveConnections) {
  // 10,000 unless this process may not open that many files (then as many as it may, and the test says so).
  int want = 10000;
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur != RLIM_INFINITY && static_cast<long>(rl.rlim_cur) < want + 200) {
    want = static_cast<int>(rl.rlim_cur) - 200;
    std::cout << "[ NOTE ] RLIMIT_NOFILE " << rl.rlim_cur << ": " << want << " idle connections instead of 10,000\n";
  }
  long fds_before = open_fds(pid_);
  std::vector<int> fds;
  const std::string req = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int batch = 0; batch < want; batch += 500) {
    std::vector<int> mine;
    for (int i = batch; i < std::min(want, batch + 500); ++i) {
      int fd = connect_to(port());
      ASSERT_GE(fd, 0) << "connection " << i;
      ASSERT_TRUE(send_all(fd, req));
      mine.push_back(fd);
    }
    // Each gets its answer and stays open (keep-alive).
    for (int fd : mine) {
      pollfd p{fd, POLLIN, 0};
      ASSERT_GT(::poll(&p, 1, 10000), 0);
      char buf[1024];
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      ASSERT_GT(n, 0);
      ASSERT_EQ(status_of(std::string(buf, static_cast<std::size_t>(n))), 200);
    }
    fds.insert(fds.end(), mine.begin(), mine.end());
  }
  // With all of them idle, the server still answers a new client at once.
  HttpClient c(port());
  EXPECT_EQ(c.get("/api/auth/me", bearer(admin_)).status, 200);
  // The idle timeout (3 s here) closes them all, and their descriptors are released.
  std::size_t closed = 0;
  std::vector<bool> gone(fds.size(), false);
  auto deadline = Clock::now() + std::chrono::seconds(20);
  while (closed < fds.size() && Clock::now() < deadline) {
    std::vector<pollfd> pfds;
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < fds.size(); ++i)
      if (!gone[i]) {
        pfds.push_back({fds[i], POLLIN, 0});
        idx.push_back(i);
      }
    if (::poll(pfds.data(), pfds.size(), 500) <= 0) continue;
    for (std::size_t k = 0; k < pfds.size(); ++k)
      if (pfds[k].revents) {
        char buf[256];
        if (::recv(pfds[k].fd, buf, sizeof buf, MSG_DONTWAIT) <= 0) {
          gone[idx[k]] = true;
          ++closed;
        }
      }
  }
  for (int fd : fds) ::close(fd);
  EXPECT_EQ(closed, fds.size()) << "idle connections the server never closed";
  EXPECT_TRUE(eventually([&] { return open_fds(pid_) <= fds_before + 20; }, 10000, "descriptors released"))
      << open_fds(pid_) << " open, " << fds_before << " before";
}

TEST_F(FaultClients, PipelinedRequestsAreAnsweredInOrder) {
  int fd = connect_to(port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(send_all(fd, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                           "GET /api/does-not-exist HTTP/1.1\r\nHost: x\r\n\r\n"
                           "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  bool closed = false;
  std::string out = read_until_close(fd, 5000, closed);
  ::close(fd);
  EXPECT_TRUE(closed);
  std::vector<int> statuses;
  for (std::size_t at = out.find("HTTP/1.1 "); at != std::string::npos; at = out.find("HTTP/1.1 ", at + 1))
    statuses.push_back(std::stoi(out.substr(at + 9, 3)));
  EXPECT_EQ(statuses, (std::vector<int>{200, 404, 200})) << out;
}

TEST_F(FaultClients, OversizedHeadersAre431) {
  std::string out;
  EXPECT_EQ(raw_status("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(200000, 'a') + "\r\n\r\n", &out),
            431)
      << out.substr(0, 300);
  // Many headers, each small.
  std::string many = "GET /health/live HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 5000; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(raw_status(many + "\r\n", &out), 431) << out.substr(0, 300);
}

TEST_F(FaultClients, InvalidUtf8IsA400) {
  std::string out;
  EXPECT_EQ(raw_status(post("/api/v1/vendors", "{\"name\":\"bad \xff\xfe name\"}", admin_), &out), 400) << out;
  EXPECT_EQ(raw_status(post("/api/auth/login", "{\"email\":\"\xc3\x28@x.io\",\"password\":\"p\"}"), &out), 400) << out;
  EXPECT_EQ(raw_status("GET /api/v1/vendors?search=%FF%FE HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin_ +
                           "\r\nConnection: close\r\n\r\n",
                       &out),
            400)
      << out;
  EXPECT_EQ(raw_status("GET /api/v1/vendors/\xff\xfe HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin_ +
                           "\r\nConnection: close\r\n\r\n",
                       &out) /
                100,
            4)
      << out;
}

TEST_F(FaultClients, DeeplyNestedJsonIsA400) {
  std::string out;
  EXPECT_EQ(raw_status(post("/api/v1/vendors", std::string(200000, '['), admin_), &out), 400) << out.substr(0, 300);
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "{\"a\":";
  deep += "1" + std::string(100000, '}');
  EXPECT_EQ(raw_status(post("/v1/chat/completions", deep, admin_), &out), 400) << out.substr(0, 300);
}

TEST_F(FaultClients, HugeNumbersAreA400) {
  std::string out;
  const std::string huge = "1" + std::string(400, '0');
  for (const std::string& body :
       {"{\"name\":" + huge + "}", std::string("{\"name\":1e999}"), std::string("{\"name\":-1e400}")}) {
    EXPECT_EQ(raw_status(post("/api/v1/vendors", body, admin_), &out), 400) << body.substr(0, 40) << " " << out;
  }
  EXPECT_EQ(raw_status(post("/v1/chat/completions",
                            "{\"model\":\"x\",\"max_tokens\":" + huge + ",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}",
                            admin_),
                       &out) /
                100,
            4)
      << out;
  EXPECT_EQ(raw_status(post("/api/models",
                            "{\"id\":\"p/m\",\"provider\":\"p\",\"tier\":99999999999999999999999,\"costPer1kInput\":1e308}",
                            admin_),
                       &out) /
                100,
            4)
      << out;
  for (const char* param : {"pageSize", "page"})
    EXPECT_EQ(raw_status("GET /api/v1/vendors?" + std::string(param) + "=" + huge +
                             " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin_ + "\r\nConnection: close\r\n\r\n",
                         &out),
              400)
        << param << " " << out;
}

}  // namespace
