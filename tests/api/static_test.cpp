// The web console's files served by the gateway (http/static_files.hpp): SPA fallback only outside the
// API's prefixes, cache rules, precompressed files, CSP, conditional requests, and no way out of the
// console's directory. The server gets its own console directory (NETOPS_WEB_DIR) with known bytes.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "http/static_files.hpp"
#include "support/api.hpp"

using namespace netops::test;
namespace fs = std::filesystem;

namespace {

const std::string kIndex = "<!doctype html><title>console</title><div id=app></div>";
const std::string kJs = "console.log('app');";
const std::string kJsGz = std::string("\x1f\x8b fake gzip bytes", 17);
const std::string kJsBr = "fake brotli bytes";
const std::string kSecret = "top secret outside the web directory";

void write(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

fs::path root() { return fs::temp_directory_path() / ("netops-static-test-" + std::to_string(::getpid())); }

}  // namespace

class Static : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    fs::remove_all(root());
    write(root() / "web/index.html", kIndex);
    write(root() / "web/index.html.gz", "gzipped index");
    write(root() / "web/assets/app-1a2b3c.js", kJs);
    write(root() / "web/assets/app-1a2b3c.js.gz", kJsGz);
    write(root() / "web/assets/app-1a2b3c.js.br", kJsBr);
    write(root() / "web/favicon.svg", "<svg/>");
    write(root() / "secret.txt", kSecret);
    fs::create_symlink(root() / "secret.txt", root() / "web/linked.txt");
    fs::create_directory_symlink(root(), root() / "web/up");
    ServerOptions o;
    o.suite = "static";
    o.env = {{"NETOPS_WEB_DIR", (root() / "web").string()}};
    start_server(o);
  }
  static void TearDownTestSuite() {
    ApiTest::TearDownTestSuite();
    fs::remove_all(root());
  }
};

TEST_F(Static, RootAndClientRoutesServeTheShellUncached) {
  for (const char* path : {"/", "/chat", "/chat/2f1c7e4a-1111-4222-8333-944445555666", "/admin/keys?x=1",
                           "/assets/list/"}) {
    auto r = client.get(path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, kIndex) << path;
    EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(r.header("cache-control"), "no-cache");
    EXPECT_FALSE(r.header("etag").empty());
    auto csp = r.header("content-security-policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  }
  EXPECT_EQ(client.get("/index.html").body, kIndex);
}

TEST_F(Static, ApiPrefixesNeverFallBackToTheShell) {
  for (const char* path : {"/api", "/api/nothing-here", "/api/v1/no-such-module", "/v1", "/v1/nothing", "/mcp/x",
                           "/docs/nothing", "/metrics/x", "/health/nothing"}) {
    auto r = client.get(path);
    EXPECT_EQ(r.status, 404) << path << " " << r.body;
    EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos) << path;
    EXPECT_EQ(r.json()["error"]["code"], "NOT_FOUND") << path;
  }
  // GET /mcp is the MCP endpoint's own answer (405: no server-sent stream), not the shell.
  auto mcp = client.get("/mcp");
  EXPECT_EQ(mcp.status, 405) << mcp.body;
  EXPECT_NE(mcp.header("content-type").find("application/json"), std::string::npos);
  // The API's own routes still answer as before.
  EXPECT_EQ(client.get("/health/live").status, 200);
  EXPECT_NE(client.get("/docs/json").header("content-type").find("application/json"), std::string::npos);
  // Other methods on the console's paths are the API's 404, not the shell.
  auto post = client.post("/chat", nlohmann::json::object());
  EXPECT_EQ(post.status, 404);
  EXPECT_EQ(post.json()["error"]["code"], "NOT_FOUND");
}

TEST_F(Static, HashedAssetsAreImmutableAndPrecompressed) {
  auto plain = client.get("/assets/app-1a2b3c.js");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.body, kJs);
  EXPECT_EQ(plain.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(plain.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(plain.header("content-encoding"), "");
  EXPECT_EQ(plain.header("vary"), "Accept-Encoding");

  auto gz = client.get("/assets/app-1a2b3c.js", {{"Accept-Encoding", "gzip, deflate"}});
  EXPECT_EQ(gz.header("content-encoding"), "gzip");
  EXPECT_EQ(gz.body, kJsGz);
  auto br = client.get("/assets/app-1a2b3c.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(br.header("content-encoding"), "br");
  EXPECT_EQ(br.body, kJsBr);
  auto no_br = client.get("/assets/app-1a2b3c.js", {{"Accept-Encoding", "br;q=0, gzip;q=0.5"}});
  EXPECT_EQ(no_br.header("content-encoding"), "gzip");
  auto identity = client.get("/assets/app-1a2b3c.js", {{"Accept-Encoding", "identity"}});
  EXPECT_EQ(identity.body, kJs);
  // index.html has only a .gz beside it.
  auto index_br = client.get("/", {{"Accept-Encoding", "br"}});
  EXPECT_EQ(index_br.body, kIndex);
  EXPECT_EQ(client.get("/", {{"Accept-Encoding", "br, gzip"}}).header("content-encoding"), "gzip");
  // The compressed files are not files of their own.
  EXPECT_EQ(client.get("/assets/app-1a2b3c.js.gz").status, 404);
}

TEST_F(Static, ConditionalRequestsAndHead) {
  auto first = client.get("/assets/app-1a2b3c.js");
  auto again = client.get("/assets/app-1a2b3c.js", {{"If-None-Match", first.header("etag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  // HEAD: the headers of GET with no body (raw bytes: the kit's client would wait for the announced body).
  auto head = client.raw("HEAD /chat HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head;
  EXPECT_NE(head.find("Content-Length: " + std::to_string(kIndex.size())), std::string::npos) << head;
  EXPECT_EQ(head.find("<title>"), std::string::npos) << head;
}

TEST_F(Static, MissingFilesAreNotFoundAndNothingOutsideIsReachable) {
  EXPECT_EQ(client.get("/assets/missing-000.js").status, 404);
  EXPECT_EQ(client.get("/robots.txt").status, 404);
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                           "/linked.txt", "/up/secret.txt", "/up/web/index.html", "//secret.txt",
                           "/assets/..%5c..%5csecret.txt"}) {
    auto r = client.get(path);
    EXPECT_EQ(r.body.find("top secret"), std::string::npos) << path;
    EXPECT_NE(r.status, 500) << path;
  }
  auto raw = client.raw("GET /../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw.find("top secret"), std::string::npos);
  EXPECT_EQ(client.get("/favicon.svg").header("content-type"), "image/svg+xml");
}

// The two rules as functions (no server needed).
TEST(StaticRules, ReservedPrefixesAreWholeSegments) {
  using netops::http::reserved_path;
  for (const char* p : {"/api", "/api/", "/api/x", "/v1", "/v1/models", "/mcp", "/docs", "/docs/json", "/metrics",
                        "/health", "/health/ready"})
    EXPECT_TRUE(reserved_path(p)) << p;
  for (const char* p : {"/", "/apis", "/api-keys", "/v10", "/documents", "/healthy", "/chat", "/assets/api"})
    EXPECT_FALSE(reserved_path(p)) << p;
}

TEST(StaticRules, EncodingNegotiation) {
  using netops::http::pick_encoding;
  EXPECT_EQ(pick_encoding("gzip, deflate, br", true, true), "br");
  EXPECT_EQ(pick_encoding("gzip, deflate, br", false, true), "gzip");
  EXPECT_EQ(pick_encoding("br;q=0, gzip", true, true), "gzip");
  EXPECT_EQ(pick_encoding("br;q=0.0, gzip;q=0", true, true), "");
  EXPECT_EQ(pick_encoding("BR", true, false), "br");
  EXPECT_EQ(pick_encoding("identity", true, true), "");
  EXPECT_EQ(pick_encoding("", true, true), "");
  EXPECT_EQ(pick_encoding("gzip;q=0.5", true, true), "gzip");
}
