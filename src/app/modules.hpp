#pragma once
#include "app/context.hpp"

namespace netops {
// Registers every module's routes (and the system routes: docs, metrics). The one list of modules.
void register_modules(AppContext& ctx);
}  // namespace netops
