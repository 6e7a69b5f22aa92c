#include "cache/cache.hpp"

#include <spdlog/spdlog.h>

#include "core/json.hpp"

namespace netops::cache {

// Every Redis failure is caught here by type (outage or error reply) and turned into a miss or a
// skipped write: the cache is an optimisation, the database stays the source of truth.

Task<std::optional<nlohmann::json>> Cache::get_json(std::string key) {
  std::optional<std::string> raw;
  try {
    raw = co_await redis_.get(key);
  } catch (const RedisUnavailable& e) {
    spdlog::debug("cache get {}: redis unavailable ({}), treating as a miss", key, e.what());
  } catch (const RedisError& e) {
    spdlog::debug("cache get {}: {}, treating as a miss", key, e.what());
  }
  if (!raw) co_return std::nullopt;
  auto value = parse_json(*raw);
  if (value.is_discarded()) {
    // Written by an older version or corrupted: drop it so the next read repopulates it.
    spdlog::debug("cache get {}: stored value is not JSON, deleting it", key);
    std::vector<std::string> keys{std::move(key)};  // not braced inside co_await: GCC 12 bug
    co_await invalidate(std::move(keys));
    co_return std::nullopt;
  }
  co_return value;
}

Task<void> Cache::set_json(std::string key, const nlohmann::json& value, int ttl_seconds) {
  // Replace invalid UTF-8 instead of throwing: a value that cannot be cached is just not cached well.
  auto text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  try {
    co_await redis_.set(key, std::move(text), ttl_seconds);
  } catch (const RedisUnavailable& e) {
    spdlog::debug("cache set {}: redis unavailable ({}), skipped", key, e.what());
  } catch (const RedisError& e) {
    spdlog::debug("cache set {}: {}, skipped", key, e.what());
  }
}

Task<void> Cache::invalidate(std::vector<std::string> keys) {
  try {
    co_await redis_.del(std::move(keys));
  } catch (const RedisUnavailable& e) {
    spdlog::debug("cache invalidate: redis unavailable ({}), skipped", e.what());
  } catch (const RedisError& e) {
    spdlog::debug("cache invalidate: {}, skipped", e.what());
  }
}

}  // namespace netops::cache
