#include "app/modules.hpp"

#include "app/system_routes.hpp"
#include "modules/health/module.hpp"

namespace netops {

void register_modules(AppContext& ctx) {
  health::register_routes(ctx);
  register_system_routes(ctx);  // last: /docs/json documents every route registered above
}

}  // namespace netops
