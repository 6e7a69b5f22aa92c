// Streams from an OpenAI-compatible upstream (issue #18, item 3): a read that holds whole events which all go
// to the client unchanged is written as it came — one read, one write, no re-framing (so even SSE comments
// and id lines reach the client as sent) — while a read holding the usage chunk the client did not ask
// for is re-framed without it, and an event split across reads is still delivered whole. The upstream is a
// raw HTTP server of this test that sends exactly the given pieces, one chunk each.
#include <boost/asio/buffers_iterator.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "gateway_fixture.hpp"

using namespace gwtest;
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

class RawUpstream {
 public:
  RawUpstream() : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~RawUpstream() {
    stop_ = true;
    try {
      tcp::socket s(ioc_);
      s.connect(acceptor_.local_endpoint());  // wakes accept()
    } catch (const std::exception&) {
    }
    thread_.join();
  }
  int port() const { return acceptor_.local_endpoint().port(); }
  // What the next answers send: each piece one HTTP chunk (one upstream read for the gateway).
  void answer(std::vector<std::string> pieces) {
    std::lock_guard lk(mu_);
    pieces_ = std::move(pieces);
  }

 private:
  void serve() {
    while (!stop_) {
      tcp::socket s(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(s, ec);
      if (ec || stop_) continue;
      try {
        handle(s);
      } catch (const std::exception&) {
      }
    }
  }
  void handle(tcp::socket& s) {
    s.set_option(tcp::no_delay(true));
    asio::streambuf buf;
    auto n = asio::read_until(s, buf, "\r\n\r\n");
    std::string head(asio::buffers_begin(buf.data()), asio::buffers_begin(buf.data()) + n);
    buf.consume(n);
    std::size_t length = 0;
    for (auto& name : {"Content-Length: ", "content-length: "})
      if (auto at = head.find(name); at != std::string::npos) length = std::stoul(head.substr(at + 16));
    if (buf.size() < length) asio::read(s, buf, asio::transfer_exactly(length - buf.size()));
    std::vector<std::string> pieces;
    {
      std::lock_guard lk(mu_);
      pieces = pieces_;
    }
    asio::write(s, asio::buffer(std::string("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")));
    for (auto& p : pieces) {
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", p.size());
      asio::write(s, asio::buffer(std::string(size) + p + "\r\n"));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // separate reads (pacing, decides nothing)
    }
    asio::write(s, asio::buffer(std::string("0\r\n\r\n")));
    boost::system::error_code ec;
    s.shutdown(tcp::socket::shutdown_both, ec);
  }

  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::string> pieces_;
};

std::string chunk(const std::string& delta, const std::string& finish = "null") {
  return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"raw\",\"choices\":[{\"index\":0,"
         "\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
}
const std::string kUsage =
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"raw\",\"choices\":[],"
    "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18}}\n\n";
const std::string kDone = "data: [DONE]\n\n";

std::string content_of(const std::string& body) {
  std::string out;
  for (auto& e : parse_sse(body)) {
    if (e.data.empty() || e.data == "[DONE]") continue;  // a comment block has no data
    auto j = json::parse(e.data);
    for (auto& c : j["choices"])
      if (c["delta"].contains("content") && c["delta"]["content"].is_string()) out += c["delta"]["content"];
  }
  return out;
}

}  // namespace

class GatewayPassthrough : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    upstream_ = new RawUpstream();
    env_ = new GatewayEnv();
    env_->start("gwpass", {{"NETOPS_ACCOUNTING_FLUSH_MS", "50"}});
    env_->provider("raw", "http://127.0.0.1:" + std::to_string(upstream_->port()) + "/v1", "none");
    env_->model("raw/m", "raw", 0);
  }
  static void TearDownTestSuite() {
    delete env_;
    delete upstream_;
    env_ = nullptr;
    upstream_ = nullptr;
  }
  HttpResponse stream(std::string& rid, bool include_usage = false) {
    rid = unique_id("pt");
    json body = {{"model", "raw/m"}, {"stream", true}, {"messages", {user_msg("hi")}}};
    if (include_usage) body["stream_options"] = {{"include_usage", true}};
    Headers h = env_->admin();
    h.emplace_back("X-Request-Id", rid);
    return HttpClient(env_->server->port()).post("/v1/chat/completions", body, h);
  }
  static inline GatewayEnv* env_ = nullptr;
  static inline RawUpstream* upstream_ = nullptr;
};

TEST_F(GatewayPassthrough, WholeEventsGoOutAsTheyCameAndTheUnaskedUsageChunkDoesNot) {
  const std::string first = ": keep-alive\n\n" + chunk("{\"role\":\"assistant\",\"content\":\"\"}") +
                            chunk("{\"content\":\"Hel\\\"lo \\u00e9\\ud83d\\ude00\"}");
  const std::string second = chunk("{\"content\":\" world\"}", "\"stop\"");
  upstream_->answer({first, second, kUsage, kDone});
  std::string rid;
  auto r = stream(rid);
  ASSERT_EQ(r.status, 200) << r.body;
  // The reads' own bytes — the comment line included, which re-framing event by event would drop.
  EXPECT_EQ(r.body, first + second + kDone);
  EXPECT_EQ(content_of(r.body), "Hel\"lo \xC3\xA9\xF0\x9F\x98\x80 world");
  auto rows = env_->usage(rid);
  ASSERT_EQ(rows.size(), 1u) << rows.dump();
  EXPECT_EQ(rows[0]["prompt"], 11);
  EXPECT_EQ(rows[0]["completion"], 7);
  EXPECT_EQ(rows[0]["estimated"], false);
  EXPECT_EQ(rows[0]["status"], "success");
}

TEST_F(GatewayPassthrough, AReadHoldingTheUsageChunkIsReframedWithoutItUnlessAskedFor) {
  const std::string all = chunk("{\"content\":\"one\"}") + chunk("{\"content\":\" two\"}", "\"stop\"") + kUsage + kDone;
  upstream_->answer({all});
  std::string rid;
  auto r = stream(rid);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find("\"usage\""), std::string::npos) << r.body;
  EXPECT_EQ(content_of(r.body), "one two");
  EXPECT_NE(r.body.find(kDone), std::string::npos);
  EXPECT_EQ(env_->usage(rid)[0]["completion"], 7);
  // Asked for: the same read goes out as it came, usage chunk included.
  auto asked = stream(rid, /*include_usage=*/true);
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_EQ(asked.body, all);
}

TEST_F(GatewayPassthrough, AnEventSplitAcrossReadsArrivesWhole) {
  const std::string a = chunk("{\"content\":\"split \"}");
  const std::string b = chunk("{\"content\":\"event\"}", "\"stop\"");
  upstream_->answer({a + b.substr(0, 40), b.substr(40) + kUsage, kDone});
  std::string rid;
  auto r = stream(rid);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(content_of(r.body), "split event");
  EXPECT_EQ(r.body.find("\"usage\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(kDone), std::string::npos);
  EXPECT_EQ(env_->usage(rid)[0]["completion"], 7);
}

TEST_F(GatewayPassthrough, WithoutUsageTheCompletionIsEstimatedFromTheScannedText) {
  upstream_->answer({chunk("{\"content\":\"abcdefgh\"}"), chunk("{\"content\":\"ijkl\"}", "\"stop\""), kDone});
  std::string rid;
  auto r = stream(rid);
  ASSERT_EQ(r.status, 200) << r.body;
  auto rows = env_->usage(rid);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["estimated"], true);
  EXPECT_EQ(rows[0]["completion"], 3);  // 12 code points / 4
}
