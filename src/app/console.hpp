#pragma once
// The web console (web/, built into build/web/) served at "/" through the pipeline's fallback.
#include "kit/context.hpp"

namespace netops {

// Loads the console's files into memory (http/static_files.hpp) from NETOPS_WEB_DIR, or by default from
// the directory `web/` beside the server binary (build/web/ for build/netops-gateway). Without files the
// server runs as before (the API only) and says so in its log.
void register_console(AppContext& ctx);

}  // namespace netops
