#pragma once
// The gateway's view of models, providers and rules: an immutable in-memory snapshot, so that routing a
// completion costs no query. One Registry per process (created by ai_registry::register_module).
//
// Freshness: snapshot() reloads (one query per table) when the snapshot is older than kMaxAge, when this
// process changed something (invalidate()), or when another instance announced a write:
//   - through the invalidation bus (cache/invalidation_bus.hpp, channel netops:registry:invalidate:<db>):
//     changed() publishes after the commit and answers only after a PING that follows the PUBLISH, so once
//     the write's response has left, every subscriber socket on this host holds the message. snapshot()
//     waits while bus.pending() (bytes on the socket, or being delivered) and reloads when the bus
//     generation moved since the snapshot was built: the next request on any instance sees the write;
//   - and by polling the Redis counter `registry:version` (bumped by every write) at most once per
//     kVersionCheckEvery: all there is while the bus is not live (subscription being re-established), and a
//     backstop for a lost message — every instance within about a second. When the bus comes back its
//     generation moves, so a message missed meanwhile costs one reload. With Redis down, the age and local
//     invalidation remain.
// The hot path is a few atomic loads, a clock read and one poll() without waiting.
//
// Thread-safety: any worker may call any member; the current snapshot is swapped atomically and a
// snapshot, once published, never changes (hold the shared_ptr for the duration of a request).
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/task.hpp"
#include "modules/ai_registry/types.hpp"

namespace netops::db {
class Db;
}
namespace netops::cache {
class Redis;
class InvalidationBus;
}

namespace netops::ai_registry {

inline constexpr const char* kRegistryVersionKey = "registry:version";
inline constexpr const char* kRegistryChannelPrefix = "netops:registry:invalidate";  // + ":<redis db>"

struct Snapshot {
  std::unordered_map<std::string, ModelConfig> models;  // every model, usable or not (to tell "disabled" apart)
  std::unordered_map<std::string, Provider> providers;  // every provider, api_key decrypted
  std::vector<Rule> rules;                              // enabled rules only, by priority, then age
  // Usable models per tier (0–3), by priority then id: what `tier:N` routes over. Points into `models`.
  std::array<std::vector<const ModelConfig*>, 4> by_tier;

  std::int64_t version = -1;  // registry:version when built; -1 when Redis was unavailable
  std::uint64_t bus_generation = 0;  // the invalidation bus's generation when built (read before the tables)
  std::uint64_t local_generation = 0;
  std::chrono::steady_clock::time_point built_at;

  const ModelConfig* model(std::string_view id) const;        // nullptr when unknown
  const Provider* provider(std::string_view id) const;        // nullptr when unknown
  const Provider* provider_of(const ModelConfig& m) const { return provider(m.provider); }
  // enabled, status not 'inactive', and its provider exists and is active: the only models ever chosen.
  bool usable(const ModelConfig& m) const;

  Snapshot() = default;
  Snapshot(const Snapshot&) = delete;  // by_tier points into models
  Snapshot& operator=(const Snapshot&) = delete;
};

class Registry {
 public:
  static constexpr auto kMaxAge = std::chrono::minutes(5);
  static constexpr auto kVersionCheckEvery = std::chrono::seconds(1);

  // redis_url: where the invalidation bus subscribes (empty: no bus, polling only). start() it once the
  // server runs; the destructor stops it.
  Registry(db::Db& db, cache::Redis& redis, std::string master_key_hex, std::string redis_url = {});
  ~Registry();
  void start();

  // The current snapshot, reloaded first when stale (see above). Throws only when there is no snapshot
  // yet and the database cannot be read; a failed reload otherwise keeps serving the previous snapshot.
  // `received`: when the request that asks arrived (Caller::received; default: now) — a write announced
  // before then is seen (InvalidationBus::pending).
  Task<std::shared_ptr<const Snapshot>> snapshot(std::chrono::steady_clock::time_point received = {});
  // The last published snapshot without any I/O or freshness check; nullptr before the first load.
  std::shared_ptr<const Snapshot> current() const { return snap_.load(std::memory_order_acquire); }

  // This process changed something: the next snapshot() reloads.
  void invalidate() { local_generation_.fetch_add(1, std::memory_order_acq_rel); }
  // After a committed write: invalidate() and reload, so the write's response leaves only once this process
  // routes with it (requests meanwhile wait for that load rather than see the old snapshot); INCR
  // registry:version, delete the model:config:{id} cache entries of the named models, and publish on the
  // bus followed by a PING (the next request on every instance sees the write). Redis failures are
  // tolerated (other instances then follow within kMaxAge).
  Task<void> changed(std::vector<std::string> model_ids = {});

 private:
  Task<std::shared_ptr<const Snapshot>> reload(std::shared_ptr<const Snapshot> stale);
  Task<std::int64_t> read_version();  // -1 when Redis is unavailable
  bool bus_moved(const Snapshot& s) const;  // the bus is live and a message arrived since `s` was built
  bool recently_failed() const;             // a load failed less than a second ago
  Task<void> settle_bus();                  // waits (bounded) while a message is on its way to delivery
  bool local_write_missing(const Snapshot& s) const {
    return s.local_generation != local_generation_.load(std::memory_order_acquire);
  }

  db::Db& db_;
  cache::Redis& redis_;
  std::string master_key_;
  std::atomic<std::shared_ptr<const Snapshot>> snap_;
  std::atomic<std::uint64_t> local_generation_{0};
  std::atomic<std::int64_t> next_check_ns_{0};
  std::atomic<bool> reloading_{false};
  // The local generation whose load last failed, and when: its requests are served the previous snapshot
  // (retried at most once a second) instead of queueing behind loads that keep failing.
  std::atomic<std::uint64_t> failed_generation_{~std::uint64_t{0}};
  std::atomic<std::int64_t> failed_at_ns_{0};
  std::unique_ptr<cache::InvalidationBus> bus_;
};

}  // namespace netops::ai_registry
