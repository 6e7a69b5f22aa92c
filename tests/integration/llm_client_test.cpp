// The upstream HTTP client against real local servers (llm_test_server.hpp): URLs, request heads,
// response framing (Content-Length, chunked split anywhere, until-close, 1xx, HEAD/204) and streaming.
// Keep-alive is in llm_client_pool_test.cpp, failures and timeouts in llm_client_failures_test.cpp,
// TLS in llm_client_tls_test.cpp.
#include <gtest/gtest.h>

#include <mutex>

#include "llm/exchange.hpp"
#include "llm/url.hpp"
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

TEST(LlmClientUrl, ParsesWhatProvidersUse) {
  auto u = netops::llm::parse_url("https://API.openai.com/v1/chat/completions?x=1#frag");
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.host, "api.openai.com");
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(u.target, "/v1/chat/completions?x=1");
  EXPECT_EQ(u.host_header(), "api.openai.com");
  EXPECT_EQ(u.origin(), "https://api.openai.com:443");
  auto local = netops::llm::parse_url("http://127.0.0.1:11434");
  EXPECT_FALSE(local.tls);
  EXPECT_EQ(local.port, 11434);
  EXPECT_EQ(local.target, "/");
  EXPECT_EQ(local.host_header(), "127.0.0.1:11434");
  EXPECT_TRUE(local.host_is_ip());
  auto v6 = netops::llm::parse_url("http://[::1]:8080?q");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.target, "/?q");
  EXPECT_EQ(v6.host_header(), "[::1]:8080");
  for (const char* bad : {"ftp://x/", "http://", "http://user:pw@host/", "http://h:0/", "http://h:70000/",
                          "http://h:12x/", "http://[::1/", "http://h/a b", "api.openai.com/v1"})
    EXPECT_THROW(netops::llm::parse_url(bad), std::invalid_argument) << bad;
}

TEST(LlmClientUrl, RequestHeadIsWellFormed) {
  UpstreamRequest req = request("http://example.com:8080/v1/x?y=1", "POST", "{}");
  req.headers = {{"Authorization", "Bearer secret"}, {"Content-Length", "999"}, {"Content-Type", "application/json"}};
  bool keep_alive = true;
  auto head = netops::llm::serialize_request_head(req, netops::llm::parse_url(req.url), ClientOptions{}, keep_alive);
  EXPECT_EQ(head,
            "POST /v1/x?y=1 HTTP/1.1\r\nHost: example.com:8080\r\nAuthorization: Bearer secret\r\n"
            "Content-Type: application/json\r\nUser-Agent: netops-gateway\r\nConnection: keep-alive\r\n"
            "Content-Length: 2\r\n\r\n");
  EXPECT_TRUE(keep_alive);
  req.headers = {{"Connection", "close"}};
  head = netops::llm::serialize_request_head(req, netops::llm::parse_url(req.url), ClientOptions{}, keep_alive);
  EXPECT_FALSE(keep_alive);
  req.headers = {{"X-Key", "a\r\nInjected: 1"}};
  try {
    netops::llm::serialize_request_head(req, netops::llm::parse_url(req.url), ClientOptions{}, keep_alive);
    ADD_FAILURE() << "header injection accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("Injected"), std::string::npos) << "the value must not be quoted";
  }
  req.headers = {{"Bad Name", "x"}};
  EXPECT_THROW(netops::llm::serialize_request_head(req, netops::llm::parse_url(req.url), ClientOptions{}, keep_alive),
               std::invalid_argument);
}

TEST(LlmClient, SendReturnsStatusHeadersAndBody) {
  std::mutex m;
  std::string seen_method, seen_target, seen_host, seen_key, seen_body, seen_length;
  TestServer::Handler h = [&](Peer& p) -> Task<void> {
    auto req = co_await p.read_request();
    if (!req) co_return;
    {
      std::lock_guard lock(m);
      seen_method = std::string(req->method_string());
      seen_target = std::string(req->target());
      seen_host = std::string((*req)[http::field::host]);
      seen_key = std::string((*req)["x-api-key"]);
      seen_length = std::string((*req)[http::field::content_length]);
      seen_body = req->body();
    }
    co_await p.write(
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-Multi: a\r\nx-multi: b\r\n"
        "Content-Length: 11\r\n\r\n{\"ok\":true}");
  };
  TestServer server(h);
  Workers w;
  auto req = request(server.url("/v1/messages?beta=1"), "POST", "{\"model\":\"m\"}");
  req.headers = {{"x-api-key", "sk-test"}, {"Content-Type", "application/json"}};
  auto res = send(w, req);
  EXPECT_EQ(res.status, 201);
  EXPECT_EQ(res.body, "{\"ok\":true}");
  EXPECT_EQ(res.header("content-type"), "application/json");
  EXPECT_EQ(res.header("x-multi"), "a, b");
  EXPECT_EQ(res.header("absent"), "");
  for (auto& [k, v] : res.headers)
    EXPECT_EQ(k.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string::npos) << k << " is not lower-cased";
  std::lock_guard lock(m);
  EXPECT_EQ(seen_method, "POST");
  EXPECT_EQ(seen_target, "/v1/messages?beta=1");
  EXPECT_EQ(seen_host, "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(seen_key, "sk-test");
  EXPECT_EQ(seen_length, "13");
  EXPECT_EQ(seen_body, "{\"model\":\"m\"}");
}

TEST(LlmClient, ServerErrorIsAResponseNotAnError) {
  TestServer::Handler h = [](Peer& p) -> Task<void> {
    while (co_await p.read_request())
      co_await p.write("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 3\r\nContent-Length: 4\r\n\r\nbusy");
  };
  TestServer server(h);
  Workers w;
  auto res = send(w, request(server.url()));
  EXPECT_EQ(res.status, 503);
  EXPECT_EQ(res.body, "busy");
  EXPECT_EQ(res.header("retry-after"), "3");
  EXPECT_EQ(w.http().stats().idle_connections, 1u) << "a 5xx with a clean body keeps the connection";
}

// The chunked response is written in pieces of `split` bytes (cutting chunk-size lines, CRLFs and
// trailers), each one a separate TCP segment.

const std::string kChunked =
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\n"
    "5\r\nhello\r\n1;ext=yes\r\n \r\n10\r\n0123456789abcdef\r\n"
    "a\r\n\r\ndata: x\n\r\n0\r\nX-Trailer: t\r\n\r\n";

const std::string kChunkedBody = "hello 0123456789abcdef\r\ndata: x\n";

const TestServer::Handler kSplitChunked = [](Peer& p) -> Task<void> {
  while (auto req = co_await p.read_request()) {
    std::size_t split = std::stoul(std::string(req->target()).substr(1));
    for (std::size_t i = 0; i < kChunked.size(); i += split) {
      if (!co_await p.write(kChunked.substr(i, split))) co_return;
      co_await p.sleep(1ms);
    }
  }
};

TEST(LlmClient, ChunkedBodySplitAnywhere) {
  TestServer server(kSplitChunked);
  Workers w;
  for (std::size_t split : {1, 2, 3, 5, 7, 13, 64, 1000}) {
    SCOPED_TRACE("split " + std::to_string(split));
    EXPECT_EQ(send(w, request(server.url("/" + std::to_string(split)))).body, kChunkedBody);
    std::string joined;
    for (auto& piece : read_all(w, request(server.url("/" + std::to_string(split))))) {
      EXPECT_FALSE(piece.empty());
      joined += piece;
    }
    EXPECT_EQ(joined, kChunkedBody);
  }
  EXPECT_EQ(server.accepted(), 1) << "every exchange reused the one connection";
}

TEST(LlmClient, StreamDeliversBytesBeforeTheirChunkCompletes) {
  std::atomic<bool> client_got_first{false};
  TestServer::Handler h = [&](Peer& p) -> Task<void> {
    if (!co_await p.read_request()) co_return;
    // A 10-byte chunk of which only 5 bytes are sent until the client has shown it received them.
    co_await p.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\nhello");
    std::function<bool()> got = [&] { return client_got_first.load(); };
    if (!co_await p.until(got)) co_return;
    co_await p.write("world\r\n0\r\n\r\n");
  };
  TestServer server(h);
  Workers w;
  auto req = request(server.url());
  w.run([&]() -> Task<void> {
    auto s = co_await w.http().open(req);
    EXPECT_EQ(s->status(), 200);
    auto first = co_await s->read();
    EXPECT_EQ(first.value_or("<end>"), "hello");
    client_got_first = true;
    auto second = co_await s->read();
    EXPECT_EQ(second.value_or("<end>"), "world");
    EXPECT_FALSE(co_await s->read());
    EXPECT_TRUE(s->done());
  });
}

// What one socket read brought is handed over as one piece (the gateway then writes it to its client in
// one system call): 40 chunked events sent in one write come out of the first read() together, and a
// malformed chunk after good ones still lets the good ones out before the read that fails.
TEST(LlmClient, StreamHandsOverWhatOneReadBroughtAsOnePiece) {
  std::string events, chunks;
  for (int i = 0; i < 40; ++i) {
    std::string e = "data: {\"n\":" + std::to_string(i) + "}\n\n";
    events += e;
    char size[16];
    std::snprintf(size, sizeof size, "%zx", e.size());
    chunks += std::string(size) + "\r\n" + e + "\r\n";
  }
  std::atomic<bool> client_got_first{false};
  TestServer::Handler h = [&](Peer& p) -> Task<void> {
    auto req = co_await p.read_request();
    if (!req) co_return;
    std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\n";
    if (req->target() == "/bad") {
      co_await p.write(head + "5\r\nhello\r\nzz\r\n");
      co_await p.sleep(1s);
      co_return;
    }
    co_await p.write(head + chunks);
    std::function<bool()> got = [&] { return client_got_first.load(); };
    if (!co_await p.until(got)) co_return;
    co_await p.write("0\r\n\r\n");
  };
  TestServer server(h);
  Workers w;
  w.run([&]() -> Task<void> {
    auto s = co_await w.http().open(request(server.url("/good")));
    auto first = co_await s->read();
    EXPECT_EQ(first.value_or("<end>"), events);
    client_got_first = true;
    EXPECT_FALSE(co_await s->read());
    EXPECT_TRUE(s->done());
  });
  w.run([&]() -> Task<void> {
    auto s = co_await w.http().open(request(server.url("/bad")));
    auto first = co_await s->read();
    EXPECT_EQ(first.value_or("<end>"), "hello");
    std::string error;
    try {
      co_await s->read();
    } catch (const UpstreamError& e) {
      error = e.what();
      EXPECT_EQ(e.kind, Kind::protocol);
    }
    EXPECT_NE(error.find("malformed"), std::string::npos) << error;
  });
}

TEST(LlmClient, BodyUntilCloseAndHttp10) {
  TestServer::Handler h = [](Peer& p) -> Task<void> {
    auto req = co_await p.read_request();
    if (!req) co_return;
    if (req->target() == "/10") {
      co_await p.write("HTTP/1.0 200 OK\r\n\r\nold server");
    } else {
      co_await p.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npart one, ");
      co_await p.sleep(20ms);
      co_await p.write("part two");
    }
    p.close();
  };
  TestServer server(h);
  Workers w;
  EXPECT_EQ(send(w, request(server.url("/11"))).body, "part one, part two");
  EXPECT_EQ(send(w, request(server.url("/10"))).body, "old server");
  auto st = w.http().stats();
  EXPECT_EQ(st.idle_connections, 0u) << "a body delimited by close leaves nothing to reuse";
  EXPECT_EQ(st.open_connections, 0u);
  EXPECT_EQ(server.accepted(), 2);
}

TEST(LlmClient, FinishedStreamReturnsItsConnection) {
  TestServer server(kSplitChunked);
  Workers w;
  auto req = request(server.url("/7"));
  w.run([&]() -> Task<void> {
    auto s = co_await w.http().open(req);
    while (co_await s->read()) {
    }
    s->cancel();  // after the end: nothing to do
  });
  EXPECT_EQ(w.http().stats().idle_connections, 1u);
  EXPECT_EQ(send(w, request(server.url("/64"))).body, kChunkedBody);
  EXPECT_EQ(server.accepted(), 1);
}

TEST(LlmClient, ResponseSizeLimitForSend) {
  TestServer::Handler h = [](Peer& p) -> Task<void> {
    while (auto req = co_await p.read_request()) {
      std::string big(5000, 'x');
      if (req->target() == "/length") {
        co_await p.write(ok(big));
      } else {
        co_await p.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 5; ++i) co_await p.write("3e8\r\n" + std::string(1000, 'y') + "\r\n");
        co_await p.write("0\r\n\r\n");
      }
    }
  };
  TestServer server(h);
  ClientOptions opts;
  opts.max_response_bytes = 4096;
  Workers w(opts);
  expect_upstream_error([&] { send(w, request(server.url("/length"))); }, Kind::protocol, "exceeds 4096");
  expect_upstream_error([&] { send(w, request(server.url("/chunked"))); }, Kind::protocol, "exceeds 4096");
  EXPECT_EQ(read_all(w, request(server.url("/chunked"))).size() > 0, true) << "streams have no such limit";
}

TEST(LlmClient, NoBodyResponsesAndInterimOnes) {
  TestServer::Handler h = [](Peer& p) -> Task<void> {
    while (auto req = co_await p.read_request()) {
      if (req->method() == http::verb::head)
        co_await p.write("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
      else if (req->target() == "/204")
        co_await p.write("HTTP/1.1 204 No Content\r\n\r\n");
      else
        co_await p.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + ok("final"));
    }
  };
  TestServer server(h);
  Workers w;
  auto head = send(w, request(server.url(), "HEAD"));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.header("content-length"), "1234");
  auto none = send(w, request(server.url("/204")));
  EXPECT_EQ(none.status, 204);
  EXPECT_EQ(none.body, "");
  auto fin = send(w, request(server.url("/100"), "POST", "x"));
  EXPECT_EQ(fin.status, 200);
  EXPECT_EQ(fin.body, "final");
  EXPECT_EQ(server.accepted(), 1);
}

TEST(LlmClient, MalformedResponseIsAProtocolError) {
  TestServer::Handler h = [](Peer& p) -> Task<void> {
    auto req = co_await p.read_request();
    if (!req) co_return;
    if (req->target() == "/chunk")
      co_await p.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    else
      co_await p.write("SSH-2.0-OpenSSH_9.2\r\n\r\n");
    co_await p.sleep(1s);
  };
  TestServer server(h);
  Workers w;
  expect_upstream_error([&] { send(w, request(server.url("/banner"))); }, Kind::protocol, "malformed");
  expect_upstream_error([&] { send(w, request(server.url("/chunk"))); }, Kind::protocol, "malformed");
}

}  // namespace
