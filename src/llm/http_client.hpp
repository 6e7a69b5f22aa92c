#pragma once
// The HTTP/1.1 client the gateway calls LLM providers with. It runs on the calling worker's event loop:
// each worker owns its own keep-alive pools (one per scheme://host:port), picked by current_worker(), so
// nothing on the request path takes a lock. TLS is OpenSSL with certificate and host name verification.
//
// Failures of the transport are UpstreamError; any HTTP status, 5xx included, is a response.
// Request headers (which carry provider API keys) are never logged nor quoted in errors.
//
// Lifetime: destroy the HttpClient while its workers are not running (like Redis and Db). Streams
// may outlive it; they then close their connection instead of returning it to a pool.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/task.hpp"

namespace boost::asio {
class io_context;
}

namespace netops::llm {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Milliseconds; each one that expires throws UpstreamError{timeout} naming it.
struct Timeouts {
  int connect_ms = 5000;       // DNS + TCP connect + TLS handshake
  int first_byte_ms = 60000;   // from sending the request until the response headers are complete
  int idle_ms = 60000;         // between two pieces of the body
  int total_ms = 600000;       // the whole exchange, connect included
};

struct UpstreamRequest {
  std::string method = "POST";
  std::string url;  // http://host[:port]/path?query or https://…; [v6 literal] allowed
  Headers headers;  // Host, Content-Length and Transfer-Encoding are the client's own (callers' are dropped)
  std::string body;
  Timeouts timeouts;
};

struct UpstreamResponse {
  int status = 0;
  Headers headers;  // names lower-cased, in arrival order
  std::string body;
  std::string header(std::string_view lower_name) const;  // "" when absent; repeated ones joined with ", "
};

class UpstreamError : public std::runtime_error {
 public:
  enum class Kind {
    connect,   // DNS failure, refused, unreachable
    timeout,   // one of the four timeouts (the message names it: connect, first-byte, idle, total)
    tls,       // handshake or certificate verification failed
    protocol,  // not HTTP/1.x, malformed framing, response too large
    closed,    // the upstream closed (or reset) the connection early, or the stream was cancelled
  };
  UpstreamError(Kind k, const std::string& message) : std::runtime_error(message), kind(k) {}
  Kind kind;
};
std::string_view kind_name(UpstreamError::Kind k);

// A response whose body is read as it arrives. Use it on the worker that opened it.
class UpstreamStream {
 public:
  struct State;  // llm/exchange.hpp
  explicit UpstreamStream(std::shared_ptr<State> s);
  ~UpstreamStream();  // cancels an unfinished stream
  UpstreamStream(const UpstreamStream&) = delete;
  UpstreamStream& operator=(const UpstreamStream&) = delete;

  int status() const;
  const Headers& headers() const;  // names lower-cased
  std::string header(std::string_view lower_name) const;

  // The next piece of the body as soon as it arrives (chunked framing removed, never empty), nullopt at
  // the end. The idle timeout runs between pieces, the total timeout over the whole exchange. After the
  // last piece the connection goes back to the pool (when both sides allow keep-alive).
  Task<std::optional<std::string>> read();
  // Aborts now: the connection is closed, never pooled; a pending read() throws UpstreamError{closed}.
  // Safe to call twice, and after the end.
  void cancel();
  bool done() const;  // the whole body has been read

 private:
  std::shared_ptr<State> st_;
};

struct ClientOptions {
  std::size_t max_idle_per_host = 32;  // per worker
  int idle_keepalive_ms = 30000;       // an idle pooled connection older than this is closed
  std::size_t max_response_bytes = 64u << 20;  // send() only; a stream is not limited
  std::size_t max_header_bytes = 64u << 10;
  std::string ca_file;     // extra PEM bundle trusted besides the system's (tests, private CAs)
  bool verify_tls = true;  // false only for local experiments
  std::string user_agent = "netops-gateway";
};

class WorkerPool;  // llm/connection_pool.hpp

class HttpClient {
 public:
  HttpClient(ClientOptions opts, std::vector<boost::asio::io_context*> workers);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Both must be awaited on a worker's thread. A reused connection that turns out to be closed before
  // any response byte arrives is retried once on a fresh connection.
  Task<UpstreamResponse> send(UpstreamRequest req);                  // the whole body
  Task<std::unique_ptr<UpstreamStream>> open(UpstreamRequest req);  // returns once the headers are in

  // Closes every idle pooled connection (graceful shutdown); callable from any thread.
  void close_idle();

  struct Stats {
    std::size_t open_connections = 0;  // idle + in use, all workers
    std::size_t idle_connections = 0;
    std::uint64_t reused = 0;   // requests sent on a pooled connection
    std::uint64_t created = 0;  // connections established
  };
  Stats stats() const;  // callable from any thread
  const ClientOptions& options() const { return opts_; }

 private:
  WorkerPool& pool();
  ClientOptions opts_;
  std::vector<std::shared_ptr<WorkerPool>> pools_;
};

}  // namespace netops::llm
