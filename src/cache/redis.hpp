#pragma once
// Asynchronous Redis: one hiredis connection per worker thread, driven by that worker's io_context,
// reconnecting with backoff. When Redis is down every command fails fast with RedisUnavailable;
// callers that only cache treat that as a miss (see cache.hpp) so requests keep succeeding.
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/task.hpp"

namespace netops::cache {

struct RedisConfig {
  std::string url = "redis://127.0.0.1:6379/0";  // redis://[:password@]host:port[/db]
  int connect_timeout_ms = 1000;
  int command_timeout_ms = 1000;
  int reconnect_min_ms = 100;   // backoff doubles up to reconnect_max_ms
  int reconnect_max_ms = 5000;
};

struct Reply {
  enum class Type { nil, string, integer, array, status, error };
  Type type = Type::nil;
  std::string str;           // string, status and error replies
  std::int64_t integer = 0;  // integer replies
  std::vector<Reply> elements;
  bool is_nil() const { return type == Type::nil; }
};

class RedisUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// Redis answered with an error reply (e.g. a wrong type or a script error).
class RedisError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Connection;  // cache/redis_connection.hpp, one per worker

class Redis {
 public:
  Redis(RedisConfig cfg, std::vector<boost::asio::io_context*> workers);
  ~Redis();
  Redis(const Redis&) = delete;
  Redis& operator=(const Redis&) = delete;

  void start();  // begin connecting on every worker (returns at once)
  void stop();   // disconnect, stop reconnecting

  // Runs one command on the calling worker's connection. Throws RedisUnavailable when not connected
  // or when no reply came within command_timeout_ms, RedisError on an error reply.
  Task<Reply> command(std::vector<std::string> args);

  Task<std::optional<std::string>> get(std::string key);
  Task<void> set(std::string key, std::string value, int ttl_seconds = 0);  // 0 = no expiry
  Task<std::int64_t> del(std::vector<std::string> keys);
  Task<std::int64_t> publish(std::string channel, std::string message);
  // EVALSHA with EVAL fallback when the script is not loaded yet.
  Task<Reply> eval(const std::string& script, std::vector<std::string> keys, std::vector<std::string> args);

  bool connected() const;               // the calling worker's connection is up
  std::int64_t reconnects() const;      // total reconnects, for /metrics
  const RedisConfig& config() const { return cfg_; }

 private:
  Connection& conn();
  RedisConfig cfg_;
  std::vector<std::unique_ptr<Connection>> conns_;
};

}  // namespace netops::cache
