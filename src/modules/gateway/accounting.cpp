#include "modules/gateway/accounting.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <tuple>

#include "core/dates.hpp"
#include "core/error.hpp"
#include "db/db.hpp"

namespace netops::gateway {

namespace net = boost::asio;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxQueue = 1'000'000;  // beyond this (database down for long) the oldest are dropped

// usage_logs rows; created_at is the call's time, not the flush's.
const db::Query kInsertLogs{"gateway.usage_logs_insert", R"SQL(
INSERT INTO usage_logs (user_id, model_id, tier, prompt_tokens, completion_tokens, total_tokens, total_cost,
  quality_score, escalated, provider, latency_ms, upstream_latency_ms, status, error_code, estimated,
  cache_read_tokens, cache_write_tokens, request_id, attempts, conversation_id, created_at)
SELECT user_id, model_id, tier, prompt_tokens, completion_tokens, total_tokens, total_cost, quality_score, escalated,
  provider, latency_ms, upstream_latency_ms, status, error_code, estimated, cache_read_tokens, cache_write_tokens,
  request_id, attempts, conversation_id, created_at
FROM json_to_recordset($1::json) AS x(user_id text, model_id text, tier int, prompt_tokens int, completion_tokens int,
  total_tokens int, total_cost numeric, quality_score numeric, escalated bool, provider text, latency_ms int,
  upstream_latency_ms int, status text, error_code text, estimated bool, cache_read_tokens int,
  cache_write_tokens int, request_id text, attempts int, conversation_id uuid, created_at timestamptz))SQL"};

// Rows are inserted in key order so two instances upserting the same keys lock them in the same order.
const db::Query kUpsertStats{"gateway.user_token_stats_upsert", R"SQL(
INSERT INTO user_token_stats AS s (user_id, date, model, provider, total_tokens, total_cost, message_count)
SELECT user_id, date, model, provider, total_tokens, total_cost, message_count
FROM json_to_recordset($1::json) AS x(user_id text, date date, model text, provider text, total_tokens bigint,
  total_cost numeric, message_count int)
ORDER BY user_id, date, model, provider
ON CONFLICT (user_id, date, model, provider) DO UPDATE SET
  total_tokens = s.total_tokens + EXCLUDED.total_tokens,
  total_cost = s.total_cost + EXCLUDED.total_cost,
  message_count = s.message_count + EXCLUDED.message_count)SQL"};

// conversation_count = distinct conversations of that (user, day, model, provider): a conversation is
// counted when its first row for the key is inserted into user_conversation_days, whichever batch or
// instance gets there first. The stats rows were upserted (and locked) by the previous statement.
const db::Query kCountConversations{"gateway.user_token_stats_conversations", R"SQL(
WITH x AS (
  SELECT DISTINCT user_id, date, model, provider, conversation_id
  FROM json_to_recordset($1::json) AS x(user_id text, date date, model text, provider text, conversation_id uuid)
), ins AS (
  INSERT INTO user_conversation_days (user_id, date, model, provider, conversation_id)
  SELECT * FROM x ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT DO NOTHING RETURNING user_id, date, model, provider
), n AS (SELECT user_id, date, model, provider, count(*) AS c FROM ins GROUP BY 1, 2, 3, 4)
UPDATE user_token_stats s SET conversation_count = s.conversation_count + n.c FROM n
WHERE s.user_id = n.user_id AND s.date = n.date AND s.model = n.model AND s.provider = n.provider)SQL"};

// Provider rows are locked in id order first, for the same reason.
const db::Query kUpdateProviders{"gateway.ai_providers_usage", R"SQL(
WITH x AS (SELECT * FROM json_to_recordset($1::json) AS x(id text, tokens bigint, cost numeric)),
locked AS (SELECT p.id FROM ai_providers p WHERE p.id IN (SELECT id FROM x) ORDER BY p.id FOR UPDATE)
UPDATE ai_providers p SET tokens_used = coalesce(p.tokens_used, 0) + x.tokens, last_usage_at = now(),
  credits_remaining = CASE WHEN p.credits_remaining IS NULL THEN NULL ELSE p.credits_remaining - x.cost END
FROM x, locked WHERE p.id = x.id AND locked.id = x.id)SQL"};

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

std::string logs_json(const std::vector<UsageRecord>& batch) {
  json rows = json::array();
  for (const auto& r : batch) {
    json row = {{"user_id", r.user_id},
                {"model_id", r.model_id},
                {"tier", r.tier},
                {"prompt_tokens", r.prompt_tokens},
                {"completion_tokens", r.completion_tokens},
                {"total_tokens", r.total_tokens()},
                {"total_cost", r.cost.to_string(6)},
                {"escalated", r.escalated},
                {"provider", r.provider},
                {"latency_ms", r.latency_ms},
                {"upstream_latency_ms", r.upstream_latency_ms},
                {"status", r.success ? "success" : "error"},
                {"estimated", r.estimated},
                {"cache_read_tokens", r.cache_read_tokens},
                {"cache_write_tokens", r.cache_write_tokens},
                {"request_id", r.request_id},
                {"attempts", r.attempts},
                {"created_at", iso(r.at)}};
    row["quality_score"] = r.quality_score ? json(*r.quality_score) : json(nullptr);
    row["error_code"] = r.error_code.empty() ? json(nullptr) : json(r.error_code);
    row["conversation_id"] = r.conversation_id ? json(*r.conversation_id) : json(nullptr);
    rows.push_back(std::move(row));
  }
  return rows.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A failed call that used no tokens adds nothing to the daily stats; message_count counts answers.
std::string stats_json(const std::vector<UsageRecord>& batch) {
  struct Sum {
    std::int64_t tokens = 0;
    Decimal cost;
    int messages = 0;
  };
  std::map<std::tuple<std::string, std::string, std::string, std::string>, Sum> sums;
  for (const auto& r : batch) {
    if (!r.success && r.total_tokens() == 0 && r.cost.is_zero()) continue;
    auto& s = sums[{r.user_id, utc_date(r.at), r.model_id, r.provider}];
    s.tokens += r.total_tokens();
    s.cost += Decimal::parse(r.cost.to_string(6));  // as usage_logs stores it, so the two add up alike
    s.messages += r.success ? 1 : 0;
  }
  json rows = json::array();
  for (const auto& [k, s] : sums)
    rows.push_back({{"user_id", std::get<0>(k)},
                    {"date", std::get<1>(k)},
                    {"model", std::get<2>(k)},
                    {"provider", std::get<3>(k)},
                    {"total_tokens", s.tokens},
                    {"total_cost", s.cost.to_string(6)},
                    {"message_count", s.messages}});
  return rows.dump(-1, ' ', false, json::error_handler_t::replace);
}

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

std::string providers_json(const std::vector<UsageRecord>& batch) {
  std::map<std::string, std::pair<std::int64_t, Decimal>> sums;
  for (const auto& r : batch) {
    if (r.provider.empty()) continue;
    auto& s = sums[r.provider];
    s.first += r.total_tokens();
    s.second += r.cost;
  }
  json rows = json::array();
  for (const auto& [id, s] : sums) rows.push_back({{"id", id}, {"tokens", s.first}, {"cost", s.second.to_string(12)}});
  return rows.dump(-1, ' ', false, json::error_handler_t::replace);
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

Accounting::Accounting(db::Db& db, int flush_ms)
    : db_(db), interval_(flush_ms), wake_(std::make_shared<Wake>()) {}

void Accounting::push(UsageRecord r) {
  std::size_t n;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= kMaxQueue) {
      queue_.pop_front();
      spdlog::error("usage accounting: queue full, dropped the oldest record");
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
    timer.expires_after(interval_);
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    while (pending() > 0)
      if (!co_await write_one_batch()) break;  // the database is failing: try again next tick
  }
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
  bool ok = true, refused = false;
  std::string why;
  try {
    co_await write(batch);
    if (on_written) on_written(batch);
  } catch (const std::exception& e) {
    why = e.what();
    auto* app = dynamic_cast<const AppError*>(&e);
    refused = app && (app->code() == ErrorCode::validation || app->code() == ErrorCode::unprocessable);
    ok = refused;
  }
  if (!ok) {
    spdlog::warn("usage accounting: writing {} record(s) failed, will retry: {}", batch.size(), why);
    std::lock_guard lock(mu_);
    for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
  } else if (refused) {
    // A value the database refuses would fail this batch forever and block every later one: write the
    // records one by one and drop (with a log line) only those that are refused.
    spdlog::error("usage accounting: a batch of {} record(s) was refused ({}); writing them one by one", batch.size(),
                  why);
    std::vector<UsageRecord> written;
    for (auto& r : batch) {
      std::vector<UsageRecord> one{r};
      bool done = true;
      try {
        co_await write(one);
      } catch (const std::exception& each) {
        done = false;
        spdlog::error("usage accounting: dropped the record of request {} ({} {}): {}", r.request_id, r.provider,
                      r.model_id, each.what());
      }
      if (done) written.push_back(std::move(r));
    }
    if (on_written) on_written(written);
  }
  in_flight_.fetch_sub(1);
  co_return ok;
}

Task<void> Accounting::write(const std::vector<UsageRecord>& batch) {
  {
    std::string logs = logs_json(batch), stats = stats_json(batch), providers = providers_json(batch),
                conversations = conversations_json(batch);
    auto in_tx = [&](db::Tx& tx) -> Task<void> {
      db::Params p1(logs);
      co_await tx.query(kInsertLogs, std::move(p1));
      if (stats != "[]") {
        db::Params p2(stats);
        co_await tx.query(kUpsertStats, std::move(p2));
      }
      if (conversations != "[]") {
        db::Params p4(conversations);
        co_await tx.query(kCountConversations, std::move(p4));
      }
      if (providers != "[]") {
        db::Params p3(providers);
        co_await tx.query(kUpdateProviders, std::move(p3));
      }
    };
    co_await db_.transaction(in_tx);
  }
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
      std::lock_guard lock(mu_);
      spdlog::error("usage accounting: the database keeps failing; {} usage record(s) lost", queue_.size());
      queue_.clear();
      co_return;
    }
    co_await sleep_for(std::chrono::milliseconds(200 * failures));
  }
}

}  // namespace netops::gateway
