#include "modules/ai_registry/registry.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "cache/invalidation_bus.hpp"
#include "cache/redis.hpp"
#include "db/db.hpp"
#include "modules/ai_registry/model_repo.hpp"
#include "modules/ai_registry/provider_repo.hpp"
#include "modules/ai_registry/rule_repo.hpp"

namespace netops::ai_registry {

namespace net = boost::asio;

namespace {
constexpr std::int64_t kFailedRetryNs = 1'000'000'000;  // a failed load is retried at most once a second
// How long snapshot() waits for a message already on the bus's socket to be delivered (microseconds in
// practice; the bound only matters when the subscriber thread is starved).
constexpr auto kSettleLimit = std::chrono::milliseconds(200);
}

namespace {
std::int64_t steady_ns(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// Clears the reloading flag on every exit path, exceptions included.
struct ReloadFlag {
  std::atomic<bool>& flag;
  bool owned;
  ~ReloadFlag() {
    if (owned) flag.store(false, std::memory_order_release);
  }
};
}  // namespace

const ModelConfig* Snapshot::model(std::string_view id) const {
  auto it = models.find(std::string(id));
  return it == models.end() ? nullptr : &it->second;
}

const Provider* Snapshot::provider(std::string_view id) const {
  auto it = providers.find(std::string(id));
  return it == providers.end() ? nullptr : &it->second;
}

bool Snapshot::usable(const ModelConfig& m) const {
  if (!m.enabled || m.status == "inactive") return false;
  auto* p = provider(m.provider);
  return p && p->status == "active";
}

Registry::Registry(db::Db& db, cache::Redis& redis, std::string master_key_hex, std::string redis_url)
    : db_(db), redis_(redis), master_key_(std::move(master_key_hex)) {
  // Every message (and every loss of the subscription) moves the bus generation, which is all snapshot()
  // compares: the messages need no handler.
  if (!redis_url.empty())
    bus_ = std::make_unique<cache::InvalidationBus>(std::move(redis_url), kRegistryChannelPrefix, nullptr, nullptr);
}

Registry::~Registry() {
  if (bus_) bus_->stop();
}

void Registry::start() {
  if (bus_) bus_->start();
}

bool Registry::bus_moved(const Snapshot& s) const {
  return bus_ && bus_->live() && bus_->generation() != s.bus_generation;
}

bool Registry::recently_failed() const {
  return steady_ns(std::chrono::steady_clock::now()) - failed_at_ns_.load(std::memory_order_acquire) < kFailedRetryNs;
}

Task<void> Registry::settle_bus() {
  auto until = std::chrono::steady_clock::now() + kSettleLimit;
  net::steady_timer timer(co_await net::this_coro::executor);
  while (bus_->live() && bus_->pending() && std::chrono::steady_clock::now() < until) {
    timer.expires_after(std::chrono::microseconds(200));
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
  }
}

Task<std::shared_ptr<const Snapshot>> Registry::snapshot(std::chrono::steady_clock::time_point received) {
  auto s = snap_.load(std::memory_order_acquire);
  auto now = std::chrono::steady_clock::now();
  auto generation = local_generation_.load(std::memory_order_acquire);
  if (s && s->local_generation != generation && failed_generation_.load(std::memory_order_acquire) == generation &&
      steady_ns(now) - failed_at_ns_.load(std::memory_order_acquire) < kFailedRetryNs)
    co_return s;  // loading this generation just failed: keep serving what there is for a moment
  if (s && s->local_generation == generation && now - s->built_at < kMaxAge && bus_ && bus_->live()) {
    // A message that reached this host before this request is delivered before it is answered.
    if (bus_->pending(received)) co_await settle_bus();
    // Another instance wrote: reload, unless a load failed a moment ago (PostgreSQL down: keep serving).
    if (bus_->live() && bus_->generation() != s->bus_generation && !recently_failed())
      co_return co_await reload(std::move(s));
  }
  // And, bus or not, registry:version once a second: all there is while the bus is down, and a backstop
  // for a message lost while it was up.
  if (s && s->local_generation == generation && now - s->built_at < kMaxAge) {
    auto due = next_check_ns_.load(std::memory_order_relaxed);
    auto now_ns = steady_ns(now);
    if (now_ns < due) co_return s;
    // One coroutine per process claims the check; the others keep the current snapshot meanwhile.
    auto next = now_ns + std::chrono::duration_cast<std::chrono::nanoseconds>(kVersionCheckEvery).count();
    if (!next_check_ns_.compare_exchange_strong(due, next, std::memory_order_acq_rel)) co_return s;
    auto version = co_await read_version();
    if (version < 0 || version == s->version) co_return s;
  }
  co_return co_await reload(std::move(s));
}

Task<std::shared_ptr<const Snapshot>> Registry::reload(std::shared_ptr<const Snapshot> stale) {
  bool expected = false;
  ReloadFlag guard{reloading_, reloading_.compare_exchange_strong(expected, true, std::memory_order_acq_rel)};
  if (!guard.owned) {
    // Someone else is already loading. A snapshot that is only old, or behind another instance's write,
    // is served meanwhile rather than piling up queries; one that misses a write of this process is not
    // (a model just created here must be callable at once): wait for the load, and load again if it
    // began before that write.
    // The same holds for a write another instance announced on the bus (its writer has been answered).
    if (stale && !local_write_missing(*stale) && !bus_moved(*stale)) co_return stale;
    net::steady_timer timer(co_await net::this_coro::executor);
    while (reloading_.load(std::memory_order_acquire)) {
      timer.expires_after(std::chrono::milliseconds(1));
      co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    }
    auto fresh = snap_.load(std::memory_order_acquire);
    auto generation = local_generation_.load(std::memory_order_acquire);
    bool local_ok = fresh && (fresh->local_generation == generation || failed_generation_.load() == generation);
    bool bus_ok = fresh && (!bus_moved(*fresh) || recently_failed());
    if (local_ok && bus_ok) co_return fresh;
    co_return co_await reload(std::move(fresh));
  }

  auto snap = std::make_shared<Snapshot>();
  // Read both markers before the tables: a write landing during the load then triggers another reload.
  snap->built_at = std::chrono::steady_clock::now();
  snap->local_generation = local_generation_.load(std::memory_order_acquire);
  snap->bus_generation = bus_ ? bus_->generation() : 0;
  snap->version = co_await read_version();
  try {
    ProviderRepo providers(db_, master_key_);
    ModelRepo models(db_);
    RuleRepo rules(db_);
    auto provider_rows = co_await providers.all();  // named: no co_await temporaries in range-for (GCC 12)
    auto model_rows = co_await models.all();
    for (auto& p : provider_rows) snap->providers.emplace(p.id, std::move(p));
    for (auto& m : model_rows) snap->models.emplace(m.id, std::move(m));
    snap->rules = co_await rules.enabled();
  } catch (const std::exception& e) {
    failed_generation_.store(snap->local_generation, std::memory_order_release);
    failed_at_ns_.store(steady_ns(std::chrono::steady_clock::now()), std::memory_order_release);
    if (!stale) throw;
    spdlog::warn("model registry: reload failed, serving the previous snapshot: {}", e.what());
    co_return stale;
  }
  for (auto& [id, m] : snap->models)
    if (snap->usable(m)) snap->by_tier[static_cast<std::size_t>(std::clamp(m.tier, 0, 3))].push_back(&m);
  for (auto& tier : snap->by_tier)
    std::sort(tier.begin(), tier.end(), [](const ModelConfig* a, const ModelConfig* b) {
      return a->priority != b->priority ? a->priority < b->priority : a->id < b->id;
    });
  std::shared_ptr<const Snapshot> out = std::move(snap);
  snap_.store(out, std::memory_order_release);
  co_return out;
}

Task<std::int64_t> Registry::read_version() {
  try {
    std::vector<std::string> cmd{"GET", kRegistryVersionKey};
    auto reply = co_await redis_.command(std::move(cmd));
    if (reply.is_nil()) co_return 0;
    co_return std::stoll(reply.str);
  } catch (const cache::RedisUnavailable&) {
  } catch (const cache::RedisError& e) {
    spdlog::debug("model registry: reading {} failed: {}", kRegistryVersionKey, e.what());
  } catch (const std::logic_error&) {  // not a number: someone else's value; age-based reloads still apply
  }
  co_return -1;
}

Task<void> Registry::changed(std::vector<std::string> model_ids) {
  invalidate();
  // The write's response leaves only once this process routes with it (read your writes).
  co_await snapshot();
  try {
    std::vector<std::string> incr{"INCR", kRegistryVersionKey};
    co_await redis_.command(std::move(incr));
    if (!model_ids.empty()) {
      std::vector<std::string> keys;
      for (auto& id : model_ids) keys.push_back("model:config:" + id);
      co_await redis_.del(std::move(keys));
    }
  } catch (const cache::RedisUnavailable& e) {
    spdlog::warn("model registry: redis unavailable ({}); other instances see this change within {} minutes", e.what(),
                 std::chrono::duration_cast<std::chrono::minutes>(kMaxAge).count());
  } catch (const cache::RedisError& e) {
    spdlog::warn("model registry: announcing a change failed: {}", e.what());
  }
  if (!bus_) co_return;
  try {
    std::string channel = bus_->channel();  // named: GCC 12 and temporaries in co_await
    std::string message = "changed";
    co_await redis_.publish(std::move(channel), std::move(message));
    // A barrier before the writer is answered (as in auth's SessionCache::announce): Redis answers the
    // publisher before it writes the message to the subscribers; it reads this PING only after that pass, so
    // once the PING is answered every subscriber socket on this host holds the message, and the subscriber's
    // pending() check in snapshot() makes the next request on any instance reload.
    std::vector<std::string> ping{"PING"};
    co_await redis_.command(std::move(ping));
  } catch (const std::exception& e) {
    spdlog::warn("model registry: publishing the change failed ({}); other instances follow by polling {}", e.what(),
                 kRegistryVersionKey);
  }
}

}  // namespace netops::ai_registry
