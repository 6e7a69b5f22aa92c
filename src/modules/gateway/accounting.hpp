#pragma once
// Usage accounting off the response path (SPEC §4.2): every upstream call — streamed or not, succeeded or
// failed — becomes a UsageRecord pushed onto a per-process queue (a mutex and a vector append). A flusher
// coroutine drains the queue every NETOPS_ACCOUNTING_FLUSH_MS (or as soon as kBatch records wait) and writes
// each batch in ONE transaction with multi-row statements (accounting_repo): usage_logs rows, user_token_stats
// upserts (aggregated per user/day/model/provider and taken in key order, so concurrent instances cannot
// deadlock) and the ai_providers counters (through ai_registry's service: its table). A batch that fails for a transient reason (database unavailable, a
// serialisation conflict) goes back to the front of the queue and is retried; a batch the database refuses
// is written record by record: a refused record is retried with its free-text fields sanitised, and if its
// usage_logs row is still refused its counters (user_token_stats, provider usage) are applied on their own —
// so one bad field never loses a call's tokens and cost, and one bad batch never blocks the queue. On SIGTERM
// the app awaits flush(), which writes everything that is queued.
// Exactly once: every record carries a usage_key; usage_logs rows are inserted ON CONFLICT DO NOTHING and the
// counters (user_token_stats, conversation counts, provider usage) are added only for the rows that were
// inserted, so a batch written twice (an answer lost after COMMIT, then the retry) counts once. Only the
// last resort of a refused record — its counters without its row — has no key to check.
// While the database fails, the flusher backs off (interval doubled per failed attempt up to
// kMaxBackoff, logged when it starts, at most every kMaxBackoff while it lasts, and when it ends).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/blocking.hpp"
#include "core/task.hpp"
#include "llm/decimal.hpp"
#include "modules/ai_registry/types.hpp"
#include "modules/gateway/accounting_repo.hpp"

namespace netops::db {
class Db;
class Tx;
}
namespace netops::ai_registry {
class RegistryService;
}

namespace netops::gateway {

struct UsageRecord {
  std::string user_id, model_id, provider, request_id;
  std::optional<std::string> conversation_id;
  int tier = 0;
  // prompt_tokens counts every input token (Usage::prompt_total(), cached ones included, as OpenAI reports
  // it); the cache columns say how many of them were cache reads/writes.
  std::int64_t prompt_tokens = 0, completion_tokens = 0, cache_read_tokens = 0, cache_write_tokens = 0;
  Decimal cost;
  std::optional<double> quality_score;
  bool escalated = false;
  bool success = true;
  std::string error_code;  // empty on success
  bool estimated = false;
  int latency_ms = 0, upstream_latency_ms = 0;
  int attempts = 1;  // which call of the request this was (1-based)
  std::chrono::system_clock::time_point at = std::chrono::system_clock::now();
  bool cache_hit = false;  // answered from the response cache (response_cache.hpp): no upstream call
  // Idempotency key of the call's usage_logs row (a UUID; Accounting::push sets it when empty). With
  // created_at it is unique in usage_logs (migration 0019): a batch written again — its COMMIT reached the
  // database but the answer was lost, or a spill file replayed after its rows were written — inserts nothing
  // and adds nothing to the counters.
  std::string usage_key{};

  std::int64_t total_tokens() const { return prompt_tokens + completion_tokens; }
};

// Clamps what a record carries to what the columns hold (tokens in [0, kMaxRecordTokens], cost in
// [0, kMaxRecordCost], quality in [0, 1], tier 0–3, non-negative latencies and attempts); true when
// something had to change (the caller logs a warning).
inline constexpr std::int64_t kMaxRecordTokens = 1'000'000'000'000;
bool clamp_to_columns(UsageRecord& r);
// A copy whose free-text fields fit their columns: control characters removed, request_id (100),
// error_code (50), model_id (100), provider (100), user_id (255) cut at a character boundary; a
// conversation_id that is not a UUID dropped.
UsageRecord sanitised(UsageRecord r);

namespace detail {  // the statements' parameters (unit-tested: sums never overflow)
// usage_logs rows: one array literal per column, in AccountingRepo::insert_logs' order.
db::Params logs_columns(const std::vector<UsageRecord>& batch);
std::string stats_json(const std::vector<UsageRecord>& batch);
std::string keys_json(const std::vector<UsageRecord>& batch);  // usage_counted_without_row rows
// The records whose usage_key is among `keys` (each key once; a record without a key always kept).
std::vector<UsageRecord> only_keys(const std::vector<UsageRecord>& all, const std::vector<std::string>& keys);
std::string providers_json(const std::vector<UsageRecord>& batch);  // provider_usage as JSON
std::vector<ai_registry::ProviderUsage> provider_usage(const std::vector<UsageRecord>& batch);
}  // namespace detail

class Accounting {
 public:
  static constexpr std::size_t kBatch = 500;
  static constexpr std::chrono::milliseconds kMaxBackoff{5000};

  // Where usage records the database would not take go (spill.hpp); the values come from GatewaySettings.
  struct SpillOptions {
    std::string dir;              // flush() writes what is left at a stop here; "" = nowhere (dropped)
    std::size_t after;            // while the database fails, more records waiting than this go to a file
    std::uint64_t max_bytes;      // ...unless the directory's spill files already hold this much
  };
  // Spill files are written (and read back) on `blocking`, off the event loop. providers: ai_registry's
  // service, which adds each batch's provider counters (its table) in the batch's transaction; null leaves
  // them alone.
  Accounting(db::Db& db, std::shared_ptr<ai_registry::RegistryService> providers, int flush_ms,
             SpillOptions spill, Blocking& blocking);
  // Any thread, never blocks on I/O.
  void push(UsageRecord r);
  // The flusher: spawn once on a worker; it runs until its io_context stops.
  Task<void> run();
  // Writes everything queued now (and waits for a batch already being written). Retries a failing
  // database a few times, then spills what is left (see spill.hpp) or, without a spill directory, logs
  // how many records it had to drop.
  Task<void> flush();
  std::size_t pending() const;
  // Called after a batch is committed, with its records (e.g. to drop cached budget sums).
  std::function<void(const std::vector<UsageRecord>&)> on_written;

 private:
  Task<bool> write_one_batch();  // false when the batch failed and went back to the queue
  // One transaction; throws what the database says. with_log=false: the counters only (no usage_logs rows).
  Task<void> write(const std::vector<UsageRecord>& batch, bool with_log = true);
  Task<void> write_tx(db::Tx& tx, const std::vector<UsageRecord>& batch, bool with_log);
  // One flush: spill files, then what waits; true when the attempt failed (back-off).
  Task<bool> tick();
  // Replays the spill files (an earlier stop's, or this run's outage's); false while the database cannot
  // take them yet.
  Task<bool> replay_spill();
  // The database is failing and more than spill_.after records wait: they go to a spill file, unless the
  // directory holds spill_.max_bytes already (then they wait in memory, up to the queue's cap).
  Task<void> spill_overflow();
  // A refused batch, record by record (sanitised retry, then counters only, then dropped with the metric).
  // False when the database became unavailable meanwhile: the records not yet written went back to the queue.
  Task<bool> write_each(std::vector<UsageRecord>& batch);
  // One record: true when written, false when refused; sets `unavailable` on a transient failure.
  Task<bool> write_single(const UsageRecord& r, bool with_log, std::string& why, bool& unavailable);
  void note_failure();  // the flusher's back-off and its log lines
  void note_success();
  int internal_failures_ = 0;  // consecutive batches failing with an unexplained database error
  // The flusher's back-off while the database fails: the wait before the next attempt, how many attempts
  // failed in a row, and when the last "still failing" line was logged.
  std::chrono::milliseconds backoff_{0};
  int failed_attempts_ = 0;
  std::chrono::steady_clock::time_point failing_since_{}, last_failing_log_{};
  std::string last_failure_;

  db::Db& db_;
  AccountingRepo repo_;
  std::shared_ptr<ai_registry::RegistryService> providers_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  std::deque<UsageRecord> queue_;
  struct Wake;
  std::shared_ptr<Wake> wake_;
  std::atomic<int> in_flight_{0};  // batches being written
  SpillOptions spill_;
  Blocking& blocking_;
  bool spill_pending_ = true;  // the directory may hold files not replayed yet
  bool spill_full_ = false;    // the last overflow found the directory at its cap (logged once)
};

}  // namespace netops::gateway
