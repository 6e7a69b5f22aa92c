#include "support/fault_kit.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "support/api.hpp"

namespace netops::test {

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

bool send_all(int fd, const std::string& s) { return send_all(fd, s.data(), s.size()); }

int listen_loopback(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 128) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot listen on 127.0.0.1");
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

void add_mock_provider(int port, const std::string& admin_token, const std::string& mock_url, const std::string& key,
                       const std::vector<MockModel>& models) {
  HttpClient c(port);
  auto p = c.post("/api/providers",
                  {{"id", "mk"}, {"name", "mk"}, {"apiEndpoint", mock_url + "/v1"}, {"authType", "bearer"},
                   {"apiKey", key}},
                  bearer(admin_token));
  EXPECT_EQ(p.status, 201) << p.body;
  for (const auto& m : models) {
    auto r = c.post("/api/models",
                    {{"id", m.id}, {"provider", "mk"}, {"tier", 0}, {"costPer1kInput", "0.001"},
                     {"costPer1kOutput", "0.002"}, {"supportsStreaming", m.streaming}, {"priority", m.priority}},
                    bearer(admin_token));
    EXPECT_EQ(r.status, 201) << m.id << ": " << r.body;
  }
}

namespace {
// The ':' before the port: after the userinfo ('@') when there is one, else after "//".
std::size_t port_colon(const std::string& url) {
  auto at = url.find('@');
  auto from = at == std::string::npos ? url.find("//") + 2 : at;
  return url.find(':', from);
}
}  // namespace

int url_port(const std::string& url) { return std::stoi(url.substr(port_colon(url) + 1)); }

std::string url_with_port(const std::string& url, int port) {
  auto colon = port_colon(url);
  auto slash = url.find('/', colon);
  std::string out = url.substr(0, colon + 1) + std::to_string(port) + url.substr(slash);
  out += out.find('?') == std::string::npos ? "?sslmode=disable" : "&sslmode=disable";
  return out;
}

}  // namespace netops::test
