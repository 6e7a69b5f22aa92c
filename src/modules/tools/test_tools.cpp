// Test-only tools, registered when NETOPS_TOOLS_TEST_TOOLS=true (the API tests; never production):
// test_sleep waits `ms` and has a 300 ms timeout, so a test can see a tool time out.
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "modules/tools/builtin.hpp"

namespace netops::tools {

using nlohmann::json;

void add_test_tools(Registry& r, const ToolDeps&) {
  r.add(Tool{
      .name = "test_sleep",
      .title = "Sleep (test only)",
      .description = "Test only: waits `ms` milliseconds, then answers {\"slept\": ms}. Times out after 300 ms.",
      .input_schema = {{"type", "object"},
                       {"properties", {{"ms", {{"type", "integer"}, {"minimum", 0}, {"maximum", 60000}}}}},
                       {"required", {"ms"}},
                       {"additionalProperties", false}},
      .output_schema = {{"type", "object"}, {"properties", {{"slept", {{"type", "integer"}}}}}},
      .min_role = Role::user,
      .read_only = true,
      .timeout = std::chrono::milliseconds(300),
      .run = [](const json& a, const Caller&) -> Task<json> {
        int ms = a["ms"].get<int>();
        boost::asio::steady_timer t(co_await boost::asio::this_coro::executor);
        t.expires_after(std::chrono::milliseconds(ms));
        co_await t.async_wait(boost::asio::use_awaitable);
        co_return json{{"slept", ms}};
      },
  });
}

}  // namespace netops::tools
