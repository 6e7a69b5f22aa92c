#include "modules/assets/asset_totals.hpp"

#include <spdlog/spdlog.h>

namespace netops::assets {

Task<void> totals_changed(cache::Redis& redis) {
  try {
    std::vector<std::string> cmd{"INCR", kTotalsGenerationKey};
    co_await redis.command(std::move(cmd));
  } catch (const std::exception& e) {
    spdlog::debug("assets: could not bump {} ({})", kTotalsGenerationKey, e.what());
  }
}

}  // namespace netops::assets
