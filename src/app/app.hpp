#pragma once
// Wires the server together: worker threads (one io_context each), database pools, Redis, the route
// table with every module, start-up (migrations, first admin) and graceful shutdown.
#include <memory>

#include "core/config.hpp"

namespace netops {

struct ServeOptions {
  bool demo = false;
};

// Runs until SIGTERM/SIGINT; returns the process exit code.
int serve(const Config& config, const ServeOptions& opts);
// Applies pending migrations and exits; returns the process exit code.
int migrate_only(const Config& config);

}  // namespace netops
