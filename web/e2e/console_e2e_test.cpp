// ctest entry e2e_console: starts the real gateway (own database and Redis db, the console from build/web)
// and tools/mock-llm as its upstream, seeds what the journeys need through the API (a provider and its
// echo model, an asset category whose active spec has fields), then runs web/e2e/run.mjs, which drives
// Debian's Chromium headless shell with playwright-core. Skipped, with the reason, only when no Chromium
// is installed (script/bootstrap installs chromium-headless-shell).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "support/api.hpp"

using namespace netops::test;
namespace fs = std::filesystem;

namespace {

std::string firefox() {
  if (const char* e = std::getenv("NETOPS_FIREFOX"); e && *e) return ::access(e, X_OK) == 0 ? e : "";
  for (const char* p : {"/usr/lib/firefox-esr/firefox-esr", "/usr/lib/firefox/firefox"})
    if (::access(p, X_OK) == 0) return p;
  return "";
}

std::string chromium() {
  if (const char* e = std::getenv("NETOPS_CHROMIUM"); e && *e) return ::access(e, X_OK) == 0 ? e : "";
  for (const char* p : {"/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium-headless-shell",
                        "/usr/lib/chromium/chromium", "/usr/bin/chromium"})
    if (::access(p, X_OK) == 0) return p;
  return "";
}

json post(int port, const std::string& token, const std::string& path, const json& body) {
  HttpClient c(port);
  auto r = c.post(path, body, bearer(token));
  if (r.status != 200 && r.status != 201)
    throw std::runtime_error(path + " → " + std::to_string(r.status) + " " + r.body);
  return r.json();
}

}  // namespace

TEST(ConsoleE2E, JourneysInARealBrowser) {
  const std::string browser = chromium();
  if (browser.empty())
    GTEST_SKIP() << "no Chromium found (/usr/lib/chromium/chromium-headless-shell or NETOPS_CHROMIUM); "
                    "script/bootstrap installs Debian's chromium-headless-shell";
  const fs::path web = NETOPS_WEB_SOURCE_DIR;
  const fs::path built = NETOPS_WEB_BUILD_DIR;
  ASSERT_TRUE(fs::exists(built / "index.html"))
      << built << " has no index.html: build the console first (script/setup: npm ci && npm run build in web/)";
  ASSERT_TRUE(fs::exists(web / "node_modules/playwright-core"))
      << "web/node_modules is missing: script/setup runs npm ci in web/";

  MockLlmProcess mock({"--chunk-delay-us", "20000"});  // long-<n>: 300 words over ~6 s, so Stop has time
  ServerOptions o;
  o.suite = "e2e";
  o.env = {{"NETOPS_WEB_DIR", built.string()}, {"NETOPS_ACCOUNTING_FLUSH_MS", "50"}};
  ServerProcess server(o);
  server.start();
  const int port = server.port();
  auto admin = login_admin(server);

  post(port, admin.token, "/api/providers",
       {{"id", "mock"}, {"name", "Mock LLM"}, {"apiEndpoint", mock.url() + "/v1"}, {"authType", "bearer"},
        {"apiKey", "sk-e2e-secret-0123456789"}});
  post(port, admin.token, "/api/models",
       {{"id", "mock/echo"}, {"provider", "mock"}, {"tier", 0}, {"priority", 1}, {"costPer1kInput", "0.001"},
        {"costPer1kOutput", "0.002"}, {"supportsStreaming", true}, {"displayName", "Mock echo"}});
  post(port, admin.token, "/api/models",
       {{"id", "mock/long-300"}, {"provider", "mock"}, {"tier", 0}, {"priority", 500}, {"costPer1kInput", "0.001"},
        {"costPer1kOutput", "0.002"}, {"supportsStreaming", true}});
  auto cat = post(port, admin.token, "/api/v1/asset-categories", {{"name", "E2E switches"}});
  auto draft = post(port, admin.token, "/api/v1/asset-categories/" + cat["id"].get<std::string>() + "/spec-versions",
                    json::object());
  const std::string vid = draft["id"];
  post(port, admin.token, "/api/v1/spec-versions/" + vid + "/defs",
       {{"key", "ports"}, {"label", "Ports"}, {"fieldType", "integer"}, {"required", true}, {"minValue", 1},
        {"maxValue", 96}, {"sortOrder", 1}});
  post(port, admin.token, "/api/v1/spec-versions/" + vid + "/defs",
       {{"key", "formFactor"}, {"label", "Form factor"}, {"fieldType", "enum"}, {"enumValues", {"rack", "desktop"}},
        {"sortOrder", 2}});
  post(port, admin.token, "/api/v1/spec-versions/" + vid + "/defs",
       {{"key", "poe"}, {"label", "PoE"}, {"fieldType", "boolean"}, {"sortOrder", 3}});
  post(port, admin.token, "/api/v1/spec-versions/" + vid + "/publish", json::object());
  post(port, admin.token, "/api/v1/locations", {{"name", "HQ data centre"}});

  const std::string vars =
      "cd '" + web.string() + "' && E2E_BASE_URL='http://127.0.0.1:" + std::to_string(port) +
      "' E2E_ADMIN_LOGIN='" + kAdminEmail + "' E2E_ADMIN_PASSWORD='" + server.admin_password() +
      "' E2E_CHAT_MODEL='mock/echo' E2E_CATEGORY='E2E switches' E2E_CHROMIUM='" + browser + "' E2E_SHOTS='" +
      NETOPS_UI_SHOTS_DIR + "'";
  const std::string command = vars + " node e2e/run.mjs 2>&1";
  int status = std::system(command.c_str());
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  EXPECT_EQ(code, 0) << "web/e2e/run.mjs failed (output above); server log:\n" << server.output().substr(0, 20000);

  // The same server again in Firefox (Debian's firefox-esr driven over WebDriver BiDi by playwright-core,
  // no geckodriver): the journeys marked for both browsers. Skipped, with the reason, without firefox-esr.
  const std::string ff = firefox();
  if (ff.empty()) {
    std::printf("Firefox journeys skipped: no Firefox found (/usr/lib/firefox-esr/firefox-esr or NETOPS_FIREFOX); "
                "apt-get install firefox-esr\n");
    return;
  }
  const std::string ff_command = vars + " E2E_BROWSER=firefox E2E_FIREFOX='" + ff + "' node e2e/run.mjs 2>&1";
  status = std::system(ff_command.c_str());
  code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  EXPECT_EQ(code, 0) << "web/e2e/run.mjs failed in Firefox (output above); server log:\n"
                     << server.output().substr(0, 20000);
}
