// The upstream HTTP client when things go wrong: refused connections, the four timeouts (each named in
// the error), a server closing mid-body, and cancellation (the server must see the connection close).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "llm/egress.hpp"
#include "llm_test_server.hpp"
#include "support/test_env.hpp"

namespace {
using namespace llm_test;
using netops::llm::ClientOptions;
using netops::llm::UpstreamError;
using netops::llm::UpstreamRequest;
using netops::llm::UpstreamResponse;
using netops::llm::UpstreamStream;
using Kind = UpstreamError::Kind;
using Clock = std::chrono::steady_clock;

TEST(LlmClientFailures, ConnectionRefused) {
  Workers w;
  int port = netops::test::free_port();
  expect_upstream_error([&] { send(w, request("http://127.0.0.1:" + std::to_string(port) + "/")); }, Kind::connect,
                        "cannot connect");
}

TEST(LlmClientFailures, ConnectTimeout) {
  // A listener with a full accept queue: the kernel drops further SYNs, so connect() hangs.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(fd, 0), 0);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  int filler = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(::connect(filler, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);

  Workers w;
  auto req = request("http://127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + "/");
  req.timeouts.connect_ms = 300;
  req.timeouts.first_byte_ms = 300;
  auto started = Clock::now();
  expect_upstream_error([&] { send(w, req); }, Kind::timeout, "connect timeout (300 ms)");
  EXPECT_LT(Clock::now() - started, 2s);
  ::close(filler);
  ::close(fd);
}

TEST(LlmClientFailures, StalledTlsHandshakeIsAConnectTimeout) {
  TestServer::Handler silent = [](Peer& p) -> Task<void> { co_await p.sleep(3s); };
  TestServer server(silent);
  Workers w;
  auto req = request("https://127.0.0.1:" + std::to_string(server.port()) + "/");
  req.timeouts.connect_ms = 300;
  auto started = Clock::now();
  expect_upstream_error([&] { send(w, req); }, Kind::timeout, "connect timeout");
  EXPECT_LT(Clock::now() - started, 2s);
}

TEST(LlmClientFailures, FirstByteTimeoutWhenNoAnswerAndWhenHeadersTrickle) {
  TestServer::Handler h = [](Peer& p) -> Task<void> {
    auto req = co_await p.read_request();
    if (!req) co_return;
    if (req->target() == "/partial") co_await p.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n");
    co_await p.sleep(3s);
  };
  TestServer server(h);
  Workers w;
  for (const char* path : {"/silent", "/partial"}) {
    auto req = request(server.url(path));
    req.timeouts.first_byte_ms = 300;
    auto started = Clock::now();
    expect_upstream_error([&] { send(w, req); }, Kind::timeout, "first-byte timeout (300 ms)");
    EXPECT_LT(Clock::now() - started, 2s);
  }
  EXPECT_EQ(w.http().stats().open_connections, 0u);
}

TEST(LlmClientFailures, IdleTimeoutBetweenPieces) {
  TestServer::Handler h = [](Peer& p) -> Task<void> {
    if (!co_await p.read_request()) co_return;
    co_await p.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\none\r\n");
    co_await p.sleep(3s);
  };
  TestServer server(h);
  Workers w;
  auto req = request(server.url());
  req.timeouts.idle_ms = 300;
  w.run([&]() -> Task<void> {
    auto s = co_await w.http().open(req);
    EXPECT_EQ((co_await s->read()).value_or(""), "one");
    auto started = Clock::now();
    try {
      co_await s->read();
      ADD_FAILURE() << "no idle timeout";
    } catch (const UpstreamError& e) {
      EXPECT_EQ(e.kind, Kind::timeout);
      EXPECT_NE(std::string(e.what()).find("idle timeout (300 ms)"), std::string::npos) << e.what();
    }
    EXPECT_LT(Clock::now() - started, 2s);
  });
  EXPECT_EQ(w.http().stats().open_connections, 0u);
}

TEST(LlmClientFailures, TotalTimeoutBoundsATricklingStreamAndSlowHeaders) {
  TestServer::Handler h = [](Peer& p) -> Task<void> {
    auto req = co_await p.read_request();
    if (!req) co_return;
    if (req->target() == "/slow-headers") {
      co_await p.sleep(3s);
      co_return;
    }
    co_await p.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 200; ++i) {  // a piece every 20 ms: never idle, never done
      if (!co_await p.write("1\r\nx\r\n")) co_return;
      co_await p.sleep(20ms);
    }
  };
  TestServer server(h);
  Workers w;
  auto req = request(server.url("/trickle"));
  req.timeouts.idle_ms = 1000;
  req.timeouts.total_ms = 400;
  auto started = Clock::now();
  expect_upstream_error([&] { read_all(w, req); }, Kind::timeout, "total timeout (400 ms)");
  EXPECT_LT(Clock::now() - started, 2s);
  auto slow = request(server.url("/slow-headers"));
  slow.timeouts.total_ms = 300;
  expect_upstream_error([&] { send(w, slow); }, Kind::timeout, "total timeout (300 ms)");
}

TEST(LlmClientFailures, ServerClosingMidBodyIsAnError) {
  TestServer::Handler h = [](Peer& p) -> Task<void> {
    auto req = co_await p.read_request();
    if (!req) co_return;
    if (req->target() == "/length")
      co_await p.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b");
    else if (req->target() == "/chunked")
      co_await p.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
    else
      co_await p.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
    p.close();
  };
  TestServer server(h);
  Workers w;
  for (const char* path : {"/length", "/chunked", "/headers-only"})
    expect_upstream_error([&] { send(w, request(server.url(path))); }, Kind::closed, "while reading the body");
  auto req = request(server.url("/chunked"));
  w.run([&]() -> Task<void> {
    auto s = co_await w.http().open(req);
    EXPECT_EQ((co_await s->read()).value_or(""), "hello");
    EXPECT_THROW(co_await s->read(), UpstreamError);
    EXPECT_THROW(co_await s->read(), UpstreamError) << "a failed stream stays failed";
  });
  EXPECT_EQ(w.http().stats().open_connections, 0u);
}

TEST(LlmClientFailures, CancelMidStreamClosesTheConnection) {
  std::atomic<int> peer_closed{0};
  TestServer::Handler h = [&](Peer& p) -> Task<void> {
    if (!co_await p.read_request()) co_return;
    co_await p.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
    if (co_await p.wait_closed(5s)) ++peer_closed;
  };
  TestServer server(h);
  Workers w;
  auto req = request(server.url());
  w.run([&]() -> Task<void> {
    auto s = co_await w.http().open(req);
    EXPECT_EQ((co_await s->read()).value_or(""), "first");
    s->cancel();
    s->cancel();  // twice is fine
    try {
      co_await s->read();
      ADD_FAILURE() << "read after cancel";
    } catch (const UpstreamError& e) {
      EXPECT_EQ(e.kind, Kind::closed);
      EXPECT_NE(std::string(e.what()).find("cancelled"), std::string::npos) << e.what();
    }
  });
  EXPECT_TRUE(eventually([&] { return peer_closed == 1; }, 3000)) << "the server saw the connection close";

  // Cancelling from another coroutine while a read is suspended ends that read at once.
  w.run([&]() -> Task<void> {
    auto s = co_await w.http().open(req);
    EXPECT_EQ((co_await s->read()).value_or(""), "first");
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer timer(ex, 50ms);
    UpstreamStream* raw = s.get();
    auto cancel_later = [raw](const boost::system::error_code&) { raw->cancel(); };
    timer.async_wait(cancel_later);
    auto started = Clock::now();
    EXPECT_THROW(co_await s->read(), UpstreamError);
    EXPECT_LT(Clock::now() - started, 2s);
  });
  EXPECT_TRUE(eventually([&] { return peer_closed == 2; }, 3000));

  // Dropping an unfinished stream cancels it too.
  w.run([&]() -> Task<void> {
    auto s = co_await w.http().open(req);
    EXPECT_EQ((co_await s->read()).value_or(""), "first");
  });
  EXPECT_TRUE(eventually([&] { return peer_closed == 3; }, 3000));
  auto st = w.http().stats();
  EXPECT_EQ(st.open_connections, 0u);
  EXPECT_EQ(st.idle_connections, 0u) << "a cancelled connection never returns to the pool";
}

}  // namespace

namespace {
// Issue #10 item 14: the egress policy applies to what a name resolves to, at connect time.
TEST(LlmClientFailures, EgressPolicyAppliesAfterDnsResolution) {
  TestServer::Handler ok = [](Peer& p) -> Task<void> {
    while (co_await p.read_request())
      if (!co_await p.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) co_return;
  };
  TestServer server(ok);
  Workers w;
  auto url = "http://localhost:" + std::to_string(server.port()) + "/";
  netops::llm::set_egress_policy(netops::llm::EgressPolicy::make(true, ""));  // loopback refused
  try {
    send(w, request(url));
    ADD_FAILURE() << "expected EgressRefused";
  } catch (const netops::llm::EgressRefused& e) {
    EXPECT_NE(std::string(e.what()).find("egress policy"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("loopback"), std::string::npos) << e.what();
  }
  netops::llm::set_egress_policy(netops::llm::EgressPolicy::make(true, "127.0.0.0/8,::1"));
  EXPECT_EQ(send(w, request(url)).status, 200);
  netops::llm::set_egress_policy(netops::llm::EgressPolicy{});
}
}  // namespace
