#include "app/modules.hpp"

#include "app/system_routes.hpp"
#include "modules/audit/module.hpp"
#include "modules/auth/module.hpp"
#include "modules/health/module.hpp"
#include "modules/users/module.hpp"

namespace netops {

void register_modules(AppContext& ctx) {
  health::register_routes(ctx);
  auto auth = auth::register_routes(ctx);
  users::register_routes(ctx, auth);
  audit::register_routes(ctx);
  register_system_routes(ctx);  // last: /docs/json documents every route registered above
}

}  // namespace netops
