#pragma once
#include "app/context.hpp"

namespace netops::health {
void register_routes(AppContext& ctx);
}
