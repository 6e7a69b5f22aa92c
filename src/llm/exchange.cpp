#include "llm/exchange.hpp"

#include "core/text.hpp"

#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace netops::llm {
namespace {

namespace http = beast::http;
using boost::system::error_code;
using Kind = UpstreamError::Kind;
using std::chrono::milliseconds;

constexpr std::size_t kMaxRetries = 1;
constexpr std::size_t kReadRoom = 16 * 1024;  // socket read size for the headers and body of an answer  // a stale pooled connection is retried once, on a fresh one

Clock::time_point after(Clock::time_point from, int ms) {
  return ms > 0 ? from + milliseconds(ms) : Clock::time_point::max();  // 0 or less: no limit
}

// The earlier of a phase deadline and the total one, and which of the two it is.
struct Deadline {
  Clock::time_point at;
  std::string what;  // "first-byte timeout (60000 ms)"
};
Deadline pick(Clock::time_point phase, const char* phase_name, int phase_ms, const UpstreamStream::State& st) {
  if (st.total_deadline < phase)
    return {st.total_deadline, "total timeout (" + std::to_string(st.timeouts.total_ms) + " ms)"};
  return {phase, std::string(phase_name) + " timeout (" + std::to_string(phase_ms) + " ms)"};
}

void arm(Connection& c, Clock::time_point at) {
  if (at == Clock::time_point::max())
    c.tcp().expires_never();
  else
    c.tcp().expires_at(at);
}

bool is_closed_error(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::connection_aborted ||
         ec == net::error::broken_pipe || ec == net::error::operation_aborted ||
         ec == net::ssl::error::stream_truncated;
}

UpstreamError io_error(const error_code& ec, const Deadline& d, const std::string& origin, const char* during) {
  if (ec == beast::error::timeout) return UpstreamError(Kind::timeout, "upstream " + d.what + " from " + origin);
  std::string where = std::string(" from ") + origin + " " + during + ": " + ec.message();
  if (is_closed_error(ec)) return UpstreamError(Kind::closed, "upstream closed the connection" + where);
  if (ec.category() == http::make_error_code(http::error::bad_version).category())
    return UpstreamError(Kind::protocol, "malformed upstream response" + where);
  if (ec.category() == net::error::get_ssl_category() || ec.category() == net::ssl::error::get_stream_category())
    return UpstreamError(Kind::tls, "TLS failure" + where);
  return UpstreamError(Kind::closed, "upstream connection failed" + where);
}

void configure(ResponseParser& p, const ClientOptions& opts, bool head_request) {
  p.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(opts.max_header_bytes, UINT32_MAX)));
  p.body_limit(boost::none);  // send() enforces its own limit; a stream has none
  if (head_request) p.skip(true);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The end of a clean exchange: the connection goes back to the pool when both sides allow it and no
// stray bytes follow the response.
void finish(UpstreamStream::State& st) {
  st.done = true;
  auto conn = std::move(st.conn);
  if (!conn) return;
  bool reuse = st.request_keep_alive && st.parser && st.parser->keep_alive() && !st.parser->need_eof() &&
               st.buf.size() == 0 && !st.cancelled;
  if (reuse) {
    if (auto pool = st.pool.lock()) return pool->give_back(std::move(conn));
  }
  conn->close();
}

[[noreturn]] void fail(UpstreamStream::State& st, Connection& conn, const UpstreamError& e) {
  st.failed = true;
  conn.close();
  st.conn.reset();
  throw e;
}

}  // namespace

std::string_view kind_name(UpstreamError::Kind k) {
  switch (k) {
    case Kind::connect: return "connect";
    case Kind::timeout: return "timeout";
    case Kind::tls: return "tls";
    case Kind::protocol: return "protocol";
    case Kind::closed: return "closed";
  }
  return "unknown";
}

std::string serialize_request_head(const UpstreamRequest& req, const UpstreamUrl& url, const ClientOptions& opts,
                                   bool& keep_alive) {
  if (!is_http_token(req.method)) throw std::invalid_argument("bad HTTP method");
  std::string h;
  std::size_t size = req.method.size() + url.target.size() + 128;
  for (auto& [k, v] : req.headers) size += k.size() + v.size() + 4;
  h.reserve(size);
  h.append(req.method).append(" ").append(url.target).append(" HTTP/1.1\r\n");
  bool has_host = false, has_agent = false, has_connection = false;
  for (auto& [k, v] : req.headers) {
    // Never quote the value: it may be an API key.
    if (!is_http_token(k)) throw std::invalid_argument("bad request header name '" + k + "'");
    if (v.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
      throw std::invalid_argument("control character in the value of request header '" + k + "'");
    has_host |= iequals(k, "host");
  }
  if (!has_host) h.append("Host: ").append(url.host_header()).append("\r\n");
  for (auto& [k, v] : req.headers) {
    // Framing is the client's: a caller's Content-Length could contradict the body it gave.
    if (iequals(k, "content-length") || iequals(k, "transfer-encoding")) continue;
    if (iequals(k, "user-agent")) has_agent = true;
    if (iequals(k, "connection")) {
      has_connection = true;
      if (lower(v).find("close") != std::string::npos) keep_alive = false;
    }
    h.append(k).append(": ").append(v).append("\r\n");
  }
  if (!has_agent && !opts.user_agent.empty()) h.append("User-Agent: ").append(opts.user_agent).append("\r\n");
  if (!has_connection) h.append("Connection: keep-alive\r\n");
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH")
    h.append("Content-Length: ").append(std::to_string(req.body.size())).append("\r\n");
  h.append("\r\n");
  return h;
}

Task<std::shared_ptr<UpstreamStream::State>> start_exchange(std::shared_ptr<WorkerPool> pool, UpstreamRequest req,
                                                            std::size_t piece_size) {
  UpstreamUrl url = parse_url(req.url);
  auto st = std::make_shared<UpstreamStream::State>();
  st->pool = pool;
  st->origin = url.origin();
  st->timeouts = req.timeouts;
  st->total_deadline = after(Clock::now(), req.timeouts.total_ms);
  st->piece_size = std::max<std::size_t>(piece_size, 1);
  st->piece = std::make_unique_for_overwrite<char[]>(st->piece_size);
  // Beast reads max(512, free capacity) bytes per socket read: without room reserved, an answer or a
  // stream arrives 512 bytes per system call.
  st->buf.reserve(kReadRoom);
  const bool head_request = req.method == "HEAD";
  const std::string head = serialize_request_head(req, url, pool->options(), st->request_keep_alive);
  const std::array<net::const_buffer, 2> request_bytes{net::buffer(head), net::buffer(req.body)};
  const auto& t = req.timeouts;

  for (std::size_t attempt = 0;; ++attempt) {
    std::shared_ptr<Connection> conn = attempt == 0 ? pool->take_idle(st->origin) : nullptr;
    const bool reused = conn != nullptr;
    if (!conn) {
      Deadline d = pick(after(Clock::now(), t.connect_ms), "connect", t.connect_ms, *st);
      conn = co_await pool->connect(url, d.at, d.what);
    }
    st->conn = conn;
    // A request that vanishes on a reused connection before any byte of an answer can only mean that
    // the server closed it while it sat idle, so sending it again cannot run it twice.
    const bool may_retry = reused && attempt < kMaxRetries;

    Deadline first_byte = pick(after(Clock::now(), t.first_byte_ms), "first-byte", t.first_byte_ms, *st);
    arm(*conn, first_byte.at);
    auto [wec, wn] = co_await conn->write(request_bytes);
    if (wec) {
      conn->close();
      if (may_retry && wec != beast::error::timeout) continue;
      fail(*st, *conn, io_error(wec, first_byte, st->origin, "while sending the request"));
    }

    bool got_any = false;
    error_code rec;
    for (;;) {
      st->parser.emplace();
      configure(*st->parser, pool->options(), head_request);
      auto [e, n] = co_await conn->read_header(st->buf, *st->parser);
      rec = e;
      if (rec) break;
      got_any = true;
      int status = st->parser->get().result_int();
      if (status < 100 || status >= 200 || status == 101) break;  // 1xx are interim: the answer follows
    }
    if (rec) {
      bool nothing = !got_any && !st->parser->got_some() && st->buf.size() == 0;
      conn->close();
      if (may_retry && nothing && rec != beast::error::timeout) continue;
      fail(*st, *conn, io_error(rec, first_byte, st->origin, "before the response headers"));
    }
    break;
  }

  auto& msg = st->parser->get();
  st->status = static_cast<int>(msg.result_int());
  st->headers.reserve(16);
  for (auto& f : msg) st->headers.emplace_back(lower(f.name_string()), std::string(f.value()));
  if (st->parser->is_done()) finish(*st);
  co_return st;
}

// Beast parses one element (chunk header or chunk body) per read_some and posts its completion when the
// bytes were already buffered: a socket read that brought 40 chunked SSE events would come out as 40 pieces,
// 40 client writes and 40 trips through the scheduler. Whatever the last socket read brought is parsed here,
// synchronously, into the rest of the piece; it stops at an element that is not all there yet (its bytes stay
// buffered for the next read), at a full piece, or at the end of the body. Returns the body bytes added.
std::size_t drain_buffered(UpstreamStream::State& st, std::size_t got) {
  auto& p = *st.parser;
  std::size_t added = 0;
  while (got + added < st.piece_size && st.buf.size() > 0 && !p.is_done()) {
    auto& body = p.get().body();
    const std::size_t room = st.piece_size - got - added;
    body.data = st.piece.get() + got + added;
    body.size = room;
    body.more = true;
    error_code ec;
    const std::size_t used = p.put(st.buf.data(), ec);
    st.buf.consume(used);
    const std::size_t wrote = room - p.get().body().size;
    added += wrote;
    if (ec == http::error::need_more || ec == http::error::need_buffer) break;
    if (ec) {  // a malformed chunk: what came before it goes out now, the next read() fails
      st.parse_error = ec;
      break;
    }
    if (used == 0 && wrote == 0) break;
  }
  return added;
}

Task<std::optional<std::string>> read_piece(std::shared_ptr<UpstreamStream::State> st) {
  if (st->done) co_return std::nullopt;
  if (st->cancelled) throw UpstreamError(Kind::closed, "upstream stream from " + st->origin + " was cancelled");
  if (st->failed || !st->conn) throw UpstreamError(Kind::closed, "upstream stream from " + st->origin + " failed");
  auto conn = st->conn;  // keeps the connection alive while suspended, whatever cancel() does
  auto& p = *st->parser;
  Deadline d = pick(after(Clock::now(), st->timeouts.idle_ms), "idle", st->timeouts.idle_ms, *st);
  arm(*conn, d.at);
  for (;;) {
    if (st->parse_error) fail(*st, *conn, io_error(st->parse_error, d, st->origin, "while reading the body"));
    if (p.is_done()) {
      finish(*st);
      co_return std::nullopt;
    }
    auto& body = p.get().body();
    body.data = st->piece.get();
    body.size = st->piece_size;
    body.more = true;
    auto [ec, n] = co_await conn->read_some(st->buf, p);
    if (st->cancelled)
      fail(*st, *conn, UpstreamError(Kind::closed, "upstream stream from " + st->origin + " was cancelled"));
    std::size_t got = st->piece_size - p.get().body().size;
    if (ec == http::error::need_buffer) ec = {};  // the piece is full: hand it over
    if (ec == net::ssl::error::stream_truncated && p.need_eof()) {
      // Many servers end a read-until-close body without a TLS close_notify; the body still ended.
      ec = {};
      p.put_eof(ec);
    }
    if (ec) fail(*st, *conn, io_error(ec, d, st->origin, "while reading the body"));
    got += drain_buffered(*st, got);
    if (got > 0) {
      if (p.is_done()) finish(*st);  // the connection is free before the caller asks again
      co_return std::string(st->piece.get(), got);
    }
  }
}

void cancel_exchange(UpstreamStream::State& st) {
  if (st.done) return;
  st.cancelled = true;
  if (st.conn) st.conn->close_soon();
}

}  // namespace netops::llm
