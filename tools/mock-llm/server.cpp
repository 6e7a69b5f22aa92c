#include "server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_cat.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

namespace mockllm {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto nothrow = net::as_tuple(net::use_awaitable);
constexpr std::uint64_t kBodyLimit = 64ull * 1024 * 1024;
constexpr std::uint32_t kHeaderLimit = 64 * 1024;

std::string_view header(const bhttp::request<bhttp::string_body>& req, std::string_view name) {
  auto it = req.find(name);
  return it == req.end() ? std::string_view() : std::string_view(it->value());
}

Reply method_not_allowed(std::string_view allow) {
  Reply r = openai_error(405, "Method not allowed. Use " + std::string(allow) + ".");
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

Reply models(const Incoming& in, const Context& ctx) {
  // An Anthropic client says so with its version header (or by sending only x-api-key).
  bool anthropic = in.has_anthropic_version || (!in.api_key.empty() && in.authorization.empty());
  const auto& key = ctx.opts.require_key;
  if (anthropic) {
    if (!key.empty() && in.api_key != key) return anthropic_error(401, "invalid x-api-key");
    return anthropic_models();
  }
  if (!key.empty() && in.authorization != "Bearer " + key) return openai_error(401, "Incorrect API key provided.");
  return openai_models();
}

Reply route(const Incoming& in, Context& ctx) {
  const bool get = in.method == "GET";
  const bool post = in.method == "POST";
  if (in.path == "/v1/chat/completions") return post ? openai_chat(in, ctx) : method_not_allowed("POST");
  if (in.path == "/v1/embeddings") return post ? openai_embeddings(in, ctx) : method_not_allowed("POST");
  if (in.path == "/v1/messages") {
    if (post) return anthropic_messages(in, ctx);
    Reply r = anthropic_error(405, "Method not allowed. Use POST.");
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  if (in.path == "/v1/models") return get ? models(in, ctx) : method_not_allowed("GET");
  if (in.path == "/health") return get ? json_reply(200, {{"status", "ok"}}) : method_not_allowed("GET");
  if (in.path == "/stats") return get ? json_reply(200, ctx.stats.to_json()) : method_not_allowed("GET");
  if (in.path == "/stats/reset") {
    if (!post) return method_not_allowed("POST");
    ctx.stats.reset();
    return json_reply(200, {{"status", "ok"}});
  }
  return openai_error(404, "Invalid URL (" + std::string(in.method) + " " + std::string(in.path) + ")", nullptr,
                      "unknown_url");
}

// Writes the reply; false when the client is gone (the connection must then be dropped).
net::awaitable<bool> write_reply(tcp::socket& sock, Reply& r, unsigned version, bool keep_alive, Context& ctx) {
  if (r.delay_ms > 0) {
    net::steady_timer wait(sock.get_executor(), std::chrono::milliseconds(r.delay_ms));
    co_await wait.async_wait(nothrow);
  }
  auto set_common = [&](auto& msg) {
    msg.version(version);
    msg.result(static_cast<unsigned>(r.status));
    if (msg.reason() == "<unknown-status>")  // e.g. Anthropic's 529: Beast has no phrase for it
      msg.reason(r.status == 529 ? "Overloaded" : "Unknown");
    msg.keep_alive(keep_alive);
    msg.set(bhttp::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) msg.set(k, v);
  };
  if (!r.stream) {
    bhttp::response<bhttp::string_body> msg;
    set_common(msg);
    msg.body() = std::move(r.body);
    msg.prepare_payload();
    auto [ec, n] = co_await bhttp::async_write(sock, msg, nothrow);
    co_return !ec;
  }
  bhttp::response<bhttp::empty_body> msg;
  set_common(msg);
  msg.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> sr(msg);
  auto [ec, n] = co_await bhttp::async_write_header(sock, sr, nothrow);
  if (ec) {
    ctx.stats.disconnect();
    co_return false;
  }
  // Every event is its own write (TCP_NODELAY is on), the last one together with the terminating chunk.
  net::steady_timer pause(sock.get_executor());
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    if (i > 0 && r.event_delay_us > 0) {
      pause.expires_after(std::chrono::microseconds(r.event_delay_us));
      co_await pause.async_wait(nothrow);
    }
    auto chunk = bhttp::make_chunk(net::buffer(r.events[i]));
    boost::system::error_code wec;
    if (i + 1 == r.events.size())
      std::tie(wec, n) = co_await net::async_write(sock, beast::buffers_cat(chunk, bhttp::make_chunk_last()), nothrow);
    else
      std::tie(wec, n) = co_await net::async_write(sock, chunk, nothrow);
    if (wec) {
      ctx.stats.disconnect();
      co_return false;
    }
  }
  if (r.events.empty()) {
    auto [lec, ln] = co_await net::async_write(sock, bhttp::make_chunk_last(), nothrow);
    co_return !lec;
  }
  co_return true;
}

net::awaitable<void> session(tcp::socket sock, Context& ctx) {
  beast::flat_buffer buf;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(kBodyLimit);
    auto [ec, n] = co_await bhttp::async_read_header(sock, buf, parser, nothrow);
    if (ec) {
      if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
          ec == net::error::operation_aborted)
        break;
      Reply bad = openai_error(400, "Malformed HTTP request: " + ec.message());
      co_await write_reply(sock, bad, 11, false, ctx);
      break;
    }
    if (!parser.is_done()) {
      if (auto expect = header(parser.get(), "expect"); beast::iequals(expect, "100-continue")) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        co_await net::async_write(sock, net::buffer(kContinue), nothrow);
      }
      auto [bec, bn] = co_await bhttp::async_read(sock, buf, parser, nothrow);
      if (bec == bhttp::error::body_limit) {
        Reply big = openai_error(413, "Request body exceeds " + std::to_string(kBodyLimit) + " bytes.");
        co_await write_reply(sock, big, 11, false, ctx);
        break;
      }
      if (bec) break;
    }
    auto started = Clock::now();
    auto& req = parser.get();
    std::string_view target = req.target();
    Incoming in{.method = req.method_string(),
                .path = target.substr(0, target.find('?')),
                .body = req.body(),
                .authorization = header(req, "authorization"),
                .api_key = header(req, "x-api-key"),
                .has_anthropic_version = req.find("anthropic-version") != req.end()};
    Reply reply;
    try {
      reply = route(in, ctx);
    } catch (const std::exception& e) {  // a request shape the handlers did not foresee: say so, keep serving
      reply = openai_error(500, std::string("mock-llm internal error: ") + e.what());
    }
    const bool keep_alive = req.keep_alive();
    const int status = reply.status;
    std::string model = ctx.opts.verbose ? reply.model : std::string();
    bool ok = co_await write_reply(sock, reply, req.version(), keep_alive, ctx);
    if (ctx.opts.verbose)
      spdlog::info("{} {} {} model={} {:.1f}ms{}", std::string(in.method), std::string(target), status, model,
                   std::chrono::duration<double, std::milli>(Clock::now() - started).count(),
                   ok ? "" : " (client gone)");
    if (!ok || !keep_alive) break;
  }
  boost::system::error_code ignore;
  sock.shutdown(tcp::socket::shutdown_send, ignore);
  sock.close(ignore);
}

net::awaitable<void> accept_loop(tcp::acceptor& acceptor, std::vector<std::unique_ptr<net::io_context>>& workers,
                                 Context& ctx) {
  std::size_t next = 0;
  for (;;) {
    auto& ioc = *workers[next++ % workers.size()];
    auto [ec, sock] = co_await acceptor.async_accept(ioc, nothrow);
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) co_return;
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    boost::system::error_code ignore;
    sock.set_option(tcp::no_delay(true), ignore);
    net::co_spawn(ioc, session(std::move(sock), ctx), net::detached);
  }
}

}  // namespace

int run_server(Context& ctx) {
  const int threads = std::max(1, ctx.opts.threads);
  std::vector<std::unique_ptr<net::io_context>> workers;
  for (int i = 0; i < threads; ++i) workers.push_back(std::make_unique<net::io_context>(1));

  tcp::acceptor acceptor(*workers.front());
  boost::system::error_code ec;
  auto address = net::ip::make_address(ctx.opts.host, ec);
  if (!ec) {
    tcp::endpoint endpoint(address, static_cast<unsigned short>(ctx.opts.port));
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    std::fprintf(stderr, "mock-llm: cannot listen on %s:%d: %s\n", ctx.opts.host.c_str(), ctx.opts.port,
                 ec.message().c_str());
    return 1;
  }
  std::printf("mock-llm listening on %s:%u\n", ctx.opts.host.c_str(), acceptor.local_endpoint().port());
  std::fflush(stdout);

  net::co_spawn(*workers.front(), accept_loop(acceptor, workers, ctx), net::detached);
  net::signal_set signals(*workers.front(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    boost::system::error_code ignore;
    acceptor.close(ignore);
    for (auto& w : workers) w->stop();
  });

  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) {
    guards.push_back(net::make_work_guard(*workers[static_cast<std::size_t>(i)]));
    pool.emplace_back([&workers, i] { workers[static_cast<std::size_t>(i)]->run(); });
  }
  workers.front()->run();
  for (auto& w : workers) w->stop();
  for (auto& t : pool) t.join();
  return 0;
}

}  // namespace mockllm
