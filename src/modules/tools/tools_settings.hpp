#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace netops::tools {

struct ToolsSettings {
  int max_rounds = 5;             // model calls of one chat turn that may run tools
  long long max_turn_tokens = 100000;        // prompt + completion tokens of all of a turn's rounds: no tool round after
  int timeout_ms = 15000;         // a tool without its own timeout
  int result_max_chars = 32000;   // a tool result longer than this reaches the model cut, with a note
  bool test_tools = false;        // NETOPS_TOOLS_TEST_TOOLS: registers test_sleep (tests only)
  int mcp_session_ttl_s = 3600;   // an idle MCP session expires after this
  std::vector<std::string> mcp_allowed_origins;  // besides localhost and the server's own host
};
const ConfigSection<ToolsSettings>& tools_section();

}  // namespace netops::tools
