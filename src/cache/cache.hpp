#pragma once
// Cache-aside on top of Redis. Never throws because Redis is down: a read is then a miss and a write
// or an invalidation is skipped (and logged at debug level), so the request still succeeds.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cache/redis.hpp"
#include "core/task.hpp"

namespace netops::cache {

class Cache {
 public:
  explicit Cache(Redis& redis) : redis_(redis) {}
  Task<std::optional<nlohmann::json>> get_json(std::string key);
  Task<void> set_json(std::string key, const nlohmann::json& value, int ttl_seconds);
  Task<void> invalidate(std::vector<std::string> keys);
  Redis& redis() { return redis_; }

 private:
  Redis& redis_;
};

}  // namespace netops::cache
