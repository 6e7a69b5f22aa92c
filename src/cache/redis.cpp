#include "cache/redis.hpp"

#include <openssl/sha.h>

#include <cstdio>
#include <stdexcept>

#include "cache/redis_connection.hpp"
#include "core/worker.hpp"

namespace netops::cache {
namespace {

std::string sha1_hex(const std::string& s) {
  unsigned char md[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(s.data()), s.size(), md);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * SHA_DIGEST_LENGTH);
  for (unsigned char b : md) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  return out;
}

std::int64_t expect_integer(const Reply& r, const char* cmd) {
  if (r.type != Reply::Type::integer) throw RedisError(std::string("unexpected reply type to ") + cmd);
  return r.integer;
}

}  // namespace

Redis::Redis(RedisConfig cfg, std::vector<boost::asio::io_context*> workers) : cfg_(std::move(cfg)) {
  conns_.reserve(workers.size());
  for (auto* ioc : workers) conns_.push_back(std::make_unique<Connection>(*ioc, cfg_));
}

// Connections free their hiredis contexts here, so the workers must not be running any more.
Redis::~Redis() = default;

void Redis::start() {
  for (auto& c : conns_) c->start();
}

void Redis::stop() {
  for (auto& c : conns_) c->stop();
}

Connection& Redis::conn() {
  if (conns_.empty()) throw RedisUnavailable("redis has no connections");
  auto i = current_worker();
  // Another worker's connection belongs to another thread; using it would race.
  if (i >= conns_.size()) throw std::logic_error("redis used from an unknown worker");
  return *conns_[i];
}

Task<Reply> Redis::command(std::vector<std::string> args) { co_return co_await conn().command(std::move(args)); }

Task<std::optional<std::string>> Redis::get(std::string key) {
  // Arguments are built outside co_await: GCC 12 rejects a braced list inside one ("array used as
  // initializer").
  std::vector<std::string> args{"GET", std::move(key)};
  auto r = co_await command(std::move(args));
  if (r.is_nil()) co_return std::nullopt;
  if (r.type != Reply::Type::string) throw RedisError("unexpected reply type to GET");
  co_return std::move(r.str);
}

Task<void> Redis::set(std::string key, std::string value, int ttl_seconds) {
  std::vector<std::string> args{"SET", std::move(key), std::move(value)};
  if (ttl_seconds > 0) {
    args.emplace_back("EX");
    args.push_back(std::to_string(ttl_seconds));
  }
  co_await command(std::move(args));
}

Task<std::int64_t> Redis::del(std::vector<std::string> keys) {
  if (keys.empty()) co_return 0;
  keys.insert(keys.begin(), "DEL");
  co_return expect_integer(co_await command(std::move(keys)), "DEL");
}

Task<std::int64_t> Redis::publish(std::string channel, std::string message) {
  std::vector<std::string> args{"PUBLISH", std::move(channel), std::move(message)};
  co_return expect_integer(co_await command(std::move(args)), "PUBLISH");
}

Task<Reply> Redis::eval(const std::string& script, std::vector<std::string> keys, std::vector<std::string> args) {
  std::vector<std::string> argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.emplace_back("EVALSHA");
  argv.push_back(sha1_hex(script));
  argv.push_back(std::to_string(keys.size()));
  for (auto& k : keys) argv.push_back(std::move(k));
  for (auto& a : args) argv.push_back(std::move(a));

  try {
    co_return co_await command(argv);
  } catch (const RedisError& e) {
    // Only a missing script is ours to fix; a script's own error goes to the caller.
    if (std::string_view(e.what()).substr(0, 8) != "NOSCRIPT") throw;
  }
  // Reached only after NOSCRIPT (co_await is not allowed in a handler). EVAL also caches the
  // script, so later calls take the EVALSHA path again.
  argv[0] = "EVAL";
  argv[1] = script;
  co_return co_await command(std::move(argv));
}

bool Redis::connected() const {
  auto i = current_worker();
  return i < conns_.size() && conns_[i]->connected();
}

std::int64_t Redis::reconnects() const {
  std::int64_t n = 0;
  for (auto& c : conns_) n += c->reconnects();
  return n;
}

}  // namespace netops::cache
