#pragma once
// The generation of the cached asset-list totals (asset_service.cpp): every committed change that can move
// assets between list filters starts a new one, so a cached total is never older than the last such change.
// The assets module bumps it after its own writes; the catalog calls it when a location moves or a model
// changes category. Tolerates Redis being down (the totals' 60 s lifetime then bounds the staleness).
#include "cache/redis.hpp"
#include "core/task.hpp"

namespace netops::assets {

inline constexpr const char* kTotalsGenerationKey = "assets:gen";

Task<void> totals_changed(cache::Redis& redis);

}  // namespace netops::assets
