#pragma once
// The HTTP/1.1 server (Boost.Beast). One acceptor hands connections round-robin to the worker
// io_contexts; each connection is one coroutine on its worker, so a request's handler, database and
// Redis calls all run on that worker's thread. Beast stays inside server.cpp.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/cidr.hpp"
#include "http/pipeline.hpp"

namespace netops::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 3000;                 // 0 = any free port (tests)
  std::size_t body_limit = 1 << 20;
  std::size_t header_limit = 16 * 1024;
  int header_timeout_ms = 10000;   // from the first byte of a request to the end of its headers
  int body_timeout_ms = 30000;
  int idle_timeout_ms = 60000;     // keep-alive wait for the next request
  int write_timeout_ms = 30000;    // per write; a client that stops reading is dropped
  bool access_log = true;
  // Open connections at most (further ones are accepted and closed at once); start() lowers it to
  // RLIMIT_NOFILE minus kReservedFds so PostgreSQL, Redis, upstream calls and files always get a descriptor.
  std::size_t max_connections = 10000;
  TrustedProxies trusted_proxies;  // peers whose X-Forwarded-For names the client (Request::remote_ip)
};

inline constexpr std::size_t kReservedFds = 64;

// The status line and header block of a response, in one piece (one write with the body, no allocation
// per header): Content-Type, X-Request-Id, the request's response headers, then the response's own — a
// later header replaces an earlier one of the same name (case-insensitive). Content-Length is
// `content_length` (none: Transfer-Encoding: chunked); Connection says what `keep_alive` means for
// `version` (10 or 11); those three are the server's and handlers' copies of them are ignored. CR, LF
// and NUL in a value become spaces, and a header whose name is not an HTTP token is dropped, so no
// value can split the header block.
std::string response_head(unsigned version, const Request& req, const Response& res, bool keep_alive,
                          std::optional<std::size_t> content_length);

class Server {
 public:
  Server(ServerOptions opts, const Pipeline& pipeline, std::vector<boost::asio::io_context*> workers);
  ~Server();
  void start();             // binds and starts accepting; throws std::runtime_error when it cannot bind
  int port() const;         // the bound port
  void stop_accepting();    // from any thread
  void close_idle();        // closes keep-alive connections that wait for a request; from any thread
  std::size_t open_connections() const { return open_->load(); }
  std::size_t in_flight() const { return in_flight_->load(); }
  std::size_t max_connections() const;  // after the RLIMIT_NOFILE bound

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::shared_ptr<std::atomic<std::size_t>> open_;
  std::shared_ptr<std::atomic<std::size_t>> in_flight_;
};

}  // namespace netops::http
