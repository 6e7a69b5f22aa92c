// The caller's own AI usage: my_usage — ChatService::user_stats, exactly as GET /api/stats/chat/user
// (chat messages by model, and all gateway usage from user_token_stats, with exact costs).
#include <chrono>

#include "core/dates.hpp"
#include "modules/tools/builtin.hpp"

namespace netops::tools {

using nlohmann::json;

void add_usage_tools(Registry& r, const ToolDeps& d) {
  auto chat = d.chat;
  r.add(Tool{
      .name = "my_usage",
      .title = "My AI usage and spend",
      .description =
          "The caller's own AI usage over the last `days` days (UTC, today included): chat messages, tokens and "
          "exact cost in USD by model, and all gateway calls (chat, completions API, MCP-driven) by model and "
          "provider. Only ever the caller's own numbers.",
      .input_schema = {{"type", "object"},
                       {"properties",
                        {{"days", {{"type", "integer"}, {"minimum", 1}, {"maximum", 366},
                                   {"description", "the period, ending today (default 30)"}}}}},
                       {"additionalProperties", false}},
      .output_schema = {{"type", "object"},
                        {"properties", {{"userId", {{"type", "string"}}}, {"totals", {{"type", "object"}}}}}},
      .min_role = Role::user,
      .read_only = true,
      .run = [chat](const json& a, const Caller& by) -> Task<json> {
        using std::chrono::days;
        auto today = std::chrono::floor<days>(std::chrono::system_clock::now());
        int n = a.value("days", 30);
        std::string start = iso_date(today - days(n - 1)), end = iso_date(today);
        auto stats = co_await chat->user_stats(by.user_id, start, end);
        co_return to_json(stats);
      },
  });
}

}  // namespace netops::tools
