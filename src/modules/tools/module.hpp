#pragma once
// The tool registry (registry.hpp) with the built-in tools (builtin.hpp), and its REST face:
// GET /api/tools, POST /api/tools/{name}/invoke. Chat's tool loop and the MCP server use the registry.
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/tools/builtin.hpp"
#include "modules/tools/registry.hpp"

namespace netops::tools {

Module<Registry> register_module(AppContext& ctx, const ToolDeps& deps);

}  // namespace netops::tools
