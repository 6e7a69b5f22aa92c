#pragma once
// Support for the LLM client tests: a scripted HTTP(S) server on its own thread whose every connection
// runs a test-given coroutine (so a test can stall, trickle, close early or count connections), and a
// client side made of worker io_contexts on their own threads.
// Arguments are never braced lists inside co_await (GCC 12), and handlers are named std::functions that
// outlive their coroutines.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/task.hpp"
#include "core/worker.hpp"
#include "llm/http_client.hpp"
#include "support/server_process.hpp"

namespace llm_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using netops::Task;
using netops::test::eventually;
using namespace std::chrono_literals;
inline constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// One accepted connection, seen from the server side.
class Peer {
 public:
  Peer(tcp::socket s, ssl::context* tls, std::atomic<int>* request_counter) : request_counter_(request_counter) {
    if (tls)
      tls_.emplace(std::move(s), *tls);
    else
      plain_.emplace(std::move(s));
  }

  beast::tcp_stream& tcp_layer() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }

  Task<bool> handshake() {
    tcp_layer().expires_after(5s);
    auto [ec] = co_await tls_->async_handshake(ssl::stream_base::server, nothrow);
    co_return !ec;
  }

  // The server name the client sent (SNI), "" when none or not TLS.
  std::string sni() {
    if (!tls_) return "";
    const char* name = SSL_get_servername(tls_->native_handle(), TLSEXT_NAMETYPE_host_name);
    return name ? name : "";
  }

  // The next request on this connection, or nullopt when the client closed it (or 5 s passed).
  Task<std::optional<http::request<http::string_body>>> read_request() {
    http::request_parser<http::string_body> p;
    p.body_limit(64u << 20);
    tcp_layer().expires_after(5s);
    boost::system::error_code ec;
    if (tls_) {
      auto [e, n] = co_await http::async_read(*tls_, buf_, p, nothrow);
      ec = e;
    } else {
      auto [e, n] = co_await http::async_read(*plain_, buf_, p, nothrow);
      ec = e;
    }
    if (ec) co_return std::nullopt;
    ++*request_counter_;
    co_return p.release();
  }

  Task<bool> write(std::string bytes) {
    tcp_layer().expires_after(5s);
    boost::system::error_code ec;
    if (tls_) {
      auto [e, n] = co_await asio::async_write(*tls_, asio::buffer(bytes), nothrow);
      ec = e;
    } else {
      auto [e, n] = co_await asio::async_write(*plain_, asio::buffer(bytes), nothrow);
      ec = e;
    }
    co_return !ec;
  }

  Task<void> sleep(std::chrono::milliseconds d) {
    asio::steady_timer t(tcp_layer().get_executor(), d);
    co_await t.async_wait(nothrow);
  }

  // Polls pred until it holds (true) or `within` passes (false).
  Task<bool> until(std::function<bool()> pred, std::chrono::milliseconds within = 5s) {
    auto deadline = std::chrono::steady_clock::now() + within;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > deadline) co_return false;
      co_await sleep(2ms);
    }
    co_return true;
  }

  // Reads until the client closes the connection: true when it did within `within`.
  Task<bool> wait_closed(std::chrono::milliseconds within) {
    tcp_layer().expires_after(within);
    char sink[4096];
    for (;;) {
      boost::system::error_code ec;
      if (tls_) {
        auto [e, n] = co_await tls_->async_read_some(asio::buffer(sink), nothrow);
        ec = e;
      } else {
        auto [e, n] = co_await plain_->async_read_some(asio::buffer(sink), nothrow);
        ec = e;
      }
      if (ec) co_return ec != beast::error::timeout;
    }
  }

  void close() {
    boost::system::error_code ignore;
    tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignore);
    tcp_layer().close();
  }

 private:
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buf_;
  std::atomic<int>* request_counter_;
};

class TestServer {
 public:
  using Handler = std::function<Task<void>(Peer&)>;

  explicit TestServer(Handler handler, std::shared_ptr<ssl::context> tls = nullptr)
      : handler_(std::move(handler)), tls_(std::move(tls)), acceptor_(ioc_) {
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(ioc_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~TestServer() {
    ioc_.stop();
    thread_.join();
  }

  int port() const { return port_; }
  std::string url(const std::string& path = "/") const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
  }
  int accepted() const { return accepted_.load(); }
  int requests() const { return requests_.load(); }
  int handshake_failures() const { return handshake_failures_.load(); }
  int finished() const { return finished_.load(); }  // sessions whose handler returned

 private:
  Task<void> accept_loop() {
    for (;;) {
      auto [ec, sock] = co_await acceptor_.async_accept(nothrow);
      if (ec) co_return;
      ++accepted_;
      asio::co_spawn(ioc_, session(std::move(sock)), asio::detached);
    }
  }
  Task<void> session(tcp::socket sock) {
    boost::system::error_code ignore;
    sock.set_option(tcp::no_delay(true), ignore);
    Peer peer(std::move(sock), tls_.get(), &requests_);
    if (tls_ && !co_await peer.handshake()) {
      ++handshake_failures_;
      co_return;
    }
    co_await handler_(peer);
    ++finished_;
  }

  Handler handler_;  // declared first: destroyed after the io_context and its coroutine frames
  std::shared_ptr<ssl::context> tls_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  int port_ = 0;
  std::atomic<int> accepted_{0}, requests_{0}, handshake_failures_{0}, finished_{0};
  std::thread thread_;
};

// The gateway's side: N worker io_contexts on their own threads (worker i calls set_current_worker(i))
// and an HttpClient over them. The client is destroyed after the workers stopped, as in the server.
class Workers {
 public:
  explicit Workers(netops::llm::ClientOptions opts = {}, std::size_t n = 1) {
    for (std::size_t i = 0; i < n; ++i) {
      iocs_.push_back(std::make_unique<asio::io_context>());
      guards_.emplace_back(iocs_.back()->get_executor());
    }
    std::vector<asio::io_context*> ptrs;
    for (auto& i : iocs_) ptrs.push_back(i.get());
    client_ = std::make_unique<netops::llm::HttpClient>(std::move(opts), ptrs);
    for (std::size_t i = 0; i < n; ++i)
      threads_.emplace_back([this, i] {
        netops::set_current_worker(i);
        iocs_[i]->run();
      });
  }
  ~Workers() {
    guards_.clear();
    for (auto& i : iocs_) i->stop();
    for (auto& t : threads_) t.join();
    client_.reset();
  }

  netops::llm::HttpClient& http() { return *client_; }

  // Runs a coroutine on worker `w` and waits for its result (exceptions are rethrown here).
  template <class F>
  auto run(F f, std::size_t w = 0) {
    return asio::co_spawn(*iocs_[w], std::move(f), asio::use_future).get();
  }

 private:
  std::vector<std::unique_ptr<asio::io_context>> iocs_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  std::unique_ptr<netops::llm::HttpClient> client_;
  std::vector<std::thread> threads_;
};

inline netops::llm::UpstreamRequest request(std::string url, std::string method = "GET", std::string body = "") {
  netops::llm::UpstreamRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.body = std::move(body);
  return r;
}

inline std::string ok(const std::string& body, const std::string& extra_headers = "") {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         extra_headers + "\r\n" + body;
}

// Answers every request on the connection with its body (or "pong"), keeping the connection open.
inline const TestServer::Handler kEcho = [](Peer& p) -> Task<void> {
  while (auto req = co_await p.read_request()) {
    std::string body = req->body().empty() ? std::string("pong") : req->body();
    if (!co_await p.write(ok(body))) co_return;
  }
};

inline netops::llm::UpstreamResponse send(Workers& w, const netops::llm::UpstreamRequest& req) {
  return w.run([&]() -> Task<netops::llm::UpstreamResponse> { co_return co_await w.http().send(req); });
}

// Reads a whole stream, piece by piece.
inline std::vector<std::string> read_all(Workers& w, const netops::llm::UpstreamRequest& req) {
  return w.run([&]() -> Task<std::vector<std::string>> {
    auto s = co_await w.http().open(req);
    std::vector<std::string> pieces;
    while (auto piece = co_await s->read()) pieces.push_back(std::move(*piece));
    co_return pieces;
  });
}

// Runs f and checks that it throws UpstreamError of `kind` whose message contains `text`.
template <class F>
void expect_upstream_error(F f, netops::llm::UpstreamError::Kind kind, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "expected UpstreamError{" << netops::llm::kind_name(kind) << "}";
  } catch (const netops::llm::UpstreamError& e) {
    EXPECT_EQ(netops::llm::kind_name(e.kind), netops::llm::kind_name(kind)) << e.what();
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

}  // namespace llm_test
