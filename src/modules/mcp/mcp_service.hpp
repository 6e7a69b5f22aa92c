#pragma once
// MCP over Streamable HTTP, the server side (no server-initiated messages: POST answers application/json,
// GET is 405). Sessions: "mcp:session:<id>" in Redis holding the owner, the API key (or login session) and
// the negotiated protocol version, with an idle TTL renewed on every request — any instance serves them.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/tools/registry.hpp"

namespace netops::mcp {

inline constexpr const char* kLatestVersion = "2025-11-25";
const std::vector<std::string>& supported_versions();  // newest first
// The version the server answers an initialize with: the client's when supported, else the latest.
std::string negotiate(const std::string& requested);

// Origin check (DNS-rebinding protection): no Origin, a localhost origin, the server's own host (the Host
// header) or one of NETOPS_MCP_ALLOWED_ORIGINS.
bool origin_allowed(const std::string& origin, const std::optional<std::string>& host,
                    const std::vector<std::string>& allowed);

struct Session {
  std::string id, user_id, credential, version;
};

// What one POST answers: status, JSON-RPC body (null for 202), headers.
struct Reply {
  int status = 200;
  nlohmann::json body;
  std::vector<std::pair<std::string, std::string>> headers;
};

class McpService {
 public:
  McpService(AppContext& ctx, std::shared_ptr<tools::Registry> registry);

  // One JSON-RPC message (already parsed) from the caller, with the transport headers.
  Task<Reply> post(const nlohmann::json& message, const std::optional<std::string>& session_id,
                   const std::optional<std::string>& protocol_header, const Caller& by);
  // DELETE /mcp: 204, or 400 (no header) / 404 (unknown, expired or someone else's).
  Task<Reply> end(const std::optional<std::string>& session_id, const Caller& by);

  const tools::ToolsSettings& settings() const { return registry_->settings(); }

 private:
  Task<std::optional<Session>> load(const std::string& id, const Caller& by);
  Task<nlohmann::json> call_tool(const nlohmann::json& id, const nlohmann::json& params, const Caller& by);

  AppContext& ctx_;
  std::shared_ptr<tools::Registry> registry_;
};

nlohmann::json rpc_error(const nlohmann::json& id, int code, const std::string& message,
                         const nlohmann::json& data = nullptr);

}  // namespace netops::mcp
