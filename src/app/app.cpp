#include "app/app.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <pthread.h>
#include <cstdio>
#include <iostream>
#include <spdlog/spdlog.h>
#include <thread>

#include "kit/context.hpp"
#include "app/modules.hpp"
#include "app/system_routes.hpp"
#include "core/allocator.hpp"
#include "core/busy_poll.hpp"
#include "core/cidr.hpp"
#include "core/detached.hpp"
#include "core/error.hpp"
#include "core/metrics.hpp"
#include "core/thread_slice.hpp"
#include "core/worker.hpp"
#include "db/migrations.hpp"
#include "http/server.hpp"
#include "llm/http_client.hpp"

namespace netops {

namespace net = boost::asio;

namespace {

db::PoolConfig pool_config(const Config& c) {
  db::PoolConfig p;
  p.url = c.database_url;
  p.size_per_worker = std::max<std::size_t>(1, c.db_pool_size / c.threads);
  p.statement_timeout_ms = c.statement_timeout_ms;
  return p;
}

Task<void> sleep_ms(int ms) {
  net::steady_timer t(co_await net::this_coro::executor, std::chrono::milliseconds(ms));
  co_await t.async_wait(net::use_awaitable);
}

// Migrations and the first admin, retried until the database answers: the process serves
// /health/* meanwhile and every other route answers 503.
Task<void> start_up(AppContext& ctx, const Background& background, std::atomic<bool>& stopping) {
  int attempt = 0;
  while (!stopping) {
    try {
      auto applied = co_await db::migrate(ctx.db);
      if (!applied.empty()) spdlog::info("applied {} migration(s)", applied.size());
      for (auto& job : background.start) co_await job();
      ctx.ready = true;
      // What the start-up freed (migrations, seeding, the route docs) goes back to the system: idle RSS
      // 36.5 → 29.1 MB on the bench with glibc (#18); with mimalloc 29.6 → 28.6 MiB (BENCHMARKS "Session 16").
      release_startup_memory();
      spdlog::info("ready in {:.0f} ms",
                   std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ctx.started).count());
      co_return;
    } catch (const std::exception& e) {
      if (attempt++ % 10 == 0) spdlog::warn("start-up is waiting for the database: {}", e.what());
    }
    co_await sleep_ms(1000);
  }
}

}  // namespace

int serve(const Config& cfg, const ServeOptions& opts) {
  auto started = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<net::io_context>> iocs;
  std::vector<net::io_context*> workers;
  for (std::size_t i = 0; i < cfg.threads; ++i) {
    iocs.push_back(std::make_unique<net::io_context>(1));
    workers.push_back(iocs.back().get());
  }
  db::Db db(pool_config(cfg), workers);
  cache::RedisConfig rc;
  rc.url = cfg.redis_url;
  cache::Redis redis(rc, workers);
  cache::Cache cache(redis);
  cache::RateLimiter limiter(redis);
  Blocking blocking(2, cfg.blocking_queue);
  Metrics::instance().set_series_limit(cfg.metrics_series_limit);
  http::Router router;
  http::Pipeline pipeline(router);
  std::atomic<bool> ready{false};
  std::atomic<bool> stopping{false};
  AppContext ctx{cfg, db, redis, cache, limiter, blocking, router, pipeline, ready, started, opts.demo};

  // LLM upstream client: per-worker keep-alive pools on the same event loops as the requests.
  llm::HttpClient llm_client(llm::ClientOptions{}, workers);
  Background background;
  register_modules(ctx, llm_client, background);
  register_process_collectors(ctx);
  pipeline.add_precheck([&ready](http::Request&) -> Task<void> {
    if (!ready)
      throw AppError(ErrorCode::service_unavailable, "the database is not ready yet (see /health/ready)");
    co_return;
  });

  http::ServerOptions so;
  so.host = cfg.listen_host;
  so.port = cfg.listen_port;
  so.body_limit = cfg.body_limit;
  so.header_timeout_ms = cfg.header_timeout_ms;
  so.body_timeout_ms = cfg.body_timeout_ms;
  so.idle_timeout_ms = cfg.idle_timeout_ms;
  so.access_log = cfg.access_log;
  so.max_connections = cfg.max_connections;
  std::string proxies;
  for (auto& p : cfg.trusted_proxies) proxies += (proxies.empty() ? "" : ",") + p;
  so.trusted_proxies = TrustedProxies::parse(proxies);  // validated by Config
  http::Server server(so, pipeline, workers);
  // NETOPS_METRICS_LISTEN: /metrics alone on its own address (e.g. loopback for the Prometheus agent).
  http::Router metrics_router;
  register_metrics_listener_routes(metrics_router, cfg);
  http::Pipeline metrics_pipeline(metrics_router);
  std::unique_ptr<http::Server> metrics_server;
  if (!cfg.metrics_listen_host.empty()) {
    http::ServerOptions mo;
    mo.host = cfg.metrics_listen_host;
    mo.port = cfg.metrics_listen_port;
    mo.max_connections = 64;
    mo.access_log = false;
    metrics_server = std::make_unique<http::Server>(mo, metrics_pipeline, workers);
  }
  try {
    server.start();
    if (metrics_server) metrics_server->start();
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  if (metrics_server) {
    std::printf("Metrics on http://%s:%d/metrics\n", cfg.metrics_listen_host.c_str(), metrics_server->port());
    std::fflush(stdout);
  }
  std::printf("NetOpsAI Gateway listening on http://%s:%d (%zu worker threads)\n", cfg.listen_host.c_str(),
              server.port(), cfg.threads);
  std::fflush(stdout);

  redis.start();
  net::co_spawn(*workers[0], start_up(ctx, background, stopping), net::detached);
  // Each loop catches its own failures; should one end with an exception anyway, it is logged, not lost.
  for (auto& task : background.run)
    net::co_spawn(*workers[0], task(), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        spdlog::critical("a background loop ended with an error: {}", x.what());
      } catch (...) {
        spdlog::critical("a background loop ended with an error");
      }
    });

  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
  for (auto* w : workers) guards.push_back(net::make_work_guard(*w));

  net::signal_set signals(*workers[0], SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: draining (up to {} s)", sig, cfg.shutdown_grace_s);
    stopping = true;
    net::co_spawn(
        *workers[0],
        [&]() -> Task<void> {
          server.stop_accepting();
          server.close_idle();
          if (metrics_server) {
            metrics_server->stop_accepting();
            metrics_server->close_idle();
          }
          auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(cfg.shutdown_grace_s);
          // Requests, and background work calling an upstream (ShutdownHooks::busy), get the grace period.
          while ((server.open_connections() > 0 || ShutdownHooks::busy() > 0) &&
                 std::chrono::steady_clock::now() < deadline) {
            co_await sleep_ms(20);
            server.close_idle();
          }
          if (server.open_connections() > 0)
            spdlog::warn("{} connection(s) still open after the grace period", server.open_connections());
          // What still runs is cut now, and records what it did (the gateway's calls and streams: usage
          // with error_code SHUTDOWN): destructors that would have pushed it never run after the exit below.
          co_await ShutdownHooks::run_deadline();
          // In-flight requests are done: write what they left queued (usage accounting) before the pools close.
          for (auto& drain : background.drain) {
            try {
              co_await drain();
            } catch (const std::exception& e) {
              spdlog::error("shutdown: draining background work failed: {}", e.what());
            }
          }
          llm_client.close_idle();
          redis.stop();
          db.close();
          for (auto& g : guards) g.reset();
          for (auto* w : workers) w->stop();
        },
        net::detached);
  });

  const auto poll_max = std::chrono::microseconds(cfg.busy_poll_us);
  const int pollers = std::max(1, static_cast<int>(workers.size() / 2));
  const auto slice = std::chrono::microseconds(cfg.worker_slice_us);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < workers.size(); ++i)
    threads.emplace_back([i, w = workers[i], poll_max, pollers, slice] {
      // Named so `top -H` and /proc tell the workers (netops-w1…; worker 0 is the main thread) apart.
      pthread_setname_np(pthread_self(), ("netops-w" + std::to_string(i)).c_str());
      if (slice.count() > 0) request_time_slice(slice);
      set_current_worker(i);
      run_worker(*w, poll_max, pollers);
    });
  if (slice.count() > 0) {
    if (request_time_slice(slice))
      spdlog::info("workers run with {} µs scheduler time slices", current_time_slice().count());
    else
      spdlog::info("NETOPS_WORKER_SLICE_US: this kernel has no per-thread time slices (Linux >= 6.12); "
                   "workers keep its default");
  }
  set_current_worker(0);
  run_worker(*workers[0], poll_max, pollers);
  for (auto& t : threads) t.join();
  spdlog::info("stopped");
  spdlog::shutdown();
  std::fflush(stdout);
  // Coroutines parked on stopped io_contexts still hold leases and sockets; tearing those down in
  // destructor order buys nothing after the drain above, so leave without running destructors.
  std::_Exit(0);
}

int migrate_only(const Config& cfg) {
  net::io_context ioc(1);
  db::PoolConfig pc = pool_config(cfg);
  pc.size_per_worker = 1;
  db::Db db(pc, {&ioc});
  set_current_worker(0);
  auto fut = net::co_spawn(ioc, db::migrate(db), net::use_future);
  ioc.run();
  try {
    auto applied = fut.get();
    std::printf("%zu migration(s) applied%s\n", applied.size(), applied.empty() ? " (up to date)" : "");
    for (auto& a : applied) std::printf("  %s\n", a.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "migration failed: %s\n", e.what());
    return 1;
  }
}

}  // namespace netops
