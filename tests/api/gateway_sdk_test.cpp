// The official Anthropic and OpenAI Node SDKs (pinned in tests/sdk/package-lock.json, installed by
// script/setup) against the gateway, through tests/sdk/sdk_check.mjs. Skipped when node or the installed
// packages are missing.
#include <cstdio>
#include <filesystem>

#include "gateway_fixture.hpp"

using namespace gwtest;
namespace fs = std::filesystem;

namespace {
// tests/sdk of the checkout the test runs in: the first ancestor of the working directory that has it.
std::optional<fs::path> sdk_dir() {
  for (fs::path p = fs::current_path(); !p.empty(); p = p.parent_path()) {
    if (fs::exists(p / "tests/sdk/sdk_check.mjs")) return p / "tests/sdk";
    if (p == p.parent_path()) break;
  }
  return std::nullopt;
}
std::string run(const std::string& cmd) {
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) return out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, f)) out.append(buf, n);
  pclose(f);
  return out;
}
}  // namespace

TEST(GatewaySdk, OfficialSdksWorkUnchanged) {
  auto dir = sdk_dir();
  if (!dir || !fs::exists(*dir / "node_modules/@anthropic-ai/sdk") || !fs::exists(*dir / "node_modules/openai"))
    GTEST_SKIP() << "tests/sdk is not installed (script/setup runs npm ci there)";
  if (run("command -v node").empty()) GTEST_SKIP() << "node is not installed";
  GatewayEnv env;
  env.start("gateway_sdk", {{"NETOPS_ACCOUNTING_FLUSH_MS", "50"}, {"NETOPS_RATE_LIMIT_FREE", "100000"}});
  env.provider("mocka", env.mock_url() + "/v1", "bearer");
  env.provider("mockant", env.mock_url(), "x-api-key");
  env.model("mocka/echo", "mocka", 0, {{"priority", 1}});
  env.model("mocka/tools", "mocka", 1, {{"priority", 500}});
  env.model("mockant/echo", "mockant", 1, {{"priority", 500}});
  env.model("mockant/tools", "mockant", 1, {{"priority", 500}});
  env.model("mocka/embed", "mocka", 0, {{"priority", 500}, {"capabilities", {{"embeddings", true}}}});
  HttpClient c(env.server->port());
  auto key = c.post("/api/keys", {{"name", "sdk"}}, env.admin());
  ASSERT_EQ(key.status, 201) << key.body;
  std::string cmd = "cd '" + dir->string() + "' && NETOPS_GATEWAY_URL=http://127.0.0.1:" +
                    std::to_string(env.server->port()) + " NETOPS_KEY=" + key.json()["key"].get<std::string>() +
                    " timeout 120 node sdk_check.mjs 2>&1";
  auto out = run(cmd);
  EXPECT_NE(out.find("all ok"), std::string::npos) << out;
  // The SDK calls were accounted like any other.
  // (accounting writes in batches: poll until the batch of the last call has landed)
  EXPECT_TRUE(eventually([&] { return env.sql("SELECT count(*) FROM usage_logs WHERE model_id = 'mocka/embed'") != "0"; },
                         10000, "the embeddings calls' usage rows"));
}
