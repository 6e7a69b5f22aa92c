#include "modules/partitions/partition_service.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <spdlog/spdlog.h>

#include "core/dates.hpp"
#include "db/db.hpp"

namespace netops::partitions {

namespace net = boost::asio;

namespace {
Task<void> sleep_for(long long ms) {
  net::steady_timer t(co_await net::this_coro::executor, std::chrono::milliseconds(ms));
  co_await t.async_wait(net::as_tuple(net::use_awaitable));
}
}  // namespace

PartitionService::PartitionService(AppContext& ctx)
    : ctx_(ctx), settings_(load_section(ctx.config, partitions_section())) {}

Task<std::optional<nlohmann::json>> PartitionService::maintain(const std::string& today) {
  std::optional<nlohmann::json> out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    if (!co_await repo_.try_lock(tx)) co_return;
    nlohmann::json usage = co_await repo_.maintain(tx, "usage_logs", today, settings_.months_ahead,
                                                   settings_.usage_retention_months);
    nlohmann::json audit = co_await repo_.maintain(tx, "audit_logs", today, settings_.months_ahead,
                                                   settings_.audit_retention_months);
    out = nlohmann::json{{"usage", std::move(usage)}, {"audit", std::move(audit)}};
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> PartitionService::run() {
  while (!ctx_.ready && !stopping_) co_await sleep_for(100);  // migrations first
  using clock = std::chrono::steady_clock;
  auto next = clock::now();
  while (!stopping_) {
    if (clock::now() >= next) {
      long long retry_ms = 0;
      try {
        auto today = utc_date(std::chrono::system_clock::now());
        auto done = co_await maintain(today);
        if (done) {
          for (const auto* k : {"usage", "audit"}) {
            const auto& r = (*done)[k];
            if (!r["created"].empty() || !r["dropped"].empty())
              spdlog::info("partitions: {} created {} dropped {}", r.value("table", k), r["created"].dump(),
                           r["dropped"].dump());
          }
        }
      } catch (const std::exception& e) {
        spdlog::warn("partitions: maintenance failed, retrying in a minute: {}", e.what());
        retry_ms = 60'000;
      }
      next = clock::now() + (retry_ms ? std::chrono::milliseconds(retry_ms)
                                      : std::chrono::milliseconds(settings_.interval_s * 1000LL));
    }
    co_await sleep_for(500);  // short naps: the drain stops the job within half a second
  }
}

Task<void> PartitionService::drain() {
  stopping_ = true;
  co_return;
}

}  // namespace netops::partitions
