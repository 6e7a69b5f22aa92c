#include "llm/connection_pool.hpp"
#include "llm/egress.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <cerrno>

namespace netops::llm {
namespace {

namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using boost::system::error_code;
constexpr auto nothrow = net::as_tuple(net::use_awaitable);

// A parked connection is watched for the server closing it only once it has been idle this long: arming
// the watch costs a system call (epoll_ctl) and cancelling it a queued handler, which a connection taken
// again within microseconds under load would pay on every request. Before then, take_idle's peek finds a
// closed one; after, the watch releases it within about twice this.
constexpr auto kWatchAfter = std::chrono::milliseconds(250);

ssl::context make_tls_context(const ClientOptions& opts) {
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  ctx.set_default_verify_paths();
  if (!opts.ca_file.empty()) {
    error_code ec;
    ctx.load_verify_file(opts.ca_file, ec);
    if (ec) throw std::runtime_error("cannot load CA file " + opts.ca_file + ": " + ec.message());
  }
  ctx.set_verify_mode(opts.verify_tls ? ssl::verify_peer : ssl::verify_none);
  return ctx;
}

// What OpenSSL says about a failed handshake: the verification result when there was one.
std::string tls_failure(beast::ssl_stream<beast::tcp_stream>& s, const error_code& ec) {
  long v = SSL_get_verify_result(s.native_handle());
  if (v != X509_V_OK) return std::string("certificate verification failed: ") + X509_verify_cert_error_string(v);
  return ec.message();
}

}  // namespace

// ---------------------------------------------------------------------------------------------- Connection

Connection::Connection(net::io_context& ioc, std::string key, ssl::context* tls, std::shared_ptr<PoolCounters> c)
    : ioc_(ioc), key_(std::move(key)), counters_(std::move(c)) {
  if (tls != nullptr)
    tls_.emplace(ioc, *tls);
  else
    plain_.emplace(ioc);
  counters_->open.fetch_add(1, std::memory_order_relaxed);
}

Connection::~Connection() { close(); }

beast::tcp_stream& Connection::tcp() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  counters_->open.fetch_sub(1, std::memory_order_relaxed);
  // No TLS close_notify: the connection is abandoned, and waiting for the peer would only add latency.
  tcp().close();
}

void Connection::close_soon() {
  if (ioc_.get_executor().running_in_this_thread()) return close();
  net::post(ioc_, [self = shared_from_this()] { self->close(); });
}

bool Connection::unusable_after_idle() {
  if (closed_) return true;
  char byte;
  auto n = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n >= 0) return true;  // 0: the server closed it; >0: bytes nobody asked for (or a TLS alert)
  return errno != EAGAIN && errno != EWOULDBLOCK;
}

net::awaitable<IoResult> Connection::write(const std::array<net::const_buffer, 2>& buffers) {
  if (tls_) return net::async_write(*tls_, buffers, nothrow);
  return net::async_write(*plain_, buffers, nothrow);
}

net::awaitable<IoResult> Connection::read_header(beast::flat_buffer& buf, ResponseParser& parser) {
  if (tls_) return beast::http::async_read_header(*tls_, buf, parser, nothrow);
  return beast::http::async_read_header(*plain_, buf, parser, nothrow);
}

net::awaitable<IoResult> Connection::read_some(beast::flat_buffer& buf, ResponseParser& parser) {
  if (tls_) return beast::http::async_read_some(*tls_, buf, parser, nothrow);
  return beast::http::async_read_some(*plain_, buf, parser, nothrow);
}

// ---------------------------------------------------------------------------------------------- WorkerPool

WorkerPool::WorkerPool(net::io_context& ioc, const ClientOptions& opts)
    : ioc_(ioc), opts_(opts), sweep_timer_(ioc) {
  tls_ctx_.emplace(make_tls_context(opts_));
}

WorkerPool::~WorkerPool() {
  sweep_timer_.cancel();
  close_idle();
}

std::shared_ptr<Connection> WorkerPool::take_idle(const std::string& key) {
  auto it = idle_.find(key);
  if (it == idle_.end()) return nullptr;
  auto& queue = it->second;
  auto now = Clock::now();
  while (!queue.empty()) {
    auto c = std::move(queue.back());  // the most recently used is the most likely to be alive
    queue.pop_back();
    counters_->idle.fetch_sub(1, std::memory_order_relaxed);
    c->in_pool = false;
    ++c->idle_generation;
    if (now - c->idle_since >= std::chrono::milliseconds(opts_.idle_keepalive_ms) || c->unusable_after_idle()) {
      c->close();
      continue;
    }
    if (c->watched) {
      c->watched = false;
      error_code ignore;
      c->tcp().socket().cancel(ignore);  // ends the idle watch
    }
    counters_->reused.fetch_add(1, std::memory_order_relaxed);
    return c;
  }
  return nullptr;
}

Task<std::shared_ptr<Connection>> WorkerPool::connect(const UpstreamUrl& url, Clock::time_point deadline,
                                                      std::string timeout_what) {
  auto timed_out = [&] {
    return UpstreamError(UpstreamError::Kind::timeout, "upstream " + timeout_what + " to " + url.origin());
  };
  std::vector<tcp::endpoint> endpoints;
  error_code ec;
  auto ip = net::ip::make_address(url.host, ec);
  if (!ec) {
    endpoints.emplace_back(ip, url.port);
  } else {
    // The resolver runs getaddrinfo on a background thread and cannot be interrupted; cancelling it at
    // the deadline lets this coroutine go on without waiting for the lookup to finish.
    auto resolver = std::make_shared<tcp::resolver>(ioc_);
    net::steady_timer timer(ioc_, deadline);
    auto on_deadline = [resolver](const error_code& e) {
      if (!e) resolver->cancel();
    };
    timer.async_wait(on_deadline);
    auto [rec, results] = co_await resolver->async_resolve(url.host, std::to_string(url.port), nothrow);
    timer.cancel();
    if (rec == net::error::operation_aborted) throw timed_out();
    if (rec)
      throw UpstreamError(UpstreamError::Kind::connect,
                          "cannot resolve upstream " + url.origin() + ": " + rec.message());
    for (auto& r : results) endpoints.push_back(r.endpoint());
  }
  // The egress policy, on what the name resolved to: a DNS name pointing at the metadata service is
  // refused like the address itself. Only refused addresses are skipped; none left → EgressRefused.
  std::string refused;
  std::erase_if(endpoints, [&](const tcp::endpoint& e) {
    auto why = egress_refusal(e.address().to_string());
    if (why && refused.empty()) refused = *why;
    return why.has_value();
  });
  if (endpoints.empty())
    throw EgressRefused("upstream " + url.origin() + " refused by the egress policy: " + refused);

  auto conn = std::make_shared<Connection>(ioc_, url.origin(), url.tls ? &*tls_ctx_ : nullptr, counters_);
  auto& tcp_stream = conn->tcp();
  if (deadline == Clock::time_point::max())
    tcp_stream.expires_never();
  else
    tcp_stream.expires_at(deadline);
  auto [cec, ep] = co_await tcp_stream.async_connect(endpoints, nothrow);
  if (cec == beast::error::timeout) throw timed_out();
  if (cec)
    throw UpstreamError(UpstreamError::Kind::connect, "cannot connect to upstream " + url.origin() + ": " + cec.message());
  error_code ignore;
  tcp_stream.socket().set_option(tcp::no_delay(true), ignore);

  if (url.tls) {
    auto& s = conn->tls();
    // SNI names hosts only (RFC 6066); an IP literal is checked against the certificate's IP SANs.
    if (!url.host_is_ip() && SSL_set_tlsext_host_name(s.native_handle(), url.host.c_str()) != 1)
      throw UpstreamError(UpstreamError::Kind::tls, "cannot set SNI for " + url.origin());
    if (opts_.verify_tls) s.set_verify_callback(ssl::host_name_verification(url.host));
    auto [hec] = co_await s.async_handshake(ssl::stream_base::client, nothrow);
    if (hec == beast::error::timeout) throw timed_out();
    if (hec)
      throw UpstreamError(UpstreamError::Kind::tls,
                          "TLS handshake with " + url.origin() + " failed: " + tls_failure(s, hec));
  }
  counters_->created.fetch_add(1, std::memory_order_relaxed);
  co_return conn;
}

void WorkerPool::give_back(std::shared_ptr<Connection> c) {
  // A stream finished on another thread (against the rules) or after close: not ours to park.
  if (!c->is_open() || !ioc_.get_executor().running_in_this_thread() || opts_.max_idle_per_host == 0)
    return c->close();
  c->tcp().expires_never();
  auto& queue = idle_[c->key()];
  if (queue.size() >= opts_.max_idle_per_host) {
    auto oldest = std::move(queue.front());
    queue.pop_front();
    counters_->idle.fetch_sub(1, std::memory_order_relaxed);
    oldest->in_pool = false;
    oldest->close();
  }
  c->idle_since = Clock::now();
  c->in_pool = true;
  ++c->idle_generation;
  queue.push_back(c);
  counters_->idle.fetch_add(1, std::memory_order_relaxed);
  arm_sweep(c->idle_since + std::min<Clock::duration>(kWatchAfter, std::chrono::milliseconds(opts_.idle_keepalive_ms)));
}

// An idle connection should never become readable: when it does, the server closed it (or broke the
// protocol), and it leaves the pool at once instead of failing the next request.
void WorkerPool::watch(const std::shared_ptr<Connection>& c) {
  c->watched = true;
  auto generation = c->idle_generation;
  c->tcp().socket().async_wait(net::socket_base::wait_read,
                               [self = weak_from_this(), c, generation](const error_code& ec) {
                                 if (ec == net::error::operation_aborted) return;
                                 auto pool = self.lock();
                                 if (!pool || !c->in_pool || c->idle_generation != generation) return;
                                 pool->drop(c);
                               });
}

void WorkerPool::drop(const std::shared_ptr<Connection>& c) {
  auto it = idle_.find(c->key());
  if (it != idle_.end()) {
    auto& queue = it->second;
    for (auto q = queue.begin(); q != queue.end(); ++q) {
      if (*q == c) {
        queue.erase(q);
        counters_->idle.fetch_sub(1, std::memory_order_relaxed);
        break;
      }
    }
    if (queue.empty()) idle_.erase(it);
  }
  c->in_pool = false;
  ++c->idle_generation;
  c->close();
}

// Re-armed only to move the sweep earlier: a connection parked while the next sweep was for the keep-alive
// expiry of older, watched ones. An earlier wait cancelled here may still run (it had expired): it sweeps
// early and arms again, which is harmless.
void WorkerPool::arm_sweep(Clock::time_point at) {
  if (sweep_armed_ && sweep_due_ <= at) return;
  sweep_armed_ = true;
  sweep_due_ = at;
  sweep_timer_.expires_at(at);
  sweep_timer_.async_wait([self = weak_from_this()](const error_code& ec) {
    if (ec) return;
    if (auto pool = self.lock()) pool->sweep();
  });
}

void WorkerPool::sweep() {
  sweep_armed_ = false;
  auto keep = std::chrono::milliseconds(opts_.idle_keepalive_ms);
  auto now = Clock::now();
  std::optional<Clock::time_point> next;
  for (auto it = idle_.begin(); it != idle_.end();) {
    auto& queue = it->second;
    while (!queue.empty() && now - queue.front()->idle_since >= keep) {
      auto c = std::move(queue.front());
      queue.pop_front();
      counters_->idle.fetch_sub(1, std::memory_order_relaxed);
      c->in_pool = false;
      ++c->idle_generation;
      c->close();
    }
    if (queue.empty()) {
      it = idle_.erase(it);
      continue;
    }
    auto due = queue.front()->idle_since + keep;
    for (auto& c : queue) {
      if (c->watched) continue;
      if (now - c->idle_since >= kWatchAfter) watch(c);
      else due = std::min(due, c->idle_since + kWatchAfter);
    }
    if (!next || due < *next) next = due;
    ++it;
  }
  if (next) arm_sweep(*next);
}

void WorkerPool::close_idle() {
  for (auto& [key, queue] : idle_) {
    for (auto& c : queue) {
      counters_->idle.fetch_sub(1, std::memory_order_relaxed);
      c->in_pool = false;
      ++c->idle_generation;
      c->close();
    }
  }
  idle_.clear();
}

}  // namespace netops::llm
