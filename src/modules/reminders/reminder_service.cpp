#include "modules/reminders/reminder_service.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "llm/egress.hpp"
#include "modules/audit/audited.hpp"
#include "modules/reminders/reminder_rules.hpp"

namespace netops::reminders {

namespace net = boost::asio;

namespace {
constexpr const char* kResource = "reminder";
constexpr long long kLeaseMarginMs = 30000;  // beyond the webhook timeout: the holder marks well before
constexpr long long kIdleWaitMs = 60000;      // the longest sleep when nothing is due (interval 0)
constexpr long long kMinWaitMs = 20;          // never spin
constexpr std::size_t kMaxErrorChars = 500;

std::string host_and_pid() {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  return std::string(host) + ":" + std::to_string(::getpid());
}

std::string clip(std::string s) {
  if (s.size() > kMaxErrorChars) {
    s.resize(kMaxErrorChars);
    s += "…";
  }
  return s;
}

Task<void> sleep_for(long long ms) {
  net::steady_timer t(co_await net::this_coro::executor, std::chrono::milliseconds(ms));
  co_await t.async_wait(net::as_tuple(net::use_awaitable));
}
}  // namespace

struct ReminderService::Wake {
  net::any_io_executor executor;       // the job's; set before `running`
  std::atomic<bool> running{false};
  net::steady_timer* timer = nullptr;  // the job's, touched only on its executor
  bool woken = false;                  // idem: a wake that came while the job was busy
};

ReminderService::ReminderService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit, llm::HttpClient& http)
    : ctx_(ctx),
      settings_(load_section(ctx.config, reminders_section())),
      repo_(ctx.db),
      audit_(std::move(audit)),
      http_(http),
      instance_(host_and_pid()),
      wake_(std::make_shared<Wake>()) {
  if (!settings_.webhook_url.empty()) {
    if (settings_.webhook_secret.empty())
      spdlog::warn("reminders: NETOPS_REMINDER_WEBHOOK_URL is set without NETOPS_REMINDER_WEBHOOK_SECRET: "
                   "webhook calls carry no X-NetOps-Signature");
    if (auto why = llm::endpoint_egress_refusal(settings_.webhook_url))
      spdlog::warn("reminders: the webhook {} is refused by the egress policy ({}); list its address in "
                   "NETOPS_EGRESS_ALLOW",
                   settings_.webhook_url, *why);
  }
}

Task<db::Page<Reminder>> ReminderService::list(const ReminderFilter& f, const db::PageRequest& p, const db::Sort& s) {
  co_return co_await repo_.list(f, p, s);
}

Task<Reminder> ReminderService::get(const std::string& id) {
  auto r = co_await repo_.find(id);
  if (!r) throw NotFound(kResource);
  co_return *r;
}

Task<Reminder> ReminderService::mark_read(const std::string& id, const std::optional<std::string>& expected_etag,
                                          const Caller& by) {
  Reminder out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    audit::Change change{"reminder.read", kResource, id, expected_etag};
    audit::Lock<Reminder> lock = [&](db::Tx& t) -> Task<std::optional<Reminder>> { co_return co_await repo_.lock(t, id); };
    audit::Write<Reminder> write = [&](db::Tx& t, const Reminder&) -> Task<Reminder> {
      co_return co_await repo_.mark_read(t, id);  // reading twice keeps the first read_at
    };
    out = co_await audit::audited_update(tx, *audit_, by, change, lock, write);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<Reminder> ReminderService::cancel(const std::string& id, const std::optional<std::string>& expected_etag,
                                       const Caller& by) {
  Reminder out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    audit::Change change{"reminder.canceled", kResource, id, expected_etag};
    audit::Lock<Reminder> lock = [&](db::Tx& t) -> Task<std::optional<Reminder>> { co_return co_await repo_.lock(t, id); };
    audit::Write<Reminder> write = [&](db::Tx& t, const Reminder& current) -> Task<Reminder> {
      if (!cancelable(current.status, current.channel, !current.read_at.is_null()))
        throw Conflict("a " + current.status + " " + current.channel + " reminder cannot be canceled",
                       {{"status", current.status}, {"channel", current.channel}});
      co_return co_await repo_.cancel(t, id);
    };
    out = co_await audit::audited_update(tx, *audit_, by, change, lock, write);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<RunResult> ReminderService::generate(bool wait, const std::optional<Caller>& by) {
  RunResult out;
  const std::string channel = settings_.webhook_url.empty() ? "ui" : "webhook";
  std::optional<std::string> correlation;
  if (by && !by->request_id.empty()) correlation = by->request_id;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    // One generation at a time across instances: the unique index alone would keep the rows single, but
    // two concurrent INSERT … ON CONFLICT over the same keys can deadlock on each other's speculative rows.
    if (!co_await repo_.generation_lock(tx, wait)) {
      out.generated = false;
      co_return;
    }
    out.warranty_created = co_await repo_.create_warranty(tx, settings_.warranty_days, channel, correlation);
    out.maintenance_created = co_await repo_.create_maintenance(tx, channel, correlation);
    out.canceled = co_await repo_.cancel_disposed(tx);
    if (by) {
      nlohmann::json details = to_json(out);
      std::string action = "reminders.run", resource = "reminders";  // named: see audited.hpp
      co_await audit_->record(tx, *by, action, resource, details);
    }
  };
  co_await ctx_.db.transaction(in_tx);
  if (!out.generated) out.canceled = co_await repo_.cancel_disposed();
  out.listed = co_await repo_.list_ui();
  co_return out;
}

Task<RunResult> ReminderService::run_now(const Caller& by) {
  std::optional<Caller> who = by;
  auto out = co_await generate(true, who);
  wake();  // webhook deliveries: the background job, now
  co_return out;
}

void ReminderService::wake() {
  if (!wake_->running.load(std::memory_order_acquire)) return;
  net::post(wake_->executor, [w = wake_] {
    w->woken = true;
    if (w->timer) w->timer->cancel();
  });
}

Task<void> ReminderService::deliver_one(const Reminder& r, const std::string& claim_token) {
  llm::UpstreamRequest req;
  req.method = "POST";
  req.url = settings_.webhook_url;
  req.body = webhook_body(r).dump();
  req.headers = {{"Content-Type", "application/json"},
                 {"Idempotency-Key", r.id},
                 {"X-NetOps-Reminder-Id", r.id},
                 {"X-NetOps-Event", "reminder." + r.type},
                 {"X-NetOps-Delivery-Attempt", std::to_string(r.attempts + 1)}};
  if (!settings_.webhook_secret.empty())
    req.headers.emplace_back("X-NetOps-Signature", webhook_signature(settings_.webhook_secret, req.body));
  const int t = settings_.webhook_timeout_ms;
  req.timeouts = llm::Timeouts{std::min(t, 5000), t, t, t};
  std::string error;
  try {
    auto resp = co_await http_.send(std::move(req));
    if (resp.status >= 200 && resp.status < 300) {
      if (!co_await repo_.mark_sent(r.id, claim_token))
        spdlog::warn("reminders: {} was delivered but its claim had been lost (canceled meanwhile, or the lease "
                     "ran out); the receiver may see it again under the same Idempotency-Key",
                     r.id);
      co_return;
    }
    error = "HTTP " + std::to_string(resp.status) + (resp.body.empty() ? "" : ": " + resp.body.substr(0, 200));
  } catch (const llm::UpstreamError& e) {
    error = std::string(llm::kind_name(e.kind)) + ": " + e.what();
  } catch (const std::exception& e) {
    error = e.what();
  }
  auto delay = retry_delay_ms(r.attempts + 1, settings_.retry_base_ms, settings_.retry_max_ms);
  auto clipped = clip(std::move(error));
  co_await repo_.mark_failed(r.id, claim_token, clipped, delay, settings_.max_attempts);
}

Task<long long> ReminderService::deliver_webhooks() {
  long long n = 0;
  if (settings_.webhook_url.empty()) co_return n;
  const long long lease = settings_.webhook_timeout_ms + kLeaseMarginMs;
  while (!stopping_) {
    auto token = new_uuid();
    auto claimed = co_await repo_.claim(lease, token, instance_);
    if (!claimed) break;
    co_await deliver_one(*claimed, token);
    ++n;
  }
  co_return n;
}

Task<void> ReminderService::run() {
  auto executor = co_await net::this_coro::executor;
  net::steady_timer timer(executor);
  wake_->timer = &timer;
  wake_->executor = executor;
  wake_->running.store(true, std::memory_order_release);
  while (!ctx_.ready && !stopping_) co_await sleep_for(100);  // migrations first
  using clock = std::chrono::steady_clock;
  auto next_generation = clock::now();
  while (!stopping_) {
    long long wait_ms = kIdleWaitMs;
    busy_ = true;
    try {
      if (settings_.interval_s > 0 && clock::now() >= next_generation) {
        next_generation = clock::now() + std::chrono::seconds(settings_.interval_s);
        std::optional<Caller> none;
        auto r = co_await generate(false, none);
        if (r.warranty_created + r.maintenance_created + r.canceled > 0)
          spdlog::info("reminders: created {} warranty_expiring, {} maintenance_due; canceled {}", r.warranty_created,
                       r.maintenance_created, r.canceled);
      } else {
        co_await repo_.list_ui();
      }
      co_await deliver_webhooks();
      if (settings_.interval_s > 0)
        wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(next_generation - clock::now()).count();
      if (!settings_.webhook_url.empty())
        if (auto due = co_await repo_.next_due_ms()) wait_ms = std::min(wait_ms, *due);
    } catch (const std::exception& e) {
      spdlog::warn("reminders: job failed, retrying: {}", e.what());
      wait_ms = 5000;
    }
    busy_ = false;
    if (stopping_) break;
    if (wake_->woken) {
      wake_->woken = false;
      continue;
    }
    timer.expires_after(std::chrono::milliseconds(std::max(wait_ms, kMinWaitMs)));
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    wake_->woken = false;
  }
  wake_->running.store(false, std::memory_order_release);
  wake_->timer = nullptr;
}

Task<void> ReminderService::drain() {
  stopping_ = true;
  wake();
  for (int i = 0; i < 500 && busy_; ++i) co_await sleep_for(20);  // the delivery in flight, 10 s at most
}

}  // namespace netops::reminders
