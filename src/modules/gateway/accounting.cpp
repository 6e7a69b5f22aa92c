#include "modules/gateway/accounting.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <tuple>

#include "core/dates.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/metrics.hpp"
#include "db/array.hpp"
#include "db/db.hpp"
#include "modules/gateway/spill.hpp"
#include "modules/ai_registry/registry_service.hpp"

namespace netops::gateway {

namespace net = boost::asio;
using nlohmann::json;

namespace {

// The queue's hard cap: reached only when the database is down for long and spilling to files fails too
// (disk full, no spill directory); then the oldest are dropped.
constexpr std::size_t kMaxQueue = 1'000'000;

std::string iso(std::chrono::system_clock::time_point t) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  auto day = std::chrono::floor<std::chrono::days>(secs);
  std::chrono::hh_mm_ss hms{secs - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%06lldZ", utc_date(t).c_str(), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<long long>(((us % 1'000'000) + 1'000'000) % 1'000'000));
  return buf;
}

// A sum of costs in pico-dollars, as plain decimal text rounded half away from zero to `scale` decimals.
// 128 bits: 500 records at the largest cost a record may carry cannot overflow it.
std::string wide_to_string(__int128 pico, int scale) {
  __int128 unit = 1;
  for (int k = scale; k < Decimal::kScale; ++k) unit *= 10;
  bool negative = pico < 0;
  unsigned __int128 mag = negative ? -pico : pico;
  unsigned __int128 q = mag / unit, r = mag % unit;
  if (2 * r >= static_cast<unsigned __int128>(unit)) ++q;
  std::string digits;
  do {
    digits.insert(digits.begin(), char('0' + int(q % 10)));
    q /= 10;
  } while (q > 0);
  if (scale > 0) {
    if (digits.size() <= std::size_t(scale)) digits.insert(0, std::size_t(scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - std::size_t(scale), 1, '.');
  }
  return negative && digits.find_first_not_of("0.") != std::string::npos ? "-" + digits : digits;
}

// A record's cost as usage_logs stores it (6 decimals), in pico-dollars.
__int128 stored_cost(const UsageRecord& r) {
  constexpr __int128 kUnit = 1'000'000;  // 10^(12-6)
  __int128 v = r.cost.raw(), q = v / kUnit, rem = v % kUnit;
  if (rem < 0) rem = -rem;
  if (2 * rem >= kUnit) q += v < 0 ? -1 : 1;
  return q * kUnit;
}

// Cuts s to at most max_bytes without splitting a UTF-8 sequence, dropping control characters.
std::string fit(const std::string& s, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(s.size(), max_bytes));
  for (unsigned char c : s)
    if (c >= 0x20 && c != 0x7f) out.push_back(static_cast<char>(c));
  if (out.size() > max_bytes) {
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out;
}

}  // namespace

namespace detail {

// One array per column (AccountingRepo::insert_logs' parameter order), built as text without a DOM: one
// of these per flushed batch is a noticeable part of a call's CPU, and PostgreSQL reads arrays with each
// type's input function instead of parsing a JSON object per row (BENCHMARKS.md "Session 15").
db::Params logs_columns(const std::vector<UsageRecord>& batch) {
  enum Col { user_id, model_id, tier, prompt, completion, total, cost, quality, escalated, provider, latency,
             upstream_latency, status, error_code, estimated, cache_read, cache_write, request_id, attempts,
             conversation_id, created_at, cache_hit, usage_key, kColumns };
  std::array<db::ArrayLiteral, kColumns> c;
  for (const auto& r : batch) {
    c[user_id].text(r.user_id);
    c[model_id].text(r.model_id);
    c[tier].number(r.tier);
    c[prompt].number(r.prompt_tokens);
    c[completion].number(r.completion_tokens);
    c[total].number(r.total_tokens());
    c[cost].text(r.cost.to_string(6));
    if (r.quality_score) c[quality].text(db::double_text(*r.quality_score)); else c[quality].null();
    c[escalated].boolean(r.escalated);
    c[provider].text(r.provider);
    c[latency].number(r.latency_ms);
    c[upstream_latency].number(r.upstream_latency_ms);
    c[status].text(r.success ? "success" : "error");
    if (r.error_code.empty()) c[error_code].null(); else c[error_code].text(r.error_code);
    c[estimated].boolean(r.estimated);
    c[cache_read].number(r.cache_read_tokens);
    c[cache_write].number(r.cache_write_tokens);
    c[request_id].text(r.request_id);
    c[attempts].number(r.attempts);
    c[conversation_id].text(r.conversation_id);
    c[created_at].text(iso(r.at));
    c[cache_hit].boolean(r.cache_hit);
    if (r.usage_key.empty()) c[usage_key].null(); else c[usage_key].text(r.usage_key);
  }
  db::Params params;
  for (auto& column : c) params.add(column.done());
  return params;
}

// The keys of records counted without their usage_logs row (AccountingRepo::mark_counted_without_row).
std::string keys_json(const std::vector<UsageRecord>& batch) {
  json rows = json::array();
  for (const auto& r : batch)
    rows.push_back({{"usage_key", r.usage_key.empty() ? json(nullptr) : json(r.usage_key)},
                    {"request_id", r.request_id},
                    {"user_id", r.user_id},
                    {"model_id", r.model_id}});
  return rows.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The records whose key is among those a statement inserted (a record without a key always counts).
std::vector<UsageRecord> only_keys(const std::vector<UsageRecord>& all, const std::vector<std::string>& keys) {
  std::multiset<std::string> inserted(keys.begin(), keys.end());
  std::vector<UsageRecord> fresh;
  for (const auto& r : all) {
    auto it = r.usage_key.empty() ? inserted.end() : inserted.find(r.usage_key);
    if (r.usage_key.empty() || it != inserted.end()) {
      if (it != inserted.end()) inserted.erase(it);
      fresh.push_back(r);
    }
  }
  return fresh;
}

// A failed call that used no tokens adds nothing to the daily stats; message_count counts answers.
std::string stats_json(const std::vector<UsageRecord>& batch) {
  struct Sum {
    __int128 tokens = 0;  // records are clamped (clamp_to_columns): a batch's sums cannot overflow 128 bits
    __int128 cost = 0;
    int messages = 0;
  };
  std::map<std::tuple<std::string, std::string, std::string, std::string>, Sum> sums;
  for (const auto& r : batch) {
    if (!r.success && r.total_tokens() == 0 && r.cost.is_zero()) continue;
    auto& s = sums[{r.user_id, utc_date(r.at), r.model_id, r.provider}];
    s.tokens += r.total_tokens();
    s.cost += stored_cost(r);  // as usage_logs stores it, so the two add up alike
    s.messages += r.success ? 1 : 0;
  }
  json rows = json::array();
  for (const auto& [k, s] : sums)
    rows.push_back({{"user_id", std::get<0>(k)},
                    {"date", std::get<1>(k)},
                    {"model", std::get<2>(k)},
                    {"provider", std::get<3>(k)},
                    {"total_tokens", static_cast<std::int64_t>(s.tokens)},
                    {"total_cost", wide_to_string(s.cost, 6)},
                    {"message_count", s.messages}});
  return rows.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace detail

namespace {

// The (user, day, model, provider, conversation) of every record that counts in the daily stats.
std::string conversations_json(const std::vector<UsageRecord>& batch) {
  json rows = json::array();
  for (const auto& r : batch) {
    if (!r.conversation_id || (!r.success && r.total_tokens() == 0 && r.cost.is_zero())) continue;
    rows.push_back({{"user_id", r.user_id},
                    {"date", utc_date(r.at)},
                    {"model", r.model_id},
                    {"provider", r.provider},
                    {"conversation_id", *r.conversation_id}});
  }
  return rows.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

namespace detail {

std::vector<ai_registry::ProviderUsage> provider_usage(const std::vector<UsageRecord>& batch) {
  std::map<std::string, std::pair<__int128, __int128>> sums;
  for (const auto& r : batch) {
    if (r.provider.empty()) continue;
    auto& s = sums[r.provider];
    s.first += r.total_tokens();
    s.second += r.cost.raw();
  }
  std::vector<ai_registry::ProviderUsage> out;
  out.reserve(sums.size());
  for (const auto& [id, s] : sums)
    out.push_back({id, static_cast<std::int64_t>(s.first), wide_to_string(s.second, 12)});
  return out;
}

std::string providers_json(const std::vector<UsageRecord>& batch) {
  json rows = json::array();
  for (const auto& u : provider_usage(batch))
    rows.push_back({{"id", u.provider_id}, {"tokens", u.tokens}, {"cost", u.cost}});
  return rows.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace detail

namespace {

using detail::logs_columns;
using detail::provider_usage;
using detail::keys_json;
using detail::only_keys;
using detail::stats_json;

// transient: the database is unavailable or a concurrent writer got in the way — retry the batch as is.
// internal: an unexplained database error — retried a few times, then treated as refused. refused: the
// database (or our own arithmetic) says no to something in the batch: retrying it as is cannot help.
enum class Failure { transient, internal, refused };
Failure classify(const std::exception& e) {
  if (auto* app = dynamic_cast<const AppError*>(&e)) {
    if (app->code() == ErrorCode::service_unavailable || app->code() == ErrorCode::conflict) return Failure::transient;
    if (app->code() == ErrorCode::internal) return Failure::internal;
  }
  return Failure::refused;
}

void describe_metrics() {
  auto& m = Metrics::instance();
  m.describe("accounting_records_written_total", "counter", "usage records written (usage_logs row and counters)");
  m.describe("accounting_batches_total", "counter",
             "batches of usage records written, one transaction each (at most one per NETOPS_ACCOUNTING_FLUSH_MS "
             "tick, more only when full batches wait)");
  m.describe("accounting_records_spilled_total", "counter",
             "usage records written to a spill file while the database failed (replayed when it answers)");
  m.describe("accounting_records_dropped_total", "counter",
             "usage records the database refused: kind=row (its usage_logs row lost, its counters applied) or "
             "kind=all (nothing of it written)");
}

Task<void> sleep_for(std::chrono::milliseconds d) {
  net::steady_timer t(co_await net::this_coro::executor, d);
  co_await t.async_wait(net::as_tuple(net::use_awaitable));
}

}  // namespace

struct Accounting::Wake {
  net::any_io_executor executor;       // the flusher's; set before `running`
  std::atomic<bool> running{false};
  net::steady_timer* timer = nullptr;  // the flusher's, touched only on its executor
  std::atomic<bool> posted{false};
};

Accounting::Accounting(db::Db& db, std::shared_ptr<ai_registry::RegistryService> providers, int flush_ms,
                       SpillOptions spill, Blocking& blocking)
    : db_(db),
      providers_(std::move(providers)),
      interval_(flush_ms),
      wake_(std::make_shared<Wake>()),
      spill_(std::move(spill)),
      blocking_(blocking) {
  describe_metrics();
}

bool clamp_to_columns(UsageRecord& r) {
  bool changed = false;
  for (auto* n : {&r.prompt_tokens, &r.completion_tokens, &r.cache_read_tokens, &r.cache_write_tokens}) {
    auto v = std::clamp<std::int64_t>(*n, 0, kMaxRecordTokens);
    changed = changed || v != *n;
    *n = v;
  }
  // The largest cost whose 6-decimal rounding still fits a Decimal (and NUMERIC(16,6)).
  static const Decimal kMaxCost = Decimal::parse("9223372.036854");
  if (r.cost < Decimal() || r.cost > kMaxCost) {
    r.cost = r.cost < Decimal() ? Decimal() : kMaxCost;
    changed = true;
  }
  if (r.quality_score && !(*r.quality_score >= 0.0 && *r.quality_score <= 1.0)) {  // NaN too
    double q = *r.quality_score;
    if (std::isnan(q)) r.quality_score.reset();
    else r.quality_score = q > 1.0 ? 1.0 : 0.0;
    changed = true;
  }
  auto clamp_int = [&](int& v, int lo, int hi) {
    int c = std::clamp(v, lo, hi);
    changed = changed || c != v;
    v = c;
  };
  clamp_int(r.tier, 0, 3);
  clamp_int(r.latency_ms, 0, std::numeric_limits<int>::max());
  clamp_int(r.upstream_latency_ms, 0, std::numeric_limits<int>::max());
  clamp_int(r.attempts, 0, std::numeric_limits<int>::max());
  return changed;
}

UsageRecord sanitised(UsageRecord r) {
  r.request_id = fit(r.request_id, 100);
  r.error_code = fit(r.error_code, 50);
  r.model_id = fit(r.model_id, 100);
  r.provider = fit(r.provider, 100);
  r.user_id = fit(r.user_id, 255);
  if (r.conversation_id && !is_uuid(*r.conversation_id)) r.conversation_id.reset();
  if (!r.usage_key.empty() && !is_uuid(r.usage_key)) r.usage_key = new_uuid();
  clamp_to_columns(r);
  return r;
}

void Accounting::push(UsageRecord r) {
  if (r.usage_key.empty()) r.usage_key = new_uuid();
  if (clamp_to_columns(r))
    spdlog::warn("usage accounting: the record of request {} ({} {}) carried values beyond what its columns hold; "
                 "clamped (tokens ≤ {}, cost ≤ 9223372.036854)",
                 r.request_id, r.provider, r.model_id, kMaxRecordTokens);
  std::size_t n;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= kMaxQueue) {
      queue_.pop_front();
      spdlog::error("usage accounting: queue full, dropped the oldest record");
      Metrics::instance().inc("accounting_records_dropped_total", {{"kind", "all"}});
    }
    queue_.push_back(std::move(r));
    n = queue_.size();
  }
  // A full batch is written at once rather than at the next tick.
  if (n >= kBatch && wake_->running.load(std::memory_order_acquire) && !wake_->posted.exchange(true))
    net::post(wake_->executor, [w = wake_] {
      w->posted = false;
      if (w->timer) w->timer->cancel();
    });
}

std::size_t Accounting::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

Task<void> Accounting::run() {
  auto executor = co_await net::this_coro::executor;
  net::steady_timer timer(executor);
  wake_->timer = &timer;
  wake_->executor = executor;
  wake_->running.store(true, std::memory_order_release);
  for (;;) {
    timer.expires_after(std::max(interval_, backoff_));
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    // Whatever a tick throws is one failed attempt, never the flusher's end (a detached coroutine's
    // exception would end it silently, and with it the accounting of every later call).
    bool failed = true;
    try {
      failed = co_await tick();
    } catch (const std::exception& e) {
      last_failure_ = e.what();
      spdlog::error("usage accounting: a flush failed unexpectedly: {}", e.what());
    }
    if (failed) {
      note_failure();
      co_await spill_overflow();
    } else {
      note_success();
    }
  }
}

Task<void> Accounting::spill_overflow() {
  if (spill_.dir.empty() || pending() <= spill_.after) co_return;
  std::uint64_t used = 0;
  try {
    auto measure = [dir = spill_.dir] { return spill::bytes(dir); };
    used = co_await blocking_.run(std::move(measure));
  } catch (const std::exception&) {
    co_return;  // the blocking pool is full: the next failed tick tries again
  }
  if (used >= spill_.max_bytes) {
    if (!spill_full_)
      spdlog::error("usage accounting: the database is failing and the spill files in {} hold {} bytes, at "
                    "NETOPS_ACCOUNTING_SPILL_MAX_MB; {} usage record(s) wait in memory (beyond {} the oldest are "
                    "dropped)",
                    spill_.dir, used, pending(), kMaxQueue);
    spill_full_ = true;
    co_return;
  }
  spill_full_ = false;
  auto records = std::make_shared<std::vector<UsageRecord>>();
  {
    std::lock_guard lock(mu_);
    records->assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
  }
  ++in_flight_;  // flush() at a stop waits for these as for a batch being written
  try {
    auto write_file = [dir = spill_.dir, records] { return spill::write_file(dir, *records); };
    auto path = co_await blocking_.run(std::move(write_file));
    spill_pending_ = true;
    Metrics::instance().inc("accounting_records_spilled_total", {}, static_cast<double>(records->size()));
    spdlog::warn("usage accounting: the database is failing; {} waiting usage record(s) spilled to {} (written when "
                 "it answers)",
                 records->size(), path);
  } catch (const std::exception& e) {
    // Back at the front of the queue, in their order; the next failed tick tries again.
    std::lock_guard lock(mu_);
    queue_.insert(queue_.begin(), std::make_move_iterator(records->begin()), std::make_move_iterator(records->end()));
    spdlog::error("usage accounting: spilling {} waiting usage record(s) failed: {}", records->size(), e.what());
  }
  --in_flight_;
}

Task<bool> Accounting::tick() {
  // Spill files of an earlier stop or outage, once the database (and migration 0009) is there. A replay
  // that must wait counts as a failed attempt (the back-off, its throttled log); the queue is still tried,
  // so records of this run are not held behind a file the database cannot take yet.
  bool failed = false;
  if (spill_pending_ && !spill_.dir.empty()) {
    bool replayed = co_await replay_spill();
    spill_pending_ = !replayed;
    failed = !replayed;
  }
  // What waited at the tick, in batches of kBatch. Records that arrive meanwhile wait for the next tick
  // (or for a full batch's wake-up): going on while anything is pending would, under steady load, turn
  // the interval into back-to-back transactions of a few records each — measured: 78 commits/s at
  // 9,300 calls/s, PostgreSQL using ~45 µs of CPU per call.
  for (std::size_t todo = pending(); todo > 0; todo -= std::min(todo, kBatch)) {
    bool written = co_await write_one_batch();
    if (!written) co_return true;  // the database is failing: try again after the back-off
  }
  co_return failed;
}

void Accounting::note_failure() {
  auto now = std::chrono::steady_clock::now();
  if (failed_attempts_++ == 0) {
    failing_since_ = last_failing_log_ = now;
    spdlog::warn("usage accounting: writing to the database failed ({}); {} record(s) wait, retrying with back-off "
                 "(up to {} ms)",
                 last_failure_, pending(), kMaxBackoff.count());
  } else if (now - last_failing_log_ >= kMaxBackoff) {
    last_failing_log_ = now;
    spdlog::warn("usage accounting: the database has been failing for {} s ({} attempts, last: {}); {} record(s) wait",
                 std::chrono::duration_cast<std::chrono::seconds>(now - failing_since_).count(), failed_attempts_,
                 last_failure_, pending());
  }
  backoff_ = std::min(kMaxBackoff, std::max(interval_, backoff_) * 2);
}

void Accounting::note_success() {
  if (failed_attempts_ == 0) return;
  spdlog::info("usage accounting: the database takes records again after {} failed attempt(s) over {} s; the queue "
               "is written",
               failed_attempts_,
               std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - failing_since_)
                   .count());
  failed_attempts_ = 0;
  backoff_ = std::chrono::milliseconds(0);
}

Task<bool> Accounting::write_one_batch() {
  std::vector<UsageRecord> batch;
  {
    std::lock_guard lock(mu_);
    std::size_t n = std::min(kBatch, queue_.size());
    batch.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  }
  if (batch.empty()) co_return true;
  in_flight_.fetch_add(1);
  struct Done {
    std::atomic<int>& n;
    ~Done() { n.fetch_sub(1); }
  } done{in_flight_};
  std::optional<Failure> failure;
  std::string why;
  try {
    co_await write(batch);
  } catch (const std::exception& e) {
    why = e.what();
    failure = classify(e);
  }
  if (!failure) {
    internal_failures_ = 0;
    Metrics::instance().inc("accounting_records_written_total", {}, static_cast<double>(batch.size()));
    Metrics::instance().inc("accounting_batches_total", {});
    if (on_written) on_written(batch);
    co_return true;
  }
  // An unexplained error may be the database's passing trouble: retried as is a few times, then the batch
  // is taken apart like a refused one, so it cannot block the queue forever.
  if (*failure == Failure::internal && ++internal_failures_ < 3) failure = Failure::transient;
  if (*failure == Failure::transient) {
    // Logged by the flusher's back-off (note_failure), once when it starts and then at most every kMaxBackoff.
    spdlog::debug("usage accounting: writing {} record(s) failed, will retry: {}", batch.size(), why);
    last_failure_ = why;
    std::lock_guard lock(mu_);
    for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
    co_return false;
  }
  internal_failures_ = 0;
  spdlog::error("usage accounting: a batch of {} record(s) was refused ({}); writing them one by one", batch.size(),
                why);
  co_return co_await write_each(batch);
}

Task<bool> Accounting::write_each(std::vector<UsageRecord>& batch) {
  std::vector<UsageRecord> written;
  auto& metrics = Metrics::instance();
  std::size_t i = 0;
  bool unavailable = false;
  auto attempt = [&](const UsageRecord& r, bool with_log, std::string& why) {
    return write_single(r, with_log, why, unavailable);
  };
  for (; i < batch.size() && !unavailable; ++i) {
    UsageRecord& r = batch[i];
    std::string why;
    if (co_await attempt(r, true, why)) {
      metrics.inc("accounting_records_written_total", {});
      written.push_back(r);
      continue;
    }
    if (unavailable) break;
    UsageRecord clean = sanitised(r);
    std::string why_clean;
    if (co_await attempt(clean, true, why_clean)) {
      spdlog::warn("usage accounting: the record of request {} was refused ({}); written with its text fields "
                   "sanitised", clean.request_id, why);
      metrics.inc("accounting_records_written_total", {});
      written.push_back(std::move(clean));
      continue;
    }
    if (unavailable) break;
    std::string why_counters;
    if (co_await attempt(clean, false, why_counters)) {
      spdlog::error("usage accounting: dropped the usage_logs row of request {} ({} {}, {} tokens, cost {}): {}; "
                    "its counters were applied",
                    clean.request_id, clean.provider, clean.model_id, clean.total_tokens(), clean.cost.to_string(6),
                    why_clean);
      metrics.inc("accounting_records_dropped_total", {{"kind", "row"}});
      written.push_back(std::move(clean));
      continue;
    }
    if (unavailable) break;
    spdlog::error("usage accounting: dropped the record of request {} ({} {}, {} tokens, cost {}): {}",
                  clean.request_id, clean.provider, clean.model_id, clean.total_tokens(), clean.cost.to_string(6),
                  why_counters);
    metrics.inc("accounting_records_dropped_total", {{"kind", "all"}});
  }
  if (unavailable) {  // the record at i (not written) and the rest go back, in order
    std::lock_guard lock(mu_);
    for (std::size_t k = batch.size(); k-- > i;) queue_.push_front(std::move(batch[k]));
  }
  if (on_written && !written.empty()) on_written(written);
  co_return !unavailable;
}

Task<bool> Accounting::write_single(const UsageRecord& r, bool with_log, std::string& why, bool& unavailable) {
  std::vector<UsageRecord> one{r};
  try {
    co_await write(one, with_log);
    co_return true;
  } catch (const std::exception& e) {
    why = e.what();
    if (classify(e) == Failure::transient) unavailable = true;
  }
  co_return false;
}

Task<void> Accounting::write(const std::vector<UsageRecord>& batch, bool with_log) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> { co_await write_tx(tx, batch, with_log); };
  co_await db_.transaction(in_tx);
}

Task<void> Accounting::write_tx(db::Tx& tx, const std::vector<UsageRecord>& all, bool with_log) {
  // The counters count only the records this transaction is the first to write: a record whose usage_logs
  // row (or, written without its row, whose key in usage_counted_without_row) is already there was counted
  // when that was written (usage_key, accounting.hpp), and this is the batch sent again after a lost answer.
  const std::vector<UsageRecord>* counted = &all;
  std::vector<UsageRecord> fresh;
  if (!all.empty()) {
    // (No temporaries inside co_await: GCC 12 miscompiles them in coroutines.)
    std::vector<std::string> keys;
    if (with_log) {
      db::Params columns = logs_columns(all);
      keys = co_await repo_.insert_logs(tx, std::move(columns));
    } else {
      const std::string rows = keys_json(all);
      keys = co_await repo_.mark_counted_without_row(tx, rows);
    }
    if (keys.size() != all.size()) {
      fresh = only_keys(all, keys);
      spdlog::warn("usage accounting: {} of {} record(s) had been written before (a batch written again after its "
                   "answer was lost); not counted twice",
                   all.size() - fresh.size(), all.size());
      counted = &fresh;
    }
  }
  const auto& batch = *counted;
  std::string stats = stats_json(batch), conversations = conversations_json(batch);
  auto providers = provider_usage(batch);
  if (stats != "[]") co_await repo_.upsert_stats(tx, stats);
  if (conversations != "[]") co_await repo_.count_conversations(tx, conversations);
  // ai_providers is ai_registry's table: its service adds the counters, in this transaction.
  if (!providers.empty() && providers_) co_await providers_->add_provider_usage(tx, providers);
}

Task<bool> Accounting::replay_spill() {
  // No temporaries around a co_await below: GCC 12 destroyed the temporaries of `std::tie(a, b) = co_await
  // ...` twice (a double free, seen as heap corruption at start-up); every awaited value is a named local.
  const auto paths = spill::files(spill_.dir);
  for (const auto& path : paths) {
    std::size_t bad = 0;
    std::vector<UsageRecord> records;
    try {  // a file may hold spill_.after records: read and parsed off the event loop
      auto read_file = [path] {
        std::size_t n = 0;
        auto read = spill::read_file(path, n);
        return std::pair<std::vector<UsageRecord>, std::size_t>(std::move(read), n);
      };
      auto read = co_await blocking_.run(std::move(read_file));
      records = std::move(read.first);
      bad = read.second;
    } catch (const AppError&) {
      last_failure_ = "the blocking pool is full";  // the next tick tries again
      co_return false;
    } catch (const std::exception& e) {
      spdlog::error("usage accounting: {}", e.what());
      continue;
    }
    if (bad > 0) spdlog::error("usage accounting: {} line(s) of {} are not usage records; skipped", bad, path);
    for (auto& r : records) {
      clamp_to_columns(r);
      if (r.usage_key.empty()) r.usage_key = new_uuid();  // files of builds before the key
    }
    const std::string id = std::filesystem::path(path).filename().string();
    bool fresh = false;
    try {
      auto in_tx = [&](db::Tx& tx) -> Task<bool> {
        bool first = co_await repo_.mark_spill(tx, id, records.size());
        if (!first) co_return false;  // replayed before; only its deletion was lost
        for (std::size_t i = 0; i < records.size(); i += kBatch) {
          std::vector<UsageRecord> part(records.begin() + static_cast<std::ptrdiff_t>(i),
                                        records.begin() + static_cast<std::ptrdiff_t>(std::min(records.size(), i + kBatch)));
          co_await write_tx(tx, part, true);
        }
        co_return true;
      };
      fresh = co_await db_.transaction(in_tx);
    } catch (const std::exception& e) {
      if (classify(e) != Failure::refused) {
        spdlog::debug("usage accounting: replaying {} must wait: {}", path, e.what());
        last_failure_ = e.what();  // logged by the back-off (note_failure)
        co_return false;
      }
      // A record the database refuses: the file is set aside (never replayed again) and its records take
      // the queue's way, which writes them one by one (sanitised, counters only, or dropped with a metric).
      std::error_code ec;
      std::filesystem::rename(path, path + ".refused", ec);
      spdlog::error("usage accounting: replaying {} was refused ({}); its {} record(s) are queued one by one", path,
                    e.what(), records.size());
      if (!ec)
        for (auto& r : records) push(std::move(r));
      continue;
    }
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (fresh) {
      spdlog::info("usage accounting: replayed {} spilled record(s) ({})", records.size(), id);
      Metrics::instance().inc("accounting_records_written_total", {}, static_cast<double>(records.size()));
      if (on_written) on_written(records);
    } else {
      spdlog::warn("usage accounting: {} had been replayed already; deleted", path);
    }
  }
  co_return true;
}

Task<void> Accounting::flush() {
  int failures = 0;
  for (;;) {
    std::size_t n = pending();
    if (n == 0 && in_flight_.load() == 0) co_return;
    if (n == 0) {  // the flusher is writing a batch: wait for it (a failure puts it back)
      co_await sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    if (co_await write_one_batch()) continue;
    if (++failures >= 5) {
      std::vector<UsageRecord> left;
      {
        std::lock_guard lock(mu_);
        left.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
        queue_.clear();
      }
      if (spill_.dir.empty()) {
        spdlog::error("usage accounting: the database keeps failing; {} usage record(s) lost (no spill directory)",
                      left.size());
        Metrics::instance().inc("accounting_records_dropped_total", {{"kind", "all"}}, static_cast<double>(left.size()));
        co_return;
      }
      try {
        auto path = spill::write_file(spill_.dir, left);
        spdlog::error("usage accounting: the database keeps failing; {} usage record(s) spilled to {} (replayed at "
                      "the next start)", left.size(), path);
      } catch (const std::exception& e) {
        spdlog::error("usage accounting: the database keeps failing and spilling failed ({}); {} usage record(s) lost",
                      e.what(), left.size());
        Metrics::instance().inc("accounting_records_dropped_total", {{"kind", "all"}}, static_cast<double>(left.size()));
      }
      co_return;
    }
    co_await sleep_for(std::chrono::milliseconds(200 * failures));
  }
}

}  // namespace netops::gateway
