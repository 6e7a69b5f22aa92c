#include "cache/invalidation_bus.hpp"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <memory>
#include <vector>

#include "cache/redis_connection.hpp"

namespace netops::cache {

namespace {
using Clock = std::chrono::steady_clock;
constexpr auto kPingEvery = std::chrono::milliseconds(500);
constexpr auto kSilenceLimit = std::chrono::milliseconds(2000);

struct ContextFree {
  void operator()(redisContext* c) const {
    if (c) redisFree(c);
  }
};
using Ctx = std::unique_ptr<redisContext, ContextFree>;

bool send_command(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (auto& a : args) argv.push_back(a.data()), lens.push_back(a.size());
  if (redisAppendCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()) != REDIS_OK) return false;
  int done = 0;
  while (!done)
    if (redisBufferWrite(c, &done) != REDIS_OK) return false;
  return true;
}

// A blocking command (before SUBSCRIBE): true when the reply is not an error.
bool call(redisContext* c, const std::vector<std::string>& args) {
  if (!send_command(c, args)) return false;
  void* r = nullptr;
  if (redisGetReply(c, &r) != REDIS_OK || !r) return false;
  bool ok = static_cast<redisReply*>(r)->type != REDIS_REPLY_ERROR;
  freeReplyObject(r);
  return ok;
}
}  // namespace

InvalidationBus::InvalidationBus(std::string url, std::string prefix, OnMessage on_message, OnReset on_reset)
    : url_(std::move(url)), on_message_(std::move(on_message)), on_reset_(std::move(on_reset)) {
  int db = 0;
  try {
    db = parse_redis_url(url_).db;
  } catch (const std::exception&) {
  }
  channel_ = prefix + ":" + std::to_string(db);
  client_name_ = "netops-bus-" + std::to_string(db);
}

InvalidationBus::~InvalidationBus() { stop(); }

void InvalidationBus::start() {
  std::lock_guard lk(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void InvalidationBus::stop() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool InvalidationBus::pending() const {
  int fd = fd_.load(std::memory_order_seq_cst);
  if (fd < 0) return true;
  pollfd p{fd, POLLIN, 0};
  polls_.fetch_add(1, std::memory_order_relaxed);
  if (::poll(&p, 1, 0) != 0) return true;  // readable, closed, or an error: do not trust the copies
  return delivering_.load(std::memory_order_seq_cst);
}

bool InvalidationBus::pending(std::chrono::steady_clock::time_point since) const {
  if (since == std::chrono::steady_clock::time_point{}) return pending();
  auto ns = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  };
  if (clear_since_ns_.load(std::memory_order_seq_cst) >= ns(since)) return false;
  const std::int64_t began = ns(std::chrono::steady_clock::now());
  if (pending()) return true;
  std::int64_t seen = clear_since_ns_.load(std::memory_order_seq_cst);
  while (seen < began && !clear_since_ns_.compare_exchange_weak(seen, began, std::memory_order_seq_cst)) {
  }
  return false;
}

void InvalidationBus::lost() {
  clear_since_ns_.store(0, std::memory_order_seq_cst);
  bool was = live_.exchange(false, std::memory_order_acq_rel);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  if (on_reset_) on_reset_();
  if (was) {
    resets_.fetch_add(1, std::memory_order_relaxed);
    spdlog::warn("invalidation bus: subscription to {} lost; in-process caches dropped until it is back", channel_);
  }
}

void InvalidationBus::run() {
  RedisEndpoint ep;
  try {
    ep = parse_redis_url(url_);
  } catch (const std::exception& e) {
    spdlog::error("invalidation bus: {}", e.what());
    return;
  }
  auto backoff = std::chrono::milliseconds(100);
  for (;;) {
    {
      std::unique_lock lk(mu_);
      if (stopping_) break;
    }
    timeval tv{1, 0};
    Ctx c(redisConnectWithTimeout(ep.host.c_str(), ep.port, tv));
    bool ok = c && !c->err;
    if (ok) redisSetTimeout(c.get(), tv);  // the blocking handshake only
    if (ok && !ep.password.empty())
      ok = ep.user.empty() ? call(c.get(), {"AUTH", ep.password}) : call(c.get(), {"AUTH", ep.user, ep.password});
    if (ok) call(c.get(), {"CLIENT", "SETNAME", client_name_});
    if (ok) ok = send_command(c.get(), {"SUBSCRIBE", channel_});
    if (!ok) {
      std::unique_lock lk(mu_);
      if (cv_.wait_for(lk, backoff, [this] { return stopping_; })) break;
      backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
      continue;
    }
    auto last_heard = Clock::now(), last_ping = Clock::now();
    bool broken = false;
    fd_.store(c->fd, std::memory_order_seq_cst);
    while (!broken) {
      {
        std::lock_guard lk(mu_);
        if (stopping_) break;
      }
      void* raw = nullptr;
      // Everything already read.
      while (redisGetReplyFromReader(c.get(), &raw) == REDIS_OK && raw) {
        auto* r = static_cast<redisReply*>(raw);
        last_heard = Clock::now();
        if (r->type == REDIS_REPLY_ARRAY && r->elements >= 3 && r->element[0]->type == REDIS_REPLY_STRING) {
          std::string_view kind(r->element[0]->str, r->element[0]->len);
          if (kind == "subscribe") {
            generation_.fetch_add(1, std::memory_order_acq_rel);
            live_.store(true, std::memory_order_release);
            backoff = std::chrono::milliseconds(100);
            spdlog::debug("invalidation bus: subscribed to {}", channel_);
          } else if (kind == "message" && r->element[2]->type == REDIS_REPLY_STRING) {
            generation_.fetch_add(1, std::memory_order_acq_rel);
            if (on_message_) on_message_(std::string_view(r->element[2]->str, r->element[2]->len));
          }
        }
        freeReplyObject(raw);
        raw = nullptr;
      }
      if (c->err) break;
      delivering_.store(false, std::memory_order_seq_cst);  // everything read so far is delivered
      pollfd p{c->fd, POLLIN, 0};
      int n = ::poll(&p, 1, 100);
      if (n > 0) {
        delivering_.store(true, std::memory_order_seq_cst);  // before the bytes leave the socket
        if (redisBufferRead(c.get()) != REDIS_OK) broken = true;
      } else if (n < 0 && errno != EINTR) {
        broken = true;
      }
      auto now = Clock::now();
      if (now - last_ping >= kPingEvery) {
        last_ping = now;
        if (!send_command(c.get(), {"PING"})) broken = true;
      }
      if (now - last_heard > kSilenceLimit) broken = true;
    }
    lost();
    fd_.store(-1, std::memory_order_seq_cst);
    delivering_.store(false, std::memory_order_seq_cst);
    {
      std::lock_guard lk(mu_);
      if (stopping_) break;
    }
  }
  live_.store(false, std::memory_order_release);
}

}  // namespace netops::cache
