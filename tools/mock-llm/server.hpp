#pragma once
// The mock's HTTP/1.1 server: keep-alive, one io_context per thread, C++20 coroutines.
#include "common.hpp"

namespace mockllm {

// Listens on ctx.opts.host:port and serves until SIGINT or SIGTERM. Returns the process exit code.
int run_server(Context& ctx);

}  // namespace mockllm
