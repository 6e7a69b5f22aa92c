#pragma once
#include "kit/context.hpp"

namespace netops::health {
void register_routes(AppContext& ctx);
}
