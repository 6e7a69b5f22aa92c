#pragma once
#include <functional>
#include <vector>

#include "app/context.hpp"
#include "core/task.hpp"

namespace netops {
namespace llm {
class HttpClient;
}

// Work that modules run beside the request path (e.g. the gateway's usage-accounting flusher).
struct Background {
  std::vector<std::function<Task<void>()>> run;    // spawned on worker 0 once the server runs
  std::vector<std::function<Task<void>()>> drain;  // awaited on shutdown, after in-flight requests, before the pools close
};

// Registers every module's routes (and the system routes: docs, metrics). The one list of modules.
void register_modules(AppContext& ctx, llm::HttpClient& llm, Background& background);
}  // namespace netops
