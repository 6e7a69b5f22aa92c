// The upstream HTTP client over TLS against a local TLS server with a self-signed certificate made by the
// openssl CLI for this run: verification must fail without the certificate as CA, succeed with it, and
// check the host name.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <mutex>

#include "llm_test_server.hpp"

namespace {
using namespace llm_test;
using netops::llm::ClientOptions;
using netops::llm::HttpClient;
using netops::llm::UpstreamError;
using netops::llm::UpstreamResponse;
using Kind = UpstreamError::Kind;

class LlmClientTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/llm_tls_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    make_cert("good", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    make_cert("other", "subjectAltName=DNS:other.invalid");
  }
  static void TearDownTestSuite() {
    std::error_code ignore;
    std::filesystem::remove_all(dir_, ignore);
  }
  static void make_cert(const std::string& name, const std::string& san) {
    std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=" +
                      name + " -addext '" + san + "' -keyout " + key(name) + " -out " + cert(name) +
                      " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl CLI failed: " << cmd;
  }
  static std::string cert(const std::string& name) { return dir_ + "/" + name + ".crt"; }
  static std::string key(const std::string& name) { return dir_ + "/" + name + ".key"; }

  static std::shared_ptr<ssl::context> server_tls(const std::string& name) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    ctx->use_certificate_chain_file(cert(name));
    ctx->use_private_key_file(key(name), ssl::context::pem);
    return ctx;
  }

  static inline std::string dir_;
};

// Answers every request with "secure" and records the SNI names it was asked for.
struct Recorder {
  std::mutex m;
  std::vector<std::string> sni;
  TestServer::Handler handler = [this](Peer& p) -> Task<void> {
    {
      std::lock_guard lock(m);
      sni.push_back(p.sni());
    }
    while (co_await p.read_request())
      if (!co_await p.write(ok("secure"))) co_return;
  };
};

TEST_F(LlmClientTls, VerificationFailsWithoutTheCertificateAsCa) {
  Recorder rec;
  TestServer server(rec.handler, server_tls("good"));
  Workers w;
  expect_upstream_error([&] { send(w, request(server.url())); }, Kind::tls, "certificate verification failed");
  EXPECT_TRUE(eventually([&] { return server.handshake_failures() == 1; }, 3000));
  EXPECT_EQ(w.http().stats().open_connections, 0u);
}

TEST_F(LlmClientTls, SucceedsWithTheCertificateAsCaAndReusesConnections) {
  Recorder rec;
  TestServer server(rec.handler, server_tls("good"));
  ClientOptions opts;
  opts.ca_file = cert("good");
  Workers w(opts);
  for (int i = 0; i < 3; ++i) {
    auto res = send(w, request(server.url()));
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.body, "secure");
  }
  auto by_name = request("https://localhost:" + std::to_string(server.port()) + "/");
  EXPECT_EQ(send(w, by_name).body, "secure");
  EXPECT_EQ(send(w, by_name).body, "secure");
  EXPECT_EQ(server.accepted(), 2) << "one connection per origin, reused";
  auto st = w.http().stats();
  EXPECT_EQ(st.created, 2u);
  EXPECT_EQ(st.reused, 3u);
  std::lock_guard lock(rec.m);
  ASSERT_EQ(rec.sni.size(), 2u);
  EXPECT_EQ(rec.sni[0], "") << "no SNI for an IP literal";
  EXPECT_EQ(rec.sni[1], "localhost");
}

TEST_F(LlmClientTls, HostNameMustMatchTheCertificate) {
  Recorder rec;
  TestServer server(rec.handler, server_tls("other"));  // valid for other.invalid only
  ClientOptions opts;
  opts.ca_file = cert("other");
  Workers w(opts);
  expect_upstream_error([&] { send(w, request(server.url())); }, Kind::tls, "TLS handshake");
  auto by_name = request("https://localhost:" + std::to_string(server.port()) + "/");
  expect_upstream_error([&] { send(w, by_name); }, Kind::tls, "TLS handshake");
}

TEST_F(LlmClientTls, VerificationCanBeTurnedOff) {
  Recorder rec;
  TestServer server(rec.handler, server_tls("other"));
  ClientOptions opts;
  opts.verify_tls = false;
  Workers w(opts);
  EXPECT_EQ(send(w, request(server.url())).body, "secure");
}

TEST_F(LlmClientTls, StreamsCancelsAndEndsWithoutCloseNotify) {
  std::atomic<int> peer_closed{0};
  TestServer::Handler h = [&](Peer& p) -> Task<void> {
    auto req = co_await p.read_request();
    if (!req) co_return;
    if (req->target() == "/until-close") {
      // No length, no chunking, then a TCP close without a TLS close_notify.
      co_await p.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it");
      p.close();
      co_return;
    }
    co_await p.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\ndata: ");
    co_await p.sleep(10ms);
    co_await p.write("\r\n1\r\n1\r\n");
    if (co_await p.wait_closed(5s)) ++peer_closed;
  };
  TestServer server(h, server_tls("good"));
  ClientOptions opts;
  opts.ca_file = cert("good");
  Workers w(opts);
  EXPECT_EQ(send(w, request(server.url("/until-close"))).body, "all of it");
  auto req = request(server.url("/stream"));
  w.run([&]() -> Task<void> {
    auto s = co_await w.http().open(req);
    EXPECT_EQ((co_await s->read()).value_or(""), "data: ");
    EXPECT_EQ((co_await s->read()).value_or(""), "1");
    s->cancel();
  });
  EXPECT_TRUE(eventually([&] { return peer_closed == 1; }, 3000));
  EXPECT_EQ(w.http().stats().open_connections, 0u);
}

TEST_F(LlmClientTls, UnreadableCaFileFailsAtConstruction) {
  asio::io_context ioc;
  ClientOptions opts;
  opts.ca_file = dir_ + "/missing.pem";
  std::vector<asio::io_context*> workers{&ioc};
  EXPECT_THROW(HttpClient(opts, workers), std::runtime_error);
}

}  // namespace
