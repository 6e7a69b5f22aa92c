// The upstream HTTP client's keep-alive pools: reuse, Connection: close, a server closing idle
// connections, the one retry of a stale pooled connection, per-worker pools, expiry and size limits.
#include <gtest/gtest.h>

#include "llm_test_server.hpp"

namespace {
using namespace llm_test;
using netops::llm::ClientOptions;
using netops::llm::UpstreamError;
using netops::llm::UpstreamRequest;
using netops::llm::UpstreamResponse;
using netops::llm::UpstreamStream;
using Kind = UpstreamError::Kind;
using Clock = std::chrono::steady_clock;

TEST(LlmClientPool, KeepAliveReusesOneConnection) {
  TestServer server(kEcho);
  Workers w;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(send(w, request(server.url(), "POST", "n" + std::to_string(i))).body, "n" + std::to_string(i));
  auto st = w.http().stats();
  EXPECT_EQ(server.accepted(), 1);
  EXPECT_EQ(st.created, 1u);
  EXPECT_EQ(st.reused, 4u);
  EXPECT_EQ(st.idle_connections, 1u);
  EXPECT_EQ(st.open_connections, 1u);
}

TEST(LlmClientPool, ConnectionCloseIsHonoured) {
  // The server says close but keeps the socket open: the client must not send on it again.
  TestServer::Handler h = [](Peer& p) -> Task<void> {
    while (co_await p.read_request()) co_await p.write(ok("bye", "Connection: close\r\n"));
  };
  TestServer server(h);
  Workers w;
  EXPECT_EQ(send(w, request(server.url())).body, "bye");
  EXPECT_EQ(send(w, request(server.url())).body, "bye");
  EXPECT_EQ(server.accepted(), 2);
  EXPECT_EQ(w.http().stats().reused, 0u);
  EXPECT_EQ(w.http().stats().open_connections, 0u);
  // And a caller's own "Connection: close" is honoured too.
  TestServer echo(kEcho);
  auto req = request(echo.url());
  req.headers = {{"Connection", "close"}};
  send(w, req);
  send(w, req);
  EXPECT_EQ(echo.accepted(), 2);
}

TEST(LlmClientPool, IdleConnectionClosedByServerLeavesThePool) {
  TestServer::Handler h = [](Peer& p) -> Task<void> {
    if (!co_await p.read_request()) co_return;
    co_await p.write(ok("once"));
    co_await p.sleep(20ms);
    p.close();  // a server's keep-alive timeout, while the client holds the connection idle
  };
  TestServer server(h);
  Workers w;
  EXPECT_EQ(send(w, request(server.url())).body, "once");
  EXPECT_TRUE(eventually([&] { return w.http().stats().open_connections == 0; }, 3000));
  EXPECT_EQ(w.http().stats().idle_connections, 0u);
  EXPECT_EQ(send(w, request(server.url())).body, "once");
  EXPECT_EQ(server.accepted(), 2);
  EXPECT_EQ(w.http().stats().reused, 0u);
}

TEST(LlmClientPool, StaleConnectionIsRetriedOnceOnAFreshOne) {
  std::atomic<int> sessions{0};
  TestServer::Handler h = [&](Peer& p) -> Task<void> {
    int n = ++sessions;
    if (!co_await p.read_request()) co_return;
    if (n == 1) {
      co_await p.write(ok("first"));
      // The server closes just as the next request arrives: it reads it and answers nothing.
      co_await p.read_request();
      p.close();
      co_return;
    }
    co_await p.write(ok("second"));
    while (co_await p.read_request()) co_await p.write(ok("more"));
  };
  TestServer server(h);
  Workers w;
  EXPECT_EQ(send(w, request(server.url(), "POST", "a")).body, "first");
  EXPECT_EQ(send(w, request(server.url(), "POST", "b")).body, "second");
  EXPECT_EQ(server.accepted(), 2);
  EXPECT_EQ(server.requests(), 3) << "the stale connection's request was sent again, once";
  auto st = w.http().stats();
  EXPECT_EQ(st.created, 2u);
  EXPECT_EQ(st.reused, 1u);
}

TEST(LlmClientPool, RetryHappensOnlyOnceAndNeverOnAFreshConnection) {
  std::atomic<int> sessions{0};
  TestServer::Handler h = [&](Peer& p) -> Task<void> {
    int n = ++sessions;
    if (!co_await p.read_request()) co_return;
    if (n == 1) {
      co_await p.write(ok("first"));
      co_await p.read_request();
    }
    p.close();  // every later connection: read the request, answer nothing
  };
  TestServer server(h);
  Workers w;
  EXPECT_EQ(send(w, request(server.url())).body, "first");
  expect_upstream_error([&] { send(w, request(server.url())); }, Kind::closed, "before the response headers");
  EXPECT_EQ(server.accepted(), 2);
  expect_upstream_error([&] { send(w, request(server.url())); }, Kind::closed, "closed the connection");
  EXPECT_EQ(server.accepted(), 3) << "a fresh connection that fails is not retried";
}

TEST(LlmClientPool, EachWorkerHasItsOwnPool) {
  TestServer server(kEcho);
  Workers w(ClientOptions{}, 2);
  auto req = request(server.url(), "POST", "hi");
  for (std::size_t worker : {0, 1, 0, 1})
    EXPECT_EQ(w.run([&]() -> Task<std::string> { co_return (co_await w.http().send(req)).body; }, worker), "hi");
  auto st = w.http().stats();
  EXPECT_EQ(st.created, 2u);
  EXPECT_EQ(st.reused, 2u);
  EXPECT_EQ(st.idle_connections, 2u);
  EXPECT_EQ(server.accepted(), 2);
  w.http().close_idle();
  EXPECT_TRUE(eventually([&] { return w.http().stats().open_connections == 0; }, 3000));
}

TEST(LlmClientPool, IdleKeepaliveExpiryClosesPooledConnections) {
  TestServer server(kEcho);
  ClientOptions opts;
  opts.idle_keepalive_ms = 100;
  Workers w(opts);
  send(w, request(server.url()));
  EXPECT_EQ(w.http().stats().idle_connections, 1u);
  EXPECT_TRUE(eventually([&] { return w.http().stats().open_connections == 0; }, 3000));
  EXPECT_EQ(w.http().stats().idle_connections, 0u);
}

TEST(LlmClientPool, MaxIdlePerHostIsRespected) {
  TestServer::Handler slow_echo = [](Peer& p) -> Task<void> {
    while (co_await p.read_request()) {
      co_await p.sleep(50ms);
      co_await p.write(ok("z"));
    }
  };
  TestServer server(slow_echo);
  ClientOptions opts;
  opts.max_idle_per_host = 2;
  Workers w(opts);
  auto req = request(server.url());
  // Four exchanges at once on one worker need four connections; only two may stay idle afterwards.
  w.run([&]() -> Task<void> {
    auto ex = co_await asio::this_coro::executor;
    std::vector<std::future<UpstreamResponse>> all;
    for (int i = 0; i < 4; ++i) {
      auto one = [&]() -> Task<UpstreamResponse> { co_return co_await w.http().send(req); };
      all.push_back(asio::co_spawn(ex, one, asio::use_future));
    }
    asio::steady_timer t(ex);
    for (auto& f : all) {
      while (f.wait_for(0s) != std::future_status::ready) {
        t.expires_after(5ms);
        co_await t.async_wait(asio::use_awaitable);
      }
      EXPECT_EQ(f.get().body, "z");
    }
  });
  auto st = w.http().stats();
  EXPECT_EQ(server.accepted(), 4);
  EXPECT_EQ(st.idle_connections, 2u);
  EXPECT_EQ(st.open_connections, 2u);
}

}  // namespace
