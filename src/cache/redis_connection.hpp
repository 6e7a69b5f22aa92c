#pragma once
// One hiredis asynchronous connection driven by one io_context. Everything here runs on that
// io_context's thread, so there are no locks; only connected() and reconnects() may be read elsewhere.
//
// Lifetime: the owner calls stop() (or just destroys the Connection) and must destroy it while its
// io_context is not being run by another thread, and before the io_context itself is destroyed.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cache/redis.hpp"
#include "core/task.hpp"

struct redisAsyncContext;

namespace netops::cache {

// redis://[[user]:password@]host[:port][/db]
struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string user;
  std::string password;
  int db = 0;
};
RedisEndpoint parse_redis_url(const std::string& url);  // throws std::invalid_argument

class Connection {
 public:
  Connection(boost::asio::io_context& ioc, const RedisConfig& cfg);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Both may be called from any thread; they run on the io_context.
  void start();
  void stop();

  // Must be awaited on this connection's io_context.
  Task<Reply> command(std::vector<std::string> args);

  bool connected() const { return connected_.load(std::memory_order_relaxed); }
  std::int64_t reconnects() const { return reconnects_.load(std::memory_order_relaxed); }

 private:
  struct Link;  // the Asio side of one hiredis context (its ev.data)

  void do_start();
  void do_stop();
  void connect();                            // resolves the host off the loop, then connect_to
  void connect_to(const std::string& address);  // a numeric IP: hiredis does no DNS lookup
  void schedule_reconnect();
  void begin_handshake();
  void on_ready();
  void on_context_gone();
  void log_failure(const std::string& why);

  static void on_connect(const redisAsyncContext* ac, int status);
  static void on_disconnect(const redisAsyncContext* ac, int status);
  static void on_command_reply(redisAsyncContext* ac, void* reply, void* privdata);
  static void on_handshake_reply(redisAsyncContext* ac, void* reply, void* privdata);
  static void ev_add_read(void* privdata);
  static void ev_del_read(void* privdata);
  static void ev_add_write(void* privdata);
  static void ev_del_write(void* privdata);
  static void ev_cleanup(void* privdata);

  boost::asio::io_context& ioc_;
  RedisConfig cfg_;
  RedisEndpoint endpoint_;
  redisAsyncContext* ac_ = nullptr;  // null while disconnected; hiredis owns and frees it
  std::shared_ptr<Link> link_;
  boost::asio::steady_timer connect_timer_;
  boost::asio::steady_timer reconnect_timer_;
  boost::asio::ip::tcp::resolver resolver_;  // getaddrinfo on Asio's resolver thread, never on the worker
  bool resolving_ = false;
  int backoff_ms_;
  int handshake_left_ = 0;
  int failed_attempts_ = 0;  // since the last successful connect
  std::uint64_t generation_ = 0;  // tells a stale connect timeout from the current attempt
  std::uint64_t replies_seen_ = 0;  // tells a hung server from one slow command
  bool stopping_ = true;
  bool ever_connected_ = false;
  std::atomic<bool> connected_{false};
  std::atomic<std::int64_t> reconnects_{0};
  // Handlers hold a weak_ptr to this, so one that runs after the Connection is gone does nothing.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace netops::cache
