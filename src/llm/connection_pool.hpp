#pragma once
// Internal to src/llm (it brings in Beast and Asio SSL, which modules never see): one upstream
// connection, and the keep-alive pool one worker keeps of them. Everything here runs on that worker's
// thread except the atomic counters and Connection::close_soon().
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/task.hpp"
#include "llm/http_client.hpp"
#include "llm/url.hpp"

namespace netops::llm {

namespace net = boost::asio;
namespace beast = boost::beast;
using Clock = std::chrono::steady_clock;
using ResponseParser = beast::http::response_parser<beast::http::buffer_body>;
using IoResult = std::tuple<boost::system::error_code, std::size_t>;

// Shared by a worker's pool and its connections, which may outlive it (held by a stream).
struct PoolCounters {
  std::atomic<std::size_t> open{0};
  std::atomic<std::size_t> idle{0};
  std::atomic<std::uint64_t> reused{0};
  std::atomic<std::uint64_t> created{0};
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& ioc, std::string key, net::ssl::context* tls, std::shared_ptr<PoolCounters> counters);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The TCP layer: its expiry (expires_at) bounds every read, write and handshake, TLS included.
  beast::tcp_stream& tcp();
  bool is_tls() const { return tls_.has_value(); }
  beast::ssl_stream<beast::tcp_stream>& tls() { return *tls_; }
  const std::string& key() const { return key_; }
  net::io_context& context() const { return ioc_; }
  bool is_open() const { return !closed_; }

  void close();       // on the worker; idempotent; in-flight operations complete with operation_aborted
  void close_soon();  // from any thread

  // Whether a pooled connection was closed by the server (or got bytes nobody asked for) while idle.
  bool unusable_after_idle();

  // The same operations over either stream type; each completes with (error_code, bytes).
  net::awaitable<IoResult> write(const std::array<net::const_buffer, 2>& buffers);
  net::awaitable<IoResult> read_header(beast::flat_buffer& buf, ResponseParser& parser);
  net::awaitable<IoResult> read_some(beast::flat_buffer& buf, ResponseParser& parser);

  // Pool bookkeeping (the pool's worker only).
  Clock::time_point idle_since{};
  std::uint64_t idle_generation = 0;  // tells a stale idle watch from the current one
  bool in_pool = false;
  bool watched = false;  // an idle watch is pending (armed once the connection has been idle a while)

 private:
  net::io_context& ioc_;
  std::string key_;
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  std::shared_ptr<PoolCounters> counters_;
  bool closed_ = false;
};

class WorkerPool : public std::enable_shared_from_this<WorkerPool> {
 public:
  WorkerPool(net::io_context& ioc, const ClientOptions& opts);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  net::io_context& context() { return ioc_; }
  const ClientOptions& options() const { return opts_; }
  const PoolCounters& counters() const { return *counters_; }

  // A live idle connection to url.origin(), or null.
  std::shared_ptr<Connection> take_idle(const std::string& key);
  // Resolve, connect and (https) handshake before `deadline`; throws UpstreamError{connect|timeout|tls}.
  // `timeout_what` names the deadline in the timeout message ("connect timeout (5000 ms)").
  Task<std::shared_ptr<Connection>> connect(const UpstreamUrl& url, Clock::time_point deadline,
                                            std::string timeout_what);
  // Parks a connection whose exchange finished cleanly; closes it when the pool is full.
  void give_back(std::shared_ptr<Connection> c);
  void close_idle();  // on the worker

 private:
  void watch(const std::shared_ptr<Connection>& c);
  void drop(const std::shared_ptr<Connection>& c);
  void sweep();
  void arm_sweep(Clock::time_point at);

  net::io_context& ioc_;
  const ClientOptions opts_;  // a copy: a connect in flight may outlive the client
  std::shared_ptr<PoolCounters> counters_ = std::make_shared<PoolCounters>();
  std::optional<net::ssl::context> tls_ctx_;  // made on first https use
  std::unordered_map<std::string, std::deque<std::shared_ptr<Connection>>> idle_;  // oldest first
  net::steady_timer sweep_timer_;
  bool sweep_armed_ = false;
  Clock::time_point sweep_due_{};
};

}  // namespace netops::llm
