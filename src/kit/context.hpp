#pragma once
// What every module receives at registration: configuration and the shared framework services. It lives
// below the modules (src/kit) so that no module includes the application (src/app) that assembles them.
// Modules keep references to what they use; handlers stay stateless.
#include <atomic>
#include <chrono>

#include "cache/cache.hpp"
#include "cache/rate_limiter.hpp"
#include "cache/redis.hpp"
#include "core/blocking.hpp"
#include "core/config.hpp"
#include "db/db.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"

namespace netops {

inline constexpr const char* kVersion = "0.1.0";

struct AppContext {
  const Config& config;
  db::Db& db;
  cache::Redis& redis;
  cache::Cache& cache;
  cache::RateLimiter& limiter;
  Blocking& blocking;
  http::Router& router;
  http::Pipeline& pipeline;
  std::atomic<bool>& ready;  // migrations applied and first admin seeded
  std::chrono::steady_clock::time_point started;
  bool demo = false;  // script/server --demo: the simulated upstream is seeded as a provider
};

}  // namespace netops
