#pragma once
#include <functional>
#include <vector>

#include "kit/context.hpp"
#include "kit/module.hpp"

namespace netops {
namespace llm {
class HttpClient;
}

// Registers every module's routes (and the system routes: docs, metrics). The one list of modules.
void register_modules(AppContext& ctx, llm::HttpClient& llm, Background& background);
}  // namespace netops
