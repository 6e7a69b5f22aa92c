#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <limits>
#include <list>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/steady_timer.hpp>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "core/text.hpp"

namespace netops::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
constexpr auto nothrow = net::as_tuple(net::use_awaitable);
using Clock = std::chrono::steady_clock;

namespace {

struct Live {
  beast::tcp_stream* stream = nullptr;
  bool idle = true;  // waiting for the first byte of a request: safe to close on shutdown
};

class ChunkWriter final : public StreamWriter {
 public:
  ChunkWriter(beast::tcp_stream& s, int timeout_ms) : s_(s), timeout_ms_(timeout_ms) {}
  Task<bool> write(std::string_view chunk) override {
    if (gone_) co_return false;
    if (chunk.empty()) co_return true;
    s_.expires_after(std::chrono::milliseconds(timeout_ms_));
    auto [ec, n] = co_await net::async_write(s_, bhttp::make_chunk(net::const_buffer(chunk.data(), chunk.size())),
                                             nothrow);
    if (ec) gone_ = true;
    bytes_ += chunk.size();
    co_return !gone_;
  }
  bool client_gone() const override { return gone_; }
  std::size_t bytes() const { return bytes_; }

 private:
  beast::tcp_stream& s_;
  int timeout_ms_;
  bool gone_ = false;
  std::size_t bytes_ = 0;
};

// The methods we serve; anything else is answered 501 before a route, a metric label or a log line
// depends on it (a method token is attacker-chosen text).
bool known_method(std::string_view m) {
  static constexpr std::array<std::string_view, 7> kMethods{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (auto k : kMethods)
    if (m == k) return true;
  return false;
}

bool out_of_descriptors(const boost::system::error_code& ec) {
  return ec == net::error::no_descriptors || ec == net::error::no_buffer_space || ec == net::error::no_memory ||
         ec.value() == ENFILE;
}

void access_log(const Request& req, int status, std::size_t bytes, double seconds) {
  nlohmann::json line = {{"ts", std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count()},
                         {"requestId", req.request_id},
                         {"method", req.method},
                         {"route", req.route ? req.route->path : std::string("-")},
                         {"path", req.path},
                         {"status", status},
                         {"bytes", bytes},
                         {"latencyMs", seconds * 1000.0},
                         {"ip", req.remote_ip}};
  if (req.actor) line["userId"] = req.actor->user_id;
  access_logger().info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, const Pipeline& p, std::vector<net::io_context*> w)
      : opts(std::move(o)), pipeline(p), workers(std::move(w)), live(workers.size()) {}
  ServerOptions opts;
  const Pipeline& pipeline;
  std::vector<net::io_context*> workers;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::atomic<bool> draining{false};
  std::size_t next_worker = 0;
  std::vector<std::list<Live*>> live;  // per worker; touched only on that worker's thread
  std::shared_ptr<std::atomic<std::size_t>> open, in_flight;
  std::size_t max_connections = 0;

  net::awaitable<void> accept_loop();
  net::awaitable<void> session(tcp::socket sock, std::size_t worker);
  net::awaitable<std::size_t> write_response(beast::tcp_stream& s, Request& req, Response& res, unsigned version,
                                             bool keep_alive, bool head);
};

Server::Server(ServerOptions opts, const Pipeline& pipeline, std::vector<net::io_context*> workers)
    : impl_(std::make_unique<Impl>(std::move(opts), pipeline, std::move(workers))),
      open_(std::make_shared<std::atomic<std::size_t>>(0)),
      in_flight_(std::make_shared<std::atomic<std::size_t>>(0)) {
  impl_->open = open_;
  impl_->in_flight = in_flight_;
}

Server::~Server() = default;

void Server::start() {
  auto& ioc = *impl_->workers.front();
  auto endpoint = tcp::endpoint(net::ip::make_address(impl_->opts.host), static_cast<unsigned short>(impl_->opts.port));
  impl_->acceptor = std::make_unique<tcp::acceptor>(ioc);
  boost::system::error_code ec;
  impl_->acceptor->open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor->bind(endpoint, ec);
  if (!ec) impl_->acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + impl_->opts.host + ":" + std::to_string(impl_->opts.port) + ": " +
                             ec.message());
  impl_->max_connections = impl_->opts.max_connections;
  struct rlimit rl {};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    auto usable = rl.rlim_cur > kReservedFds * 2 ? rl.rlim_cur - kReservedFds : rl.rlim_cur / 2;
    if (usable < impl_->max_connections) {
      spdlog::warn("connection cap lowered from {} to {} (RLIMIT_NOFILE {} minus {} reserved descriptors)",
                   impl_->max_connections, usable, rl.rlim_cur, kReservedFds);
      impl_->max_connections = usable;
    }
  }
  net::co_spawn(ioc, impl_->accept_loop(), net::detached);
}

std::size_t Server::max_connections() const { return impl_->max_connections; }

int Server::port() const { return impl_->acceptor ? impl_->acceptor->local_endpoint().port() : 0; }

void Server::stop_accepting() {
  impl_->draining = true;
  if (!impl_->acceptor) return;
  net::post(*impl_->workers.front(), [this] {
    boost::system::error_code ec;
    impl_->acceptor->close(ec);
  });
}

void Server::close_idle() {
  impl_->draining = true;
  for (std::size_t i = 0; i < impl_->workers.size(); ++i) {
    net::post(*impl_->workers[i], [this, i] {
      for (Live* l : impl_->live[i])
        if (l->idle) l->stream->socket().close();
    });
  }
}

net::awaitable<void> Server::Impl::accept_loop() {
  int backoff_ms = 0;  // after an accept error: 50 ms doubling to 1 s, so a full descriptor table is no busy loop
  for (;;) {
    std::size_t w = next_worker++ % workers.size();
    auto [ec, sock] = co_await acceptor->async_accept(*workers[w], nothrow);
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor->is_open()) co_return;
      backoff_ms = std::clamp(backoff_ms * 2, 50, 1000);
      if (out_of_descriptors(ec) ? backoff_ms == 50 || backoff_ms == 1000 : true)
        spdlog::warn("accept failed: {} (pausing {} ms)", ec.message(), backoff_ms);
      Metrics::instance().inc("http_accept_errors_total", {});
      net::steady_timer pause(acceptor->get_executor(), std::chrono::milliseconds(backoff_ms));
      co_await pause.async_wait(nothrow);
      continue;
    }
    backoff_ms = 0;
    boost::system::error_code ignore;
    if (open->load() >= max_connections) {
      // Over the cap: accepted (so the backlog drains) and closed at once, before any byte is read.
      Metrics::instance().inc("http_connections_rejected_total", {});
      sock.close(ignore);
      continue;
    }
    ++*open;
    sock.set_option(tcp::no_delay(true), ignore);
    net::co_spawn(*workers[w], session(std::move(sock), w), net::detached);
  }
}


std::string response_head(unsigned version, const Request& req, const Response& res, bool keep_alive,
                          std::optional<std::size_t> content_length) {
  std::vector<std::pair<std::string_view, std::string_view>> fields;
  fields.reserve(2 + req.response_headers.size() + res.headers.size());
  std::size_t size = 64;
  auto put = [&](std::string_view name, std::string_view value) {
    if (!is_http_token(name) || iequals(name, "content-length") || iequals(name, "transfer-encoding") ||
        iequals(name, "connection"))
      return;
    size += name.size() + value.size() + 4;
    for (auto& f : fields)
      if (iequals(f.first, name)) {
        f = {name, value};
        return;
      }
    fields.emplace_back(name, value);
  };
  if (!res.content_type.empty()) put("Content-Type", res.content_type);
  put("X-Request-Id", req.request_id);
  for (auto& [k, v] : req.response_headers) put(k, v);
  for (auto& [k, v] : res.headers) put(k, v);
  std::string out;
  out.reserve(size);
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(res.status);
  out += ' ';
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(res.status));
  out.append(reason.data(), reason.size());
  out += "\r\n";
  for (auto& [name, value] : fields) {
    out += name;
    out += ": ";
    for (char c : value) out.push_back(c == '\r' || c == '\n' || c == '\0' ? ' ' : c);
    out += "\r\n";
  }
  if (content_length) {
    out += "Content-Length: ";
    out += std::to_string(*content_length);
    out += "\r\n";
  } else {
    out += "Transfer-Encoding: chunked\r\n";
  }
  if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
  if (version != 10 && !keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  return out;
}

net::awaitable<std::size_t> Server::Impl::write_response(beast::tcp_stream& s, Request& req, Response& res,
                                                         unsigned version, bool keep_alive, bool head) {
  s.expires_after(std::chrono::milliseconds(opts.write_timeout_ms));
  if (!res.stream) {
    // Head and body in one gather write: one sendmsg for the whole response. 1xx, 204 and 304 carry no body.
    std::size_t size = res.body.size();
    bool bodyless = head || res.status < 200 || res.status == 204 || res.status == 304;
    std::string head_block = response_head(version, req, res, keep_alive, size);
    std::array<net::const_buffer, 2> pieces{net::buffer(head_block), net::buffer(res.body.data(), bodyless ? 0 : size)};
    auto [ec, n] = co_await net::async_write(s, pieces, nothrow);
    if (ec) throw boost::system::system_error(ec);
    co_return size;
  }
  std::string head_block = response_head(version, req, res, keep_alive, std::nullopt);
  auto [ec, n] = co_await net::async_write(s, net::buffer(head_block), nothrow);
  if (ec) throw boost::system::system_error(ec);
  ChunkWriter writer(s, opts.write_timeout_ms);
  co_await res.stream(writer);
  if (writer.client_gone()) throw boost::system::system_error(net::error::connection_reset);
  s.expires_after(std::chrono::milliseconds(opts.write_timeout_ms));
  auto [ec2, n2] = co_await net::async_write(s, bhttp::make_chunk_last(), nothrow);
  if (ec2) throw boost::system::system_error(ec2);
  co_return writer.bytes();
}

// The body of a RouteSpec::body_to_file route goes to a new file in `dir` as it arrives, 64 KiB at a
// time, each piece one write(2) into the page cache (durability is the handler's business). Returns
// the file's path; on failure the file is gone and `ec` says why (bhttp::error::body_limit → 413).
net::awaitable<std::string> spool_body(beast::tcp_stream& stream, beast::flat_buffer& buf,
                                       bhttp::request_parser<bhttp::string_body>& header_parser,
                                       std::uint64_t limit, const std::string& dir, beast::error_code& ec) {
  bhttp::request_parser<bhttp::buffer_body> parser(std::move(header_parser));
  parser.body_limit(limit);
  std::error_code fs_ec;
  std::filesystem::create_directories(dir, fs_ec);
  std::string path = dir + "/.upload-" + new_uuid();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    ec = beast::error_code(errno, boost::system::generic_category());
    co_return std::string();
  }
  std::vector<char> chunk(64 * 1024);
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    auto [rec, n] = co_await bhttp::async_read(stream, buf, parser, nothrow);
    if (rec == bhttp::error::need_buffer) rec = {};
    if (rec) {
      ec = rec;
      break;
    }
    std::size_t got = chunk.size() - parser.get().body().size;
    for (std::size_t off = 0; off < got;) {
      auto w = ::write(fd, chunk.data() + off, got - off);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        ec = beast::error_code(errno ? errno : EIO, boost::system::generic_category());
        break;
      }
      off += static_cast<std::size_t>(w);
    }
    if (ec) break;
  }
  ::close(fd);
  if (ec) {
    ::unlink(path.c_str());
    co_return std::string();
  }
  co_return path;
}

net::awaitable<void> Server::Impl::session(tcp::socket sock, std::size_t worker) {
  beast::tcp_stream stream(std::move(sock));
  Live live_entry{&stream, true};
  live[worker].push_back(&live_entry);
  auto live_it = std::prev(live[worker].end());
  std::string peer_ip;
  {
    boost::system::error_code ec;
    auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) peer_ip = ep.address().to_string();
  }
  beast::flat_buffer buf;
  for (;;) {
    if (draining) break;
    // Wait for the first byte under the idle timeout; the whole header then gets header_timeout_ms,
    // so a client trickling bytes cannot hold the connection.
    live_entry.idle = true;
    if (buf.size() == 0) {
      stream.expires_after(std::chrono::milliseconds(opts.idle_timeout_ms));
      auto [ec, n] = co_await stream.async_read_some(buf.prepare(8192), nothrow);
      if (ec) break;
      buf.commit(n);
    }
    live_entry.idle = false;
    auto started = Clock::now();
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(opts.header_limit));
    // The route decides the body limit; until the headers are in, Beast must not judge Content-Length.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    stream.expires_after(std::chrono::milliseconds(opts.header_timeout_ms));
    auto [hec, hn] = co_await bhttp::async_read_header(stream, buf, parser, nothrow);

    Request req;
    req.remote_ip = peer_ip;
    req.received = started;
    req.request_id = new_uuid_v7();  // time-ordered: usage_logs indexes it, one new key per call
    if (hec) {
      if (hec == bhttp::error::end_of_stream || hec == beast::error::timeout || hec == net::error::eof ||
          hec == net::error::connection_reset || hec == net::error::operation_aborted)
        break;
      // Malformed request line or headers: answer 400 and close; headers beyond the limit get
      // 431 Request Header Fields Too Large (error code PAYLOAD_TOO_LARGE in the envelope).
      const bool too_large = hec == bhttp::error::header_limit;
      auto code = too_large ? ErrorCode::payload_too_large : ErrorCode::validation;
      Response res = Response::json(error_envelope(AppError(code, too_large ? "request headers exceed " +
                                                                                  std::to_string(opts.header_limit) + " bytes"
                                                                            : "malformed HTTP request: " + hec.message()),
                                                   req.request_id),
                                    too_large ? 431 : http_status(code));
      req.method = "-";
      try {
        co_await write_response(stream, req, res, 11, false, false);
      } catch (...) {
      }
      if (opts.access_log) access_log(req, res.status, res.body.size(), 0);
      break;
    }
    auto& hdr = parser.get();
    req.method = std::string(hdr.method_string());
    req.target = std::string(hdr.target());
    auto q = req.target.find('?');
    req.path = url_decode(std::string_view(req.target).substr(0, q));
    if (q != std::string::npos) req.query_params = parse_query(std::string_view(req.target).substr(q + 1));
    req.headers.reserve(16);
    for (auto& f : hdr) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    if (auto id = req.header("x-request-id"); id && valid_request_id(*id)) req.request_id = std::string(*id);
    if (!opts.trusted_proxies.empty()) {
      // Several X-Forwarded-For lines form one list in order (a proxy may add its own line after the
      // client's): the last hops are at the end.
      std::optional<std::string> xff;
      for (auto& [k, v] : req.headers)
        if (k == "x-forwarded-for") xff = xff ? *xff + "," + v : v;
      req.remote_ip = opts.trusted_proxies.client_ip(peer_ip, xff ? std::optional<std::string_view>(*xff) : std::nullopt);
    }
    bool keep_alive = hdr.keep_alive();
    unsigned version = hdr.version();
    bool head = req.method == "HEAD";
    const bool method_known = known_method(req.method);

    Response res;
    bool answered = false;  // res holds the answer; the body (if any) stays unread
    Match match;
    ++*in_flight;
    if (!method_known) {
      res = Response::json(error_envelope(AppError(ErrorCode::not_implemented,
                                                   "method not implemented; use GET, HEAD, POST, PUT, PATCH, "
                                                   "DELETE or OPTIONS"),
                                          req.request_id),
                           http_status(ErrorCode::not_implemented));
      answered = true;
    } else {
      match = pipeline.router().match(req.method, req.path);
      // Route, readiness, caller, role, API-key scope and rate limit are decided on the headers alone:
      // nobody unauthenticated makes us read (or spool to disk) a body. (No route: the body is read under
      // the default limit as before, so 413 still wins, and 404/405 come after it.)
      if (match.route) {
        if (auto refused = co_await pipeline.admit(req, match)) {
          res = std::move(*refused);
          answered = true;
        }
      }
    }
    if (answered && !parser.is_done()) keep_alive = false;  // the unread body makes the connection unusable
    std::size_t limit = (match.route && match.route->body_limit_) ? match.route->body_limit_ : opts.body_limit;
    bool read_ok = !answered;
    auto too_large = [&] {
      res = error_response(AppError(ErrorCode::payload_too_large,
                                    "request body exceeds " + std::to_string(limit) + " bytes", {{"limit", limit}}),
                           413, req);
      keep_alive = false;  // the unread body makes the connection unusable
      read_ok = false;
    };
    const bool to_file = match.route && !match.route->body_to_file_.empty();
    bool gone = false;
    if (answered) {
    } else if (parser.content_length() && *parser.content_length() > limit) {
      too_large();
    } else if (to_file) {
      stream.expires_after(std::chrono::milliseconds(opts.body_timeout_ms));
      beast::error_code bec;
      req.body_file = co_await spool_body(stream, buf, parser, limit, match.route->body_to_file_, bec);
      if (bec == bhttp::error::body_limit) {
        too_large();
      } else if (bec && bec.category() == boost::system::generic_category()) {  // open/write failed: ours
        spdlog::error("spooling a request body to {} failed: {}", match.route->body_to_file_, bec.message());
        res = error_response(AppError(ErrorCode::internal, "the upload could not be stored"), 500, req);
        keep_alive = false;
        read_ok = false;
      } else if (bec) {
        gone = true;  // timed out or gone mid-body: nothing to answer, nothing kept
      }
    } else if (!parser.is_done()) {
      parser.body_limit(limit);
      if (auto expect = req.header("expect"); expect && beast::iequals(*expect, "100-continue")) {
        static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        co_await net::async_write(stream, net::buffer(kContinue), nothrow);
      }
      stream.expires_after(std::chrono::milliseconds(opts.body_timeout_ms));
      auto [bec, bn] = co_await bhttp::async_read(stream, buf, parser, nothrow);
      if (bec == bhttp::error::body_limit) {
        too_large();
      } else if (bec) {
        gone = true;  // timed out or gone mid-body: nothing to answer
      }
    }
    if (gone) {
      --*in_flight;
      break;
    }
    if (read_ok && !match.route) {
      res = std::move(*co_await pipeline.admit(req, match));  // 404 or 405
    } else if (read_ok) {
      if (!to_file) req.body = std::move(parser.get().body());
      res = co_await pipeline.respond(req);
      if (!req.body_file.empty()) ::unlink(req.body_file.c_str());  // the handler kept what it needed
    } else if (!req.route) {
      req.route = match.route;
    }
    if (draining) keep_alive = false;
    std::size_t bytes = 0;
    bool written = true;
    try {
      bytes = co_await write_response(stream, req, res, version, keep_alive, head);
    } catch (const std::exception&) {
      written = false;
    }
    --*in_flight;
    double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::string status = std::to_string(res.status);
    std::string_view route = req.route ? std::string_view(req.route->path) : std::string_view("unmatched");
    std::string_view method = method_known ? std::string_view(req.method) : std::string_view("OTHER");
    auto& m = Metrics::instance();
    m.inc("http_requests_total", {{"method", method}, {"route", route}, {"status", status}});
    m.observe("http_request_duration_seconds", {{"method", method}, {"route", route}, {"status", status}}, seconds);
    if (opts.access_log) access_log(req, res.status, bytes, seconds);
    if (!written || !keep_alive) break;
  }
  boost::system::error_code ignore;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignore);
  stream.socket().close(ignore);
  live[worker].erase(live_it);
  --*open;
}

}  // namespace netops::http
