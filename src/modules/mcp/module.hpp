#pragma once
// The Model Context Protocol server at /mcp (Streamable HTTP, revisions 2025-11-25, 2025-06-18,
// 2025-03-26): JSON-RPC over POST, sessions in Redis, the tool registry's tools for the caller's role.
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/mcp/mcp_service.hpp"
#include "modules/tools/registry.hpp"

namespace netops::mcp {

Module<McpService> register_module(AppContext& ctx, std::shared_ptr<tools::Registry> registry);

}  // namespace netops::mcp
