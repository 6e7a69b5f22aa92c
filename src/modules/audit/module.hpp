#pragma once
#include "app/context.hpp"

namespace netops::audit {
void register_routes(AppContext& ctx);
}
