// Requests that used to stop the process, hang a worker, escape a search or leak private text into the
// audit log (issue #10), sent through HTTP to the real server. After each, the server must still answer.
#include <gtest/gtest.h>

#include "support/api.hpp"

using namespace netops::test;

namespace {
// ~120 KB: far below every body limit, and 60,000 levels used to overflow a worker's stack.
std::string deep_array() { return std::string(60'000, '[') + std::string(60'000, ']'); }
}  // namespace

class SecurityInput : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = "security_input";
    o.env["NETOPS_IMPORT_MAX_ROWS"] = "5";
    start_server(o);
  }
  HttpResponse call(const std::string& method, const std::string& path, const std::string& body = "",
                    Headers extra = {}) {
    extra.emplace_back("Authorization", "Bearer " + admin_);
    if (!body.empty() && extra.size() == 1) extra.emplace_back("Content-Type", "application/json");
    return client.request(method, path, body, extra);
  }
  HttpResponse call(const std::string& method, const std::string& path, const json& body) {
    return call(method, path, body.dump());
  }
  void expect_alive() {
    HttpClient fresh(server_->port());
    EXPECT_EQ(fresh.get("/health/live").status, 200) << "the server died";
  }
};

TEST_F(SecurityInput, DeeplyNestedJsonIsA400Everywhere) {
  const std::string deep = deep_array();
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"/api/keys", R"({"name":"k","scopes":)" + deep + "}"},
      {"/api/conversations", R"({"title":"t","metadata":{"x":)" + deep + "}}"},
      {"/v1/chat/completions", R"({"model":"auto","messages":[{"role":"user","content":"hi"}],"tools":)" + deep + "}"},
      {"/api/completions", deep},
      {"/api/chat/messages", R"({"message":"hi","tools":)" + deep + "}"},
      {"/api/models", R"({"id":"x/y","provider":"x","capabilities":)" + deep + "}"},
  };
  for (auto& [path, body] : bodies) {
    auto r = call("POST", path, body);
    EXPECT_EQ(r.status, 400) << path << ": " << r.body.substr(0, 300);
    if (r.status == 400) {
      EXPECT_EQ(r.json()["error"]["code"], "VALIDATION_ERROR") << path;
    }
    expect_alive();
  }
  // A deep token header is refused as malformed, not copied.
  auto b64 = [](const std::string& in) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
      unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
      for (int k = 18; k >= 0; k -= 6) out.push_back(t[(v >> k) & 63]);
    }
    if (i < in.size()) {
      unsigned v = (unsigned char)in[i] << 16 | (i + 1 < in.size() ? (unsigned char)in[i + 1] << 8 : 0);
      out.push_back(t[(v >> 18) & 63]);
      out.push_back(t[(v >> 12) & 63]);
      if (i + 1 < in.size()) out.push_back(t[(v >> 6) & 63]);
    }
    return out;
  };
  std::string token = b64(std::string(3000, '[') + std::string(3000, ']')) + "." + b64("{}") + ".sig";
  auto r = client.get("/api/auth/me", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(r.status, 401) << r.body;
  expect_alive();
}

TEST_F(SecurityInput, AHugePriceStringIsRefusedNotMatchedByARegex) {
  auto p = call("POST", "/api/providers",
                json{{"id", "sec"}, {"name", "sec"}, {"apiEndpoint", "http://127.0.0.1:9/v1"}, {"authType", "bearer"}});
  ASSERT_EQ(p.status, 201) << p.body;
  auto r = call("POST", "/api/models",
                json{{"id", "sec/m"}, {"provider", "sec"}, {"tier", 0}, {"costPer1kInput", std::string(50'000, '7')}});
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 300);
  expect_alive();
}

TEST_F(SecurityInput, RulePatternsAreRe2) {
  auto bad = call("POST", "/api/orchestration",
                  json{{"name", "backref"}, {"strategy", "fallback"}, {"modelSequence", json::array()},
                       {"conditions", {{"pattern", "(a)\\1"}}}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  auto p = call("POST", "/api/providers",
                json{{"id", "dead"}, {"name", "dead"}, {"apiEndpoint", "http://127.0.0.1:9/v1"}, {"authType", "bearer"}});
  ASSERT_EQ(p.status, 201) << p.body;
  auto m = call("POST", "/api/models", json{{"id", "dead/m"}, {"provider", "dead"}, {"tier", 0}});
  ASSERT_EQ(m.status, 201) << m.body;
  // Exponential under a backtracking engine: a 40-character message used to freeze a worker for hours.
  auto rule = call("POST", "/api/orchestration",
                   json{{"name", "words"}, {"strategy", "fallback"}, {"modelSequence", {"dead/m"}},
                        {"conditions", {{"pattern", "^(\\w+\\s?)+$"}}}});
  ASSERT_EQ(rule.status, 201) << rule.body;
  auto r = call("POST", "/v1/chat/completions",
                json{{"model", "auto"},
                     {"messages", {{{"role", "user"}, {"content", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}}}}});
  EXPECT_GE(r.status, 500) << r.body;  // the only model is unreachable: what matters is that it answered
  expect_alive();
}

TEST_F(SecurityInput, SearchWildcardsAreLiteral) {
  auto conv = call("POST", "/api/conversations", json{{"title", "plain title"}});
  ASSERT_EQ(conv.status, 201) << conv.body;
  for (const char* path : {"/api/admin/users?search=%25", "/api/admin/users?search=_", "/api/conversations?search=%25",
                           "/api/conversations?search=_", "/api/providers?search=%25", "/api/models?search=_"}) {
    auto r = call("GET", path);
    ASSERT_EQ(r.status, 200) << path << r.body;
    EXPECT_EQ(r.json()["data"].size(), 0u) << path << " matched everything: " << r.body.substr(0, 300);
  }
  auto found = call("GET", "/api/conversations?search=ain%20ti");
  ASSERT_EQ(found.status, 200);
  EXPECT_EQ(found.json()["data"].size(), 1u);
}

TEST_F(SecurityInput, ChatTextStaysOutOfTheAuditLog) {
  auto conv = call("POST", "/api/conversations",
                   json{{"title", "secret-title-1"}, {"metadata", {{"systemPrompt", "secret-prompt-2"}}}});
  ASSERT_EQ(conv.status, 201) << conv.body;
  std::string id = conv.json()["id"];
  auto renamed = call("PATCH", "/api/conversations/" + id, json{{"title", "secret-title-3"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  std::string msg = sql("INSERT INTO messages (conversation_id, role, content) VALUES ('" + id +
                        "', 'user', 'secret-text-4') RETURNING id");
  auto edited = call("PATCH", "/api/conversations/" + id + "/messages/" + msg, json{{"content", "secret-text-5"}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  auto deleted = call("DELETE", "/api/conversations/" + id + "/messages/" + msg);
  ASSERT_EQ(deleted.status, 204) << deleted.body;
  EXPECT_EQ(sql("SELECT count(*) FROM audit_logs WHERE resource = 'conversation:" + id + "'"), "4");
  EXPECT_EQ(sql("SELECT count(*) FROM audit_logs WHERE details::text LIKE '%secret-%'"), "0")
      << sql("SELECT string_agg(details::text, ' | ') FROM audit_logs WHERE resource = 'conversation:" + id + "'");
  // The fact is there: what changed, how long it is, and a hash to compare.
  EXPECT_EQ(sql("SELECT details->'after'->>'length' FROM audit_logs WHERE action = 'conversation.message_edited'"),
            "13");
}

TEST_F(SecurityInput, CsvImportsAreBoundedInRowsAndColumns) {
  Headers csv{{"Content-Type", "text/csv"}};
  std::string rows = "assetCode\n";
  for (int i = 0; i < 6; ++i) rows += "SEC-" + std::to_string(i) + "\n";
  auto r = call("POST", "/api/v1/assets/import?dryRun=true", rows, csv);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("more than 5 data rows"), std::string::npos) << r.body;
  std::string header = "assetCode";
  for (int i = 0; i < 300; ++i) header += ",spec.k" + std::to_string(i);
  r = call("POST", "/api/v1/assets/import?dryRun=true", header + "\nA\n", csv);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("more than 256 columns"), std::string::npos) << r.body;
  // A million commas on one line: one row error naming its width, the process unharmed.
  r = call("POST", "/api/v1/assets/import?dryRun=true", "assetCode\n" + std::string(1'000'000, ','), csv);
  ASSERT_EQ(r.status, 422) << r.body.substr(0, 300);
  EXPECT_NE(r.body.find("has 1000001 fields"), std::string::npos) << r.body.substr(0, 300);
  expect_alive();
}

// Decoded URL text and header text reach SQL parameters: bytes that are not UTF-8 used to be a 500 from
// PostgreSQL, and NUL silently cut a value (libpq C strings). Now a 400 naming the parameter; a bad User-Agent
// is cleaned instead of failing the login.
TEST_F(SecurityInput, TextThatPostgresCannotStoreIsRefusedOrCleaned) {
  for (const char* path : {"/api/admin/users?search=%ff", "/api/v1/assets?search=%c3%28", "/api/conversations?search=%00",
                           "/api/v1/asset-models?spec.x%ff=1"}) {
    auto r = call("GET", path);
    EXPECT_EQ(r.status, 400) << path << ": " << r.body.substr(0, 300);
    if (r.status == 400) {
      EXPECT_EQ(r.json()["error"]["code"], "VALIDATION_ERROR") << path;
    }
  }
  auto nul = call("POST", "/api/conversations", std::string(R"({"title":"a\u0000b"})"));
  EXPECT_EQ(nul.status, 400) << nul.body;
  auto literal = call("POST", "/api/conversations", std::string(R"({"title":"a\\u0000b"})"));
  ASSERT_EQ(literal.status, 201) << literal.body;
  EXPECT_EQ(literal.json()["title"], "a\\u0000b");

  HttpClient c(server_->port());
  auto login = c.request("POST", "/api/auth/login",
                         json{{"email", "admin@example.com"}, {"password", server_->admin_password()}}.dump(),
                         {{"Content-Type", "application/json"}, {"User-Agent", "agent\xff\xfe 1.0"}});
  ASSERT_EQ(login.status, 200) << login.body;
  std::string sid = login.json()["sessionId"];
  EXPECT_EQ(sql("SELECT user_agent FROM sessions WHERE id = '" + sid + "'"), "agent?? 1.0");
  expect_alive();
}
