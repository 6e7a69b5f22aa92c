#pragma once
// What the fault and cluster suites repeated per file, once:
//   connect_to / send_all   raw TCP to the gateway (hostile clients, in-flight requests at SIGTERM);
//   listen_loopback         a listener on a free port (a hostile upstream, a proxy);
//   add_mock_provider       the provider `mk` at a mock-llm with its key, and models on it (admin API);
//   url_port / url_with_port a libpq URL's port, and the same database through another port (a proxy).
#include <cstddef>
#include <string>
#include <vector>

namespace netops::test {

// A blocking TCP connection to 127.0.0.1:port; -1 when refused.
int connect_to(int port);
// Writes all of `s` (MSG_NOSIGNAL); false when the peer is gone.
bool send_all(int fd, const std::string& s);
bool send_all(int fd, const char* p, std::size_t n);
// A socket listening on 127.0.0.1 at a free port (returned in `port`); throws when it cannot listen.
int listen_loopback(int& port);

struct MockModel {
  std::string id;          // "mk/<mock behaviour>", e.g. "mk/echo", "mk/long-40"
  bool streaming = false;  // supportsStreaming
  int priority = 100;
};
// POST /api/providers (id "mk", bearer auth, `key`) and POST /api/models for each model (tier 0, costs
// 0.001/0.002 per 1k); a gtest failure (non-fatal) for every answer that is not 201.
void add_mock_provider(int port, const std::string& admin_token, const std::string& mock_url, const std::string& key,
                       const std::vector<MockModel>& models);

int url_port(const std::string& libpq_url);
// The same database through `port`, with sslmode=disable (a proxy sees the protocol in clear).
std::string url_with_port(const std::string& libpq_url, int port);

}  // namespace netops::test
