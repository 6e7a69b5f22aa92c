#pragma once
// What every module gets at registration: configuration and the shared framework services.
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
};

}  // namespace netops
