#include "cache/redis_connection.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>
#include <strings.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <chrono>
#include <stdexcept>

namespace netops::cache {
namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

int parse_int(std::string_view s, const char* what) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v < 0)
    throw std::invalid_argument(std::string("redis url: bad ") + what + " '" + std::string(s) + "'");
  return v;
}

// Passwords in URLs are percent-encoded when they contain ':', '@' or '/'.
std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned hex = 0;
    if (s[i] == '%' && i + 2 < s.size() &&
        std::from_chars(s.data() + i + 1, s.data() + i + 3, hex, 16).ptr == s.data() + i + 3) {
      out.push_back(static_cast<char>(hex));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// One command in flight. The hiredis callback owns one reference (through privdata), the awaiting
// coroutine another, so whichever finishes last frees it.
struct Pending {
  explicit Pending(asio::io_context& ioc) : timer(ioc) {}
  asio::steady_timer timer;  // expires at the command timeout; cancelled when the reply arrives
  bool done = false;
  bool lost = false;  // the connection went away before the reply
  Reply reply;
};

Reply to_reply(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      out.type = r->type == REDIS_REPLY_STRING   ? Reply::Type::string
                 : r->type == REDIS_REPLY_STATUS ? Reply::Type::status
                                                 : Reply::Type::error;
      out.str.assign(r->str, static_cast<std::size_t>(r->len));
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::array;
      out.elements.reserve(r->elements);
      for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(to_reply(r->element[i]));
      break;
    default:
      break;  // nil
  }
  return out;
}

// hiredis calls these callbacks more than once, which the one-shot Pending cannot express.
bool is_subscription(const std::string& cmd) {
  for (const char* c : {"subscribe", "psubscribe", "unsubscribe", "punsubscribe", "monitor"})
    if (strcasecmp(cmd.c_str(), c) == 0) return true;
  return false;
}

}  // namespace

void Connection::on_command_reply(redisAsyncContext* ac, void* reply, void* privdata) {
  std::unique_ptr<std::shared_ptr<Pending>> holder(static_cast<std::shared_ptr<Pending>*>(privdata));
  Pending& p = **holder;
  if (reply != nullptr) {
    ++static_cast<Connection*>(ac->data)->replies_seen_;  // the context (so its owner) is alive here
    p.reply = to_reply(static_cast<redisReply*>(reply));
  } else {
    p.lost = true;  // hiredis is freeing the context with this command unanswered
  }
  p.done = true;
  // Cancelling never runs the waiting coroutine here: Asio posts its completion to the io_context,
  // so it resumes after hiredis has returned and cannot re-enter hiredis from inside a callback.
  p.timer.cancel();
}

RedisEndpoint parse_redis_url(const std::string& url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.rfind(kScheme, 0) != 0) throw std::invalid_argument("redis url must start with redis://: " + url);
  std::string_view rest(url);
  rest.remove_prefix(kScheme.size());
  RedisEndpoint ep;
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    auto db = rest.substr(slash + 1);
    db = db.substr(0, db.find('?'));
    if (!db.empty()) ep.db = parse_int(db, "db");
  }
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    auto userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    auto colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
      ep.password = percent_decode(userinfo);
    } else {
      ep.user = percent_decode(userinfo.substr(0, colon));
      ep.password = percent_decode(userinfo.substr(colon + 1));
    }
  }
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {  // [::1]:6379
    auto close = authority.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("redis url: bad host in " + url);
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') port = authority.substr(close + 2);
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (!host.empty()) ep.host = std::string(host);
  if (!port.empty()) ep.port = parse_int(port, "port");
  return ep;
}

// The Asio side of one hiredis context: hiredis says which readiness it wants (addRead/addWrite)
// and we answer with one async_wait at a time per direction. Handlers keep the Link alive, and
// ev_cleanup clears `ac`, so a wait that completes after hiredis freed the context does nothing.
struct Connection::Link : std::enable_shared_from_this<Connection::Link> {
  Link(asio::io_context& ioc, Connection* o, redisAsyncContext* a) : owner(o), ac(a), sd(ioc) {}
  ~Link() {
    if (sd.is_open()) sd.release();  // the fd is hiredis'; Asio must never close it
  }

  void arm(bool read) {
    bool& armed = read ? read_armed : write_armed;
    if (armed || ac == nullptr) return;
    armed = true;
    // A wait re-arms epoll (EPOLL_CTL_MOD), so data hiredis left unread in the socket still wakes us.
    sd.async_wait(read ? asio::posix::stream_descriptor::wait_read : asio::posix::stream_descriptor::wait_write,
                  [self = shared_from_this(), read](const boost::system::error_code& ec) {
                    (read ? self->read_armed : self->write_armed) = false;
                    if (ec || self->ac == nullptr || !(read ? self->want_read : self->want_write)) return;
                    // Either call may free the context; hiredis re-requests what it still wants.
                    if (read)
                      redisAsyncHandleRead(self->ac);
                    else
                      redisAsyncHandleWrite(self->ac);
                  });
  }

  Connection* owner;
  redisAsyncContext* ac;  // null once hiredis has detached
  asio::posix::stream_descriptor sd;
  bool want_read = false, want_write = false;
  bool read_armed = false, write_armed = false;
};

void Connection::ev_add_read(void* pd) {
  auto* l = static_cast<Link*>(pd);
  l->want_read = true;
  l->arm(true);
}
void Connection::ev_del_read(void* pd) { static_cast<Link*>(pd)->want_read = false; }
void Connection::ev_add_write(void* pd) {
  auto* l = static_cast<Link*>(pd);
  l->want_write = true;
  l->arm(false);
}
void Connection::ev_del_write(void* pd) { static_cast<Link*>(pd)->want_write = false; }

// hiredis is about to free the context (and then close the fd) — after an error, a failed connect,
// redisAsyncFree or a disconnect. The single place where a connection ends.
void Connection::ev_cleanup(void* pd) {
  auto* l = static_cast<Link*>(pd);
  l->ac = nullptr;
  l->want_read = l->want_write = false;
  if (l->sd.is_open()) l->sd.release();  // deregister from epoll while the fd is still open
  l->owner->on_context_gone();
}

Connection::Connection(asio::io_context& ioc, const RedisConfig& cfg)
    : ioc_(ioc),
      cfg_(cfg),
      endpoint_(parse_redis_url(cfg.url)),
      connect_timer_(ioc),
      reconnect_timer_(ioc),
      resolver_(ioc),
      backoff_ms_(std::max(1, cfg.reconnect_min_ms)) {}

Connection::~Connection() {
  alive_.reset();  // queued timer handlers must not touch us any more
  do_stop();
}

void Connection::start() {
  asio::post(ioc_, [this, alive = std::weak_ptr<int>(alive_)] {
    if (!alive.expired()) do_start();
  });
}

void Connection::stop() {
  if (ioc_.get_executor().running_in_this_thread()) return do_stop();
  asio::post(ioc_, [this, alive = std::weak_ptr<int>(alive_)] {
    if (!alive.expired()) do_stop();
  });
}

void Connection::do_start() {
  stopping_ = false;
  backoff_ms_ = std::max(1, cfg_.reconnect_min_ms);
  if (ac_ == nullptr) {
    reconnect_timer_.cancel();
    connect();
  }
}

void Connection::do_stop() {
  stopping_ = true;
  connected_ = false;
  connect_timer_.cancel();
  reconnect_timer_.cancel();
  resolver_.cancel();
  // Not from inside a hiredis callback (stop is posted), so the free is immediate: pending commands
  // get a null reply (RedisUnavailable) and ev_cleanup clears ac_.
  if (ac_ != nullptr) redisAsyncFree(ac_);
}

void Connection::connect() {
  if (stopping_ || ac_ != nullptr || resolving_) return;
  boost::system::error_code numeric;
  asio::ip::make_address(endpoint_.host, numeric);
  if (!numeric) return connect_to(endpoint_.host);
  // redisAsyncConnect would call getaddrinfo on this worker's thread, stalling every request on it for
  // as long as DNS takes; resolve asynchronously and hand hiredis the address.
  resolving_ = true;
  resolver_.async_resolve(
      endpoint_.host, std::to_string(endpoint_.port),
      [this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec,
                                                 const asio::ip::tcp::resolver::results_type& results) {
        if (alive.expired()) return;
        resolving_ = false;
        if (stopping_ || ec == asio::error::operation_aborted) return;
        if (ec || results.empty()) {
          log_failure("cannot resolve " + endpoint_.host + ": " + (ec ? ec.message() : "no address"));
          return schedule_reconnect();
        }
        // IPv4 first: Redis listens on 127.0.0.1 by default, and hiredis tries only the address it is given.
        std::string chosen = results.begin()->endpoint().address().to_string();
        for (auto& e : results)
          if (e.endpoint().address().is_v4()) {
            chosen = e.endpoint().address().to_string();
            break;
          }
        connect_to(chosen);
      });
}

void Connection::connect_to(const std::string& address) {
  if (stopping_ || ac_ != nullptr) return;
  ++generation_;
  redisAsyncContext* ac = redisAsyncConnect(address.c_str(), endpoint_.port);
  if (ac == nullptr || ac->err) {
    log_failure(ac ? ac->errstr : "out of memory");
    if (ac != nullptr) redisAsyncFree(ac);
    return schedule_reconnect();
  }
  // Notices a peer that vanished without a FIN/RST while the link is idle.
  redisEnableKeepAlive(&ac->c);
  auto link = std::make_shared<Link>(ioc_, this, ac);
  boost::system::error_code ec;
  link->sd.assign(ac->c.fd, ec);
  if (ec) {
    spdlog::warn("redis: cannot watch socket: {}", ec.message());
    link->ac = nullptr;
    redisAsyncFree(ac);
    return schedule_reconnect();
  }
  ac->data = this;
  ac->ev.data = link.get();
  ac->ev.addRead = &ev_add_read;
  ac->ev.delRead = &ev_del_read;
  ac->ev.addWrite = &ev_add_write;
  ac->ev.delWrite = &ev_del_write;
  ac->ev.cleanup = &ev_cleanup;
  link_ = std::move(link);
  ac_ = ac;
  redisAsyncSetDisconnectCallback(ac, &on_disconnect);
  // hiredis learns that the non-blocking connect finished from the first write readiness, which
  // setting the connect callback requests — so the hooks above must already be in place.
  redisAsyncSetConnectCallback(ac, &on_connect);

  // Covers the TCP connect and the AUTH/SELECT handshake; hiredis 0.14 has no timeout of its own.
  connect_timer_.expires_after(milliseconds(cfg_.connect_timeout_ms));
  connect_timer_.async_wait(
      [this, alive = std::weak_ptr<int>(alive_), gen = generation_](const boost::system::error_code& ec) {
        if (alive.expired() || ec || gen != generation_ || connected_ || ac_ == nullptr) return;
        log_failure("timed out after " + std::to_string(cfg_.connect_timeout_ms) + " ms");
        redisAsyncFree(ac_);  // ev_cleanup schedules the next attempt
      });
}

void Connection::schedule_reconnect() {
  if (stopping_) return;
  int delay = backoff_ms_;
  backoff_ms_ = static_cast<int>(std::min<long long>(2LL * backoff_ms_, std::max(1, cfg_.reconnect_max_ms)));
  reconnect_timer_.expires_after(milliseconds(delay));
  reconnect_timer_.async_wait([this, alive = std::weak_ptr<int>(alive_)](const boost::system::error_code& ec) {
    if (alive.expired() || ec) return;
    connect();
  });
}

void Connection::on_connect(const redisAsyncContext* ac, int status) {
  auto* self = static_cast<Connection*>(ac->data);
  if (status != REDIS_OK) {
    self->log_failure(ac->errstr ? ac->errstr : "");
    return;  // hiredis frees the context right after; ev_cleanup schedules the retry
  }
  self->begin_handshake();
}

void Connection::on_disconnect(const redisAsyncContext* ac, int status) {
  auto* self = static_cast<Connection*>(ac->data);
  if (status == REDIS_OK)
    spdlog::debug("redis connection to {}:{} closed", self->endpoint_.host, self->endpoint_.port);
  else
    spdlog::warn("redis connection to {}:{} lost: {}", self->endpoint_.host, self->endpoint_.port,
                 ac->errstr ? ac->errstr : "");
}

// AUTH, SELECT and PING are pipelined; the connection counts as up only once all have answered OK,
// so no command runs unauthenticated or on the wrong database, and a server that accepts TCP but
// does not answer (hung, SIGSTOPped) never counts as up.
void Connection::begin_handshake() {
  std::vector<std::vector<std::string>> cmds;
  if (!endpoint_.password.empty()) {
    if (endpoint_.user.empty())
      cmds.push_back({"AUTH", endpoint_.password});
    else
      cmds.push_back({"AUTH", endpoint_.user, endpoint_.password});
  }
  if (endpoint_.db != 0) cmds.push_back({"SELECT", std::to_string(endpoint_.db)});
  cmds.push_back({"PING"});
  handshake_left_ = static_cast<int>(cmds.size());
  for (auto& cmd : cmds) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (auto& a : cmd) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    // A failure here leaves the handshake unfinished; the connect timeout then drops the context.
    redisAsyncCommandArgv(ac_, &on_handshake_reply, nullptr, static_cast<int>(argv.size()), argv.data(),
                          lens.data());
  }
}

void Connection::on_handshake_reply(redisAsyncContext* ac, void* r, void*) {
  auto* self = static_cast<Connection*>(ac->data);
  auto* reply = static_cast<redisReply*>(r);
  if (reply == nullptr) return;  // the context is being freed; ev_cleanup handles what follows
  if (reply->type == REDIS_REPLY_ERROR) {
    self->log_failure("handshake: " + std::string(reply->str, reply->len));
    redisAsyncFree(ac);  // inside a callback hiredis defers the free until we return
    return;
  }
  if (--self->handshake_left_ == 0) self->on_ready();
}

// An outage retries forever: say so once at warn level, then quietly until it is over.
void Connection::log_failure(const std::string& why) {
  if (failed_attempts_++ == 0)
    spdlog::warn("redis connect to {}:{} failed: {} (retrying with backoff)", endpoint_.host, endpoint_.port, why);
  else
    spdlog::debug("redis connect to {}:{} failed: {}", endpoint_.host, endpoint_.port, why);
}

void Connection::on_ready() {
  connect_timer_.cancel();
  failed_attempts_ = 0;
  backoff_ms_ = std::max(1, cfg_.reconnect_min_ms);
  if (ever_connected_) reconnects_.fetch_add(1, std::memory_order_relaxed);
  ever_connected_ = true;
  connected_ = true;
  spdlog::info("redis connected to {}:{} db {}", endpoint_.host, endpoint_.port, endpoint_.db);
}

void Connection::on_context_gone() {
  ac_ = nullptr;
  connected_ = false;
  handshake_left_ = 0;
  connect_timer_.cancel();
  if (!stopping_) schedule_reconnect();
}

Task<Reply> Connection::command(std::vector<std::string> args) {
  if (args.empty()) throw std::invalid_argument("empty redis command");
  if (is_subscription(args.front())) throw std::invalid_argument("redis: " + args.front() + " is not supported");
  // Fail fast: nothing is queued while the connection is down, so callers can degrade at once.
  if (!connected_ || ac_ == nullptr) throw RedisUnavailable("redis is not connected");

  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto pending = std::make_shared<Pending>(ioc_);
  pending->timer.expires_after(milliseconds(cfg_.command_timeout_ms));
  auto holder = std::make_unique<std::shared_ptr<Pending>>(pending);
  if (redisAsyncCommandArgv(ac_, &on_command_reply, holder.get(), static_cast<int>(argv.size()), argv.data(),
                            lens.data()) != REDIS_OK)
    throw RedisUnavailable("redis connection is closing");
  holder.release();  // hiredis calls on_command_reply exactly once (a null reply if the link drops)

  // Resumes on the reply (timer cancelled) or at the deadline (timer expired), whichever is first.
  std::weak_ptr<int> alive = alive_;
  auto sent_gen = generation_;
  auto seen = replies_seen_;
  boost::system::error_code ec;
  co_await pending->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  if (!pending->done) {
    if (ec == asio::error::operation_aborted) throw RedisUnavailable("redis command cancelled");
    // Not one reply on this link since we sent: the server hangs. Drop the link, so waiting commands
    // fail now and later ones fail fast until a reconnect (whose PING must be answered) succeeds.
    if (!alive.expired() && generation_ == sent_gen && replies_seen_ == seen && ac_ != nullptr) {
      spdlog::warn("redis {}:{} stopped answering; reconnecting", endpoint_.host, endpoint_.port);
      redisAsyncFree(ac_);
    }
    throw RedisUnavailable("redis command timed out");
  }
  if (pending->lost) throw RedisUnavailable("redis connection lost");
  if (pending->reply.type == Reply::Type::error) throw RedisError(pending->reply.str);
  co_return std::move(pending->reply);
}

}  // namespace netops::cache
