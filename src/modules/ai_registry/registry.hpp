#pragma once
// The gateway's view of models, providers and rules: an immutable in-memory snapshot, so that routing a
// completion costs no query. One Registry per process (created by ai_registry::register_module).
//
// Freshness: snapshot() reloads (one query per table) when the snapshot is older than kMaxAge, when this
// process changed something (invalidate()), or when the Redis counter `registry:version` — bumped by every
// write on any instance — differs from the value the snapshot was built at. That counter is read at most
// once per kVersionCheckEvery per process, so every instance sees a change within about a second and the
// hot path is two atomic loads and a clock read. With Redis down, the age and local invalidation remain.
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
}

namespace netops::ai_registry {

inline constexpr const char* kRegistryVersionKey = "registry:version";

struct Snapshot {
  std::unordered_map<std::string, ModelConfig> models;  // every model, usable or not (to tell "disabled" apart)
  std::unordered_map<std::string, Provider> providers;  // every provider, api_key decrypted
  std::vector<Rule> rules;                              // enabled rules only, by priority, then age
  // Usable models per tier (0–3), by priority then id: what `tier:N` routes over. Points into `models`.
  std::array<std::vector<const ModelConfig*>, 4> by_tier;

  std::int64_t version = -1;  // registry:version when built; -1 when Redis was unavailable
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

  Registry(db::Db& db, cache::Redis& redis, std::string master_key_hex);

  // The current snapshot, reloaded first when stale (see above). Throws only when there is no snapshot
  // yet and the database cannot be read; a failed reload otherwise keeps serving the previous snapshot.
  Task<std::shared_ptr<const Snapshot>> snapshot();
  // The last published snapshot without any I/O or freshness check; nullptr before the first load.
  std::shared_ptr<const Snapshot> current() const { return snap_.load(std::memory_order_acquire); }

  // This process changed something: the next snapshot() reloads.
  void invalidate() { local_generation_.fetch_add(1, std::memory_order_acq_rel); }
  // After a committed write: invalidate() and reload, so the write's response leaves only once this process
  // routes with it (requests meanwhile wait for that load rather than see the old snapshot); INCR
  // registry:version (other instances follow within ~1 s) and delete the model:config:{id} cache entries of
  // the named models. Redis failures are tolerated.
  Task<void> changed(std::vector<std::string> model_ids = {});

 private:
  Task<std::shared_ptr<const Snapshot>> reload(std::shared_ptr<const Snapshot> stale);
  Task<std::int64_t> read_version();  // -1 when Redis is unavailable

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
};

}  // namespace netops::ai_registry
