#include "modules/tools/tools_settings.hpp"

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif

namespace netops::tools {

const ConfigSection<ToolsSettings>& tools_section() {
  static const ConfigSection<ToolsSettings> s{
      "tools",
      {{"NETOPS_TOOLS_MAX_ROUNDS", "5",
        "tools: model calls of one chat turn that may run tools (the calls of the last one are answered with a tool error)"},
       {"NETOPS_TOOLS_MAX_TURN_TOKENS", "100000",
        "tools: token budget of one chat turn with tools (prompt + completion tokens of all its model calls); once "
        "spent, no further tool round runs and the model is not called again"},
       {"NETOPS_TOOLS_TIMEOUT_MS", "15000", "tools: time a tool may run before it becomes a tool error"},
       {"NETOPS_TOOLS_RESULT_MAX_CHARS", "32000", "tools: a tool result is cut to this many characters for a model"},
       {"NETOPS_TOOLS_TEST_TOOLS", "false", "tools: register the test-only tool test_sleep (never in production)"},
       {"NETOPS_MCP_SESSION_TTL_S", "3600", "mcp: an idle MCP session expires after this many seconds"},
       {"NETOPS_MCP_ALLOWED_ORIGINS", "",
        "mcp: comma-separated Origins allowed besides localhost and the server's own host (e.g. https://ops.example.com)"}},
      [](ConfigReader& r, ToolsSettings& s) {
        r.number<int>("NETOPS_TOOLS_MAX_ROUNDS", s.max_rounds, 1, 50);
        r.number<long long>("NETOPS_TOOLS_MAX_TURN_TOKENS", s.max_turn_tokens, 1LL, 100000000LL);
        r.number<int>("NETOPS_TOOLS_TIMEOUT_MS", s.timeout_ms, 10, 600'000);
        r.number<int>("NETOPS_TOOLS_RESULT_MAX_CHARS", s.result_max_chars, 256, 1'000'000);
        r.boolean("NETOPS_TOOLS_TEST_TOOLS", s.test_tools);
        r.number<int>("NETOPS_MCP_SESSION_TTL_S", s.mcp_session_ttl_s, 10, 30 * 86400);
        if (auto v = r.str("NETOPS_MCP_ALLOWED_ORIGINS")) {
          std::string rest = *v;
          while (!rest.empty()) {
            auto comma = rest.find(',');
            std::string one = rest.substr(0, comma);
            rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
            while (!one.empty() && one.front() == ' ') one.erase(0, 1);
            while (!one.empty() && (one.back() == ' ' || one.back() == '/')) one.pop_back();
            if (one.empty()) continue;
            if (one.rfind("http://", 0) != 0 && one.rfind("https://", 0) != 0)
              r.problem("NETOPS_MCP_ALLOWED_ORIGINS: \"" + one + "\" must be an origin such as https://host[:port]");
            else
              s.mcp_allowed_origins.push_back(one);
          }
        }
      }};
  return s;
}

}  // namespace netops::tools
