// Models, providers, orchestration rules, usage logs and /v1/models through HTTP against the real server.
#include <gtest/gtest.h>

#include <set>

#include "support/api.hpp"

using namespace netops::test;

namespace {
// Provider keys: none may ever show up in a response body, the audit log or the server's log.
const std::string kSeedKey = "sk-seedSECRET-openai-00011122233344";
const std::string kKey = "sk-acmeSECRET-first-abcdefghij1234";
const std::string kKey2 = "sk-acmeSECRET-second-zyxwvu5678";
// Midnight of the current UTC day, whatever the test connection's time zone.
const std::string kToday = "(date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')";
const std::string kTodayUtc = "date_trunc('day', now() AT TIME ZONE 'UTC')";

std::set<std::string> error_fields(const HttpResponse& r) {
  std::set<std::string> out;
  auto j = r.json();  // a named copy: iterating into a temporary's member would dangle
  for (auto& e : j["error"]["details"]["errors"]) out.insert(e["field"].get<std::string>());
  return out;
}
}  // namespace

class Models : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = "models";
    o.env["OPENAI_API_KEY"] = kSeedKey;
    o.env["NETOPS_RATE_LIMIT_FREE"] = "0";
    start_server(o);
  }
  HttpResponse call(const std::string& method, const std::string& path, const json& body = nullptr,
                    Headers extra = {}, const std::string& token = admin_) {
    if (!token.empty()) extra.emplace_back("Authorization", "Bearer " + token);
    auto r = client.request(method, path, body.is_null() ? "" : body.dump(), extra);
    bodies_ += r.body;
    return r;
  }
  void provider(const std::string& id) {
    auto r = call("POST", "/api/providers",
                  {{"id", id}, {"name", id}, {"apiEndpoint", "http://127.0.0.1:9/v1"}, {"authType", "bearer"}});
    ASSERT_EQ(r.status, 201) << r.body;
  }
  void model(const std::string& id, const std::string& prov, int tier = 0) {
    auto r = call("POST", "/api/models", {{"id", id}, {"provider", prov}, {"tier", tier}});
    ASSERT_EQ(r.status, 201) << r.body;
  }
  void expect_no_secrets() {
    for (auto* k : {&kSeedKey, &kKey, &kKey2}) {
      EXPECT_EQ(bodies_.find(*k), std::string::npos) << "a response contains a provider key";
      EXPECT_EQ(server_->output().find(*k), std::string::npos) << "the server log contains a provider key";
      EXPECT_EQ(bodies_.find(k->substr(0, 13)), std::string::npos);
    }
  }
  static inline std::string bodies_;  // every response body seen, searched for keys
};

TEST_F(Models, SeededOpenAIProviderKeepsItsKeyEncrypted) {
  auto r = call("GET", "/api/providers/openai");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["apiEndpoint"], "https://api.openai.com/v1");
  EXPECT_EQ(r.json()["hasApiKey"], true);
  EXPECT_EQ(r.json()["apiKeyHint"], "sk-\xE2\x80\xA6" + kSeedKey.substr(kSeedKey.size() - 4));
  auto stored = sql("SELECT api_key FROM ai_providers WHERE id = 'openai'");
  EXPECT_EQ(stored.rfind("v1:", 0), 0u);
  EXPECT_EQ(stored.find(kSeedKey), std::string::npos);
  auto m = call("GET", "/api/models/openai/gpt-4o");
  ASSERT_EQ(m.status, 200) << m.body;
  EXPECT_EQ(m.json()["tier"], 2);
  EXPECT_EQ(m.json()["costPer1kInput"], "0.002500");
  EXPECT_EQ(call("GET", "/api/models?provider=openai").json()["meta"]["total"], 4);
  expect_no_secrets();
}

TEST_F(Models, ProviderCrudNeverReturnsTheKey) {
  Headers rid = {{"X-Request-Id", "req-provider-create-1"}};
  auto r = call("POST", "/api/providers",
                {{"id", "acme"}, {"name", "Acme AI"}, {"apiEndpoint", "https://api.acme.test/v1/"},
                 {"authType", "bearer"}, {"apiKey", kKey}, {"rateLimitPerMinute", 60}, {"metadata", {{"team", "x"}}}},
                rid);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["apiEndpoint"], "https://api.acme.test/v1");
  EXPECT_EQ(r.json()["hasApiKey"], true);
  EXPECT_EQ(r.json()["apiKeyHint"], "sk-\xE2\x80\xA6" "1234");
  EXPECT_FALSE(r.json().contains("apiKey"));
  auto stored = sql("SELECT api_key FROM ai_providers WHERE id = 'acme'");
  EXPECT_EQ(stored.rfind("v1:", 0), 0u);
  EXPECT_EQ(stored.find(kKey), std::string::npos);

  auto dup = call("POST", "/api/providers",
                  {{"id", "acme"}, {"name", "Again"}, {"apiEndpoint", "https://x.test"}, {"authType", "bearer"},
                   {"apiKey", kKey}});
  EXPECT_EQ(dup.status, 409);

  auto got = call("GET", "/api/providers/acme");
  ASSERT_EQ(got.status, 200);
  auto etag = got.header("etag");
  ASSERT_FALSE(etag.empty());
  auto list = call("GET", "/api/providers?search=acme");
  EXPECT_EQ(list.json()["meta"]["total"], 1);
  EXPECT_EQ(list.json()["data"][0]["id"], "acme");

  auto stale = call("PATCH", "/api/providers/acme", {{"name", "Acme"}}, {{"If-Match", "W/\"stale\""}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(stale.json()["error"]["code"], "PRECONDITION_FAILED");
  auto upd = call("PATCH", "/api/providers/acme", {{"name", "Acme 2"}, {"apiKey", kKey2}}, {{"If-Match", etag}});
  ASSERT_EQ(upd.status, 200) << upd.body;
  EXPECT_EQ(upd.json()["name"], "Acme 2");
  EXPECT_EQ(upd.json()["apiKeyHint"], "sk-\xE2\x80\xA6" "5678");
  EXPECT_EQ(call("PATCH", "/api/providers/acme", {{"name", "Acme 3"}}, {{"If-Match", etag}}).status, 412);
  // PUT back what GET returned (read-only fields are ignored), then remove the key.
  auto put = call("PUT", "/api/providers/acme", call("GET", "/api/providers/acme").json());
  EXPECT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json()["hasApiKey"], true);
  // The stored key never follows the endpoint to another server: moving it needs the key again.
  auto moved = call("PATCH", "/api/providers/acme", {{"apiEndpoint", "https://collector.evil.test/v1"}});
  EXPECT_EQ(moved.status, 400) << moved.body;
  EXPECT_NE(moved.body.find("apiKey"), std::string::npos);
  EXPECT_EQ(call("PATCH", "/api/providers/acme", {{"apiEndpoint", "https://api.acme.test/v2"}}).status, 200);  // same origin
  auto rekeyed = call("PATCH", "/api/providers/acme", {{"apiEndpoint", "https://api2.acme.test/v1"}, {"apiKey", kKey2}});
  EXPECT_EQ(rekeyed.status, 200) << rekeyed.body;
  auto cleared = call("PATCH", "/api/providers/acme", {{"apiKey", nullptr}});
  EXPECT_EQ(cleared.json()["hasApiKey"], false);
  EXPECT_TRUE(cleared.json()["apiKeyHint"].is_null());
  EXPECT_EQ(sql("SELECT count(*) FROM ai_providers WHERE id = 'acme' AND api_key IS NULL"), "1");

  auto audit = call("GET", "/api/admin/audit-logs?resource=provider:acme");
  ASSERT_EQ(audit.status, 200);
  std::set<std::string> actions;
  auto audit_rows = audit.json();
  for (auto& a : audit_rows["data"]) actions.insert(a["action"].get<std::string>());
  EXPECT_TRUE(actions.count("provider.created") && actions.count("provider.updated"));
  auto created = call("GET", "/api/admin/audit-logs?action=provider.created&resource=provider:acme").json()["data"][0];
  EXPECT_EQ(created["correlationId"], "req-provider-create-1");
  EXPECT_EQ(created["details"]["after"]["name"], "Acme AI");
  EXPECT_EQ(call("DELETE", "/api/providers/acme").status, 204);
  EXPECT_EQ(call("GET", "/api/providers/acme").status, 404);
  expect_no_secrets();
}

TEST_F(Models, ProviderValidationReportsEveryFieldAndNeverTheKey) {
  auto r = call("POST", "/api/providers",
                {{"id", "Bad Id"}, {"name", ""}, {"apiEndpoint", "ftp://x"}, {"authType", "basic"},
                 {"apiKey", "has space " + kKey}, {"status", "on"}, {"rateLimitPerMinute", 0},
                 {"capabilities", "x"}, {"metadata", json::array()}, {"api_key", "typo"}});
  ASSERT_EQ(r.status, 400) << r.body;
  std::set<std::string> want = {"id", "name", "apiEndpoint", "authType", "apiKey", "status",
                                "rateLimitPerMinute", "capabilities", "metadata", "api_key"};
  EXPECT_EQ(error_fields(r), want);
  EXPECT_EQ(error_fields(call("POST", "/api/providers", json::object())),
            (std::set<std::string>{"id", "name", "apiEndpoint", "authType"}));
  auto creds = call("POST", "/api/providers", {{"id", "cred"}, {"name", "c"}, {"apiEndpoint", "https://u:p@h.test/v1"},
                                               {"authType", "bearer"}});
  EXPECT_EQ(error_fields(creds), std::set<std::string>{"apiEndpoint"});
  expect_no_secrets();
}

TEST_F(Models, ProviderInUseCannotBeDeleted) {
  provider("busy");
  model("busy/m1", "busy");
  auto r = call("DELETE", "/api/providers/busy");
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("busy/m1"), std::string::npos);
  EXPECT_EQ(r.json()["error"]["details"]["models"], json::array({"busy/m1"}));
  EXPECT_EQ(call("DELETE", "/api/models/busy/m1").status, 204);
  EXPECT_EQ(call("DELETE", "/api/providers/busy").status, 204);
}

TEST_F(Models, ModelCrudWithSlashIdsExactPricesAndIfMatch) {
  provider("labs");
  auto r = call("POST", "/api/models",
                {{"id", "labs/alpha-1"}, {"provider", "labs"}, {"tier", 1}, {"costPer1kInput", "0.0025"},
                 {"costPer1kOutput", 0.01}, {"costPer1kCacheRead", 1e-05}, {"contextWindow", 128000},
                 {"capabilities", {{"upstreamModel", "alpha-1-2024"}}}, {"supportsStreaming", true}},
                {{"X-Request-Id", "req-model-create"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["costPer1kInput"], "0.002500");
  EXPECT_EQ(r.json()["costPer1kOutput"], "0.010000");
  EXPECT_EQ(r.json()["costPer1kCacheRead"], "0.000010");
  EXPECT_TRUE(r.json()["costPer1kCacheWrite"].is_null());
  EXPECT_EQ(r.json()["upstreamModel"], "alpha-1-2024");
  EXPECT_EQ(sql("SELECT cost_per_1k_input::text FROM model_configs WHERE id = 'labs/alpha-1'"), "0.002500");
  EXPECT_EQ(call("POST", "/api/models", {{"id", "labs/alpha-1"}, {"provider", "labs"}, {"tier", 1}}).status, 409);

  auto a = call("GET", "/api/models/labs/alpha-1");
  auto b = call("GET", "/api/models/labs%2Falpha-1");
  ASSERT_EQ(a.status, 200) << a.body;
  ASSERT_EQ(b.status, 200) << b.body;
  EXPECT_EQ(a.json(), b.json());
  auto etag = a.header("etag");
  EXPECT_EQ(etag, b.header("etag"));

  EXPECT_EQ(call("PATCH", "/api/models/labs%2Falpha-1", {{"tier", 2}}, {{"If-Match", "W/\"nope\""}}).status, 412);
  auto upd = call("PATCH", "/api/models/labs%2Falpha-1", {{"tier", 2}, {"costPer1kInput", nullptr}}, {{"If-Match", etag}});
  ASSERT_EQ(upd.status, 200) << upd.body;
  EXPECT_EQ(upd.json()["tier"], 2);
  EXPECT_TRUE(upd.json()["costPer1kInput"].is_null());
  EXPECT_EQ(call("GET", "/api/models/labs/alpha-1").json()["tier"], 2) << "the cached copy was invalidated";
  EXPECT_EQ(call("PATCH", "/api/models/labs/alpha-1", {{"id", "labs/other"}}).status, 400);
  auto audit = call("GET", "/api/admin/audit-logs?action=model.updated&resource=model:labs/alpha-1").json()["data"][0];
  EXPECT_EQ(audit["details"]["changes"]["tier"], json({{"before", 1}, {"after", 2}}));

  // Three segments, as OpenRouter ids have.
  model("labs/org/beta", "labs", 3);
  EXPECT_EQ(call("GET", "/api/models/labs/org/beta").json()["upstreamModel"], "org/beta");
  EXPECT_EQ(call("GET", "/api/models/labs%2Forg%2Fbeta").status, 200);
  EXPECT_EQ(call("GET", "/api/models/labs/org/beta/performance").json()["requests"], 0);
  auto list = call("GET", "/api/models?provider=labs&sort=-tier");
  EXPECT_EQ(list.json()["meta"]["total"], 2);
  EXPECT_EQ(list.json()["data"][0]["id"], "labs/org/beta");
  EXPECT_EQ(call("GET", "/api/models?provider=labs&tier=2").json()["data"][0]["id"], "labs/alpha-1");
  EXPECT_EQ(call("GET", "/api/models?tier=9").status, 400);
  EXPECT_EQ(call("GET", "/api/models?sort=bogus").status, 400);

  EXPECT_EQ(call("DELETE", "/api/models/labs/org/beta").status, 204);
  EXPECT_EQ(call("DELETE", "/api/models/labs%2Falpha-1").status, 204);
  EXPECT_EQ(call("GET", "/api/models/labs/alpha-1").status, 404);
  EXPECT_EQ(call("DELETE", "/api/models/labs/alpha-1").status, 404);
}

TEST_F(Models, ModelValidationAndUnknownProvider) {
  auto r = call("POST", "/api/models",
                {{"id", "bad id/x"}, {"provider", "Nope!"}, {"tier", 4}, {"contextWindow", 0},
                 {"costPer1kInput", "-1"}, {"costPer1kOutput", "0.1234567"}, {"enabled", "yes"},
                 {"status", "gone"}, {"capabilities", {{"upstreamModel", 5}}}});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_fields(r), (std::set<std::string>{"id", "provider", "tier", "contextWindow", "costPer1kInput",
                                                     "costPer1kOutput", "enabled", "status", "capabilities.upstreamModel"}));
  EXPECT_EQ(error_fields(call("POST", "/api/models", json::object())),
            (std::set<std::string>{"id", "provider", "tier"}));
  EXPECT_EQ(call("POST", "/api/models", {{"id", "x/performance"}, {"provider", "openai"}, {"tier", 0}}).status, 400);
  auto missing = call("POST", "/api/models", {{"id", "ghost/m"}, {"provider", "ghost"}, {"tier", 0}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.json()["error"]["code"], "UNPROCESSABLE");
}

TEST_F(Models, OrchestrationRulesAreValidated) {
  provider("orch");
  model("orch/a", "orch", 0);
  model("orch/b", "orch", 2);
  json base = {{"name", "code"}, {"strategy", "fallback"}, {"modelSequence", {"orch/a", "orch/b"}}};
  auto bad_regex = base;
  bad_regex["conditions"] = {{"pattern", "([a-z"}};
  auto r = call("POST", "/api/orchestration", bad_regex);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_fields(r), std::set<std::string>{"conditions.pattern"});
  auto unknown_key = base;
  unknown_key["conditions"] = {{"foo", 1}, {"complexity", 7}, {"roles", {"root"}}};
  EXPECT_EQ(error_fields(call("POST", "/api/orchestration", unknown_key)),
            (std::set<std::string>{"conditions.foo", "conditions.complexity", "conditions.roles"}));
  auto unknown_model = base;
  unknown_model["modelSequence"] = {"orch/a", "nope/x", "nope/y"};
  auto u = call("POST", "/api/orchestration", unknown_model);
  ASSERT_EQ(u.status, 422) << u.body;
  EXPECT_EQ(u.json()["error"]["details"]["unknownModels"], json::array({"nope/x", "nope/y"}));
  auto weights = base;
  weights["strategy"] = "load_balance";
  weights["metadata"] = {{"weights", {{"orch/a", 2}, {"orch/c", 1}}}};
  EXPECT_EQ(error_fields(call("POST", "/api/orchestration", weights)), std::set<std::string>{"metadata.weights.orch/c"});
  EXPECT_EQ(error_fields(call("POST", "/api/orchestration", json::object())),
            (std::set<std::string>{"name", "strategy", "modelSequence"}));

  auto good = base;
  good["priority"] = 50;
  good["conditions"] = {{"pattern", "\\b(python|rust)\\b"}, {"complexity", {2, 3}}, {"userTiers", {"pro"}},
                        {"minPromptTokens", 10}, {"requiresTools", false}};
  auto created = call("POST", "/api/orchestration", good);
  ASSERT_EQ(created.status, 201) << created.body;
  auto first = base;
  first["name"] = "first";
  first["priority"] = 10;
  ASSERT_EQ(call("POST", "/api/orchestration", first).status, 201);
  auto list = call("GET", "/api/orchestration");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["data"][0]["name"], "first");
  EXPECT_EQ(list.json()["data"][1]["name"], "code");

  std::string id = created.json()["id"];
  auto got = call("GET", "/api/orchestration/" + id);
  EXPECT_EQ(call("PATCH", "/api/orchestration/" + id, {{"enabled", false}}, {{"If-Match", "W/\"x\""}}).status, 412);
  auto upd = call("PATCH", "/api/orchestration/" + id, {{"enabled", false}}, {{"If-Match", got.header("etag")}});
  ASSERT_EQ(upd.status, 200) << upd.body;
  EXPECT_EQ(upd.json()["enabled"], false);
  EXPECT_EQ(upd.json()["conditions"]["complexity"], json::array({2, 3}));
  EXPECT_EQ(call("PATCH", "/api/orchestration/" + id, {{"conditions", {{"maxPromptTokens", 5}, {"minPromptTokens", 9}}}}).status, 400);

  auto in_use = call("DELETE", "/api/models/orch/b");
  EXPECT_EQ(in_use.status, 409);
  EXPECT_NE(in_use.json()["error"]["message"].get<std::string>().find("code"), std::string::npos);
  EXPECT_EQ(call("GET", "/api/orchestration/not-a-uuid").status, 400);
  EXPECT_EQ(call("DELETE", "/api/orchestration/" + id).status, 204);
  EXPECT_EQ(call("GET", "/api/orchestration/" + id).status, 404);
  EXPECT_EQ(call("GET", "/api/admin/audit-logs?action=rule.deleted&resource=rule:" + id).json()["meta"]["total"], 1);
}

TEST_F(Models, UsersReadAdminsWrite) {
  auto u = call("POST", "/api/admin/users",
                {{"email", "reader@example.com"}, {"name", "Reader"}, {"password", "password-123"}, {"role", "user"}});
  ASSERT_EQ(u.status, 201) << u.body;
  auto login = call("POST", "/api/auth/login", {{"email", "reader@example.com"}, {"password", "password-123"}}, {}, "");
  std::string token = login.json()["accessToken"];
  for (auto* path : {"/api/models", "/api/providers", "/api/orchestration", "/v1/models", "/api/models/openai/gpt-4o",
                     "/api/providers/openai/credits"})
    EXPECT_EQ(call("GET", path, nullptr, {}, token).status, 200) << path;
  EXPECT_EQ(call("POST", "/api/models", {{"id", "openai/x"}, {"provider", "openai"}, {"tier", 0}}, {}, token).status, 403);
  EXPECT_EQ(call("POST", "/api/providers", json::object(), {}, token).status, 403);
  EXPECT_EQ(call("PATCH", "/api/models/openai/gpt-4o", {{"tier", 0}}, {}, token).status, 403);
  EXPECT_EQ(call("POST", "/api/orchestration", json::object(), {}, token).status, 403);
  EXPECT_EQ(call("GET", "/api/usage/logs", nullptr, {}, token).status, 403);
  EXPECT_EQ(call("GET", "/api/providers/openai/health", nullptr, {}, token).status, 403);
  EXPECT_EQ(call("GET", "/api/models", nullptr, {}, "").status, 401);
  EXPECT_EQ(call("GET", "/v1/models", nullptr, {}, "").status, 401);
}

TEST_F(Models, OpenAIListShowsOnlyUsableModels) {
  provider("vis");
  model("vis/one", "vis", 0);
  model("vis/two", "vis", 1);
  auto ids = [this] {
    std::set<std::string> out;
    auto r = call("GET", "/v1/models").json();
    EXPECT_EQ(r["object"], "list");
    for (auto& m : r["data"]) {
      EXPECT_EQ(m["object"], "model");
      out.insert(m["id"].get<std::string>());
    }
    return out;
  };
  auto r = call("GET", "/v1/models").json();
  json one;
  for (auto& m : r["data"])
    if (m["id"] == "vis/one") one = m;
  ASSERT_FALSE(one.is_null()) << r.dump();
  EXPECT_EQ(one["owned_by"], "vis");
  EXPECT_EQ(std::to_string(one["created"].get<long long>()),
            sql("SELECT extract(epoch FROM created_at)::bigint FROM model_configs WHERE id = 'vis/one'"));
  EXPECT_EQ(call("PATCH", "/api/models/vis/one", {{"enabled", false}}).status, 200);
  EXPECT_FALSE(ids().count("vis/one"));
  EXPECT_TRUE(ids().count("vis/two"));
  EXPECT_EQ(call("PATCH", "/api/providers/vis", {{"status", "inactive"}}).status, 200);
  EXPECT_FALSE(ids().count("vis/two"));
}

// The list and one model carry both APIs' fields (OpenAI: object, created, owned_by; Anthropic: type,
// display_name, created_at, and the list's has_more, first_id, last_id); a model is retrieved by its id,
// URL-encoded or not, and one that is not usable is a 404.
TEST_F(Models, ModelsApiAnswersInBothFormats) {
  provider("both");
  model("both/m1", "both", 0);
  model("both/m2", "both", 1);
  EXPECT_EQ(call("PATCH", "/api/models/both/m2", {{"displayName", "Model Two"}}).status, 200);
  auto list = call("GET", "/v1/models");
  ASSERT_EQ(list.status, 200) << list.body;
  auto l = list.json();
  EXPECT_EQ(l["has_more"], false);
  ASSERT_FALSE(l["data"].empty());
  EXPECT_EQ(l["first_id"], l["data"].front()["id"]);
  EXPECT_EQ(l["last_id"], l["data"].back()["id"]);
  for (const char* path : {"/v1/models/both/m2", "/v1/models/both%2Fm2"}) {
    auto r = call("GET", path);
    ASSERT_EQ(r.status, 200) << path << ": " << r.body;
    auto m = r.json();
    EXPECT_EQ(m["id"], "both/m2");
    EXPECT_EQ(m["object"], "model");
    EXPECT_EQ(m["owned_by"], "both");
    EXPECT_EQ(m["type"], "model");
    EXPECT_EQ(m["display_name"], "Model Two");
    EXPECT_TRUE(m["created_at"].is_string() && m["created_at"].get<std::string>().rfind("20", 0) == 0) << m.dump();
  }
  EXPECT_EQ(call("GET", "/v1/models/both/m1").json()["display_name"], "both/m1");  // no displayName: the id
  EXPECT_EQ(call("PATCH", "/api/models/both/m1", {{"enabled", false}}).status, 200);
  auto gone = call("GET", "/v1/models/both/m1");
  EXPECT_EQ(gone.status, 404) << gone.body;
  EXPECT_EQ(gone.json()["error"]["code"], "NOT_FOUND");
  EXPECT_EQ(call("GET", "/v1/models/no/such/model").status, 404);
}

TEST_F(Models, RegistryFollowsWritesMadeOnAnotherInstance) {
  provider("twin");
  model("twin/m", "twin", 0);
  ServerOptions o;
  o.suite = "models2";
  o.database_url = server_->database_url();
  o.redis_url = server_->redis_url();
  ServerProcess other(o);
  other.start();
  HttpClient c2(other.port());
  auto has = [&] {
    auto r = c2.get("/v1/models", {{"Authorization", "Bearer " + admin_}});
    return r.body.find("\"twin/m\"") != std::string::npos;
  };
  ASSERT_TRUE(has());
  ASSERT_EQ(call("PATCH", "/api/models/twin/m", {{"enabled", false}}).status, 200);
  EXPECT_TRUE(eventually([&] { return !has(); }, 3000)) << "the other instance still lists a disabled model";
}

TEST_F(Models, PerformanceHistoryAndUsageLogs) {
  provider("perf");
  model("perf/m", "perf", 1);
  // Today (UTC): 3 successes and 1 error; 3 days ago: 1 success; 10 days ago: 1 success.
  auto row = [](const std::string& user, const std::string& prov, int prompt, int completion, const std::string& cost,
                int latency, const std::string& status, bool escalated, const std::string& at) {
    return "('" + user + "', 'perf/m', '" + prov + "', 1, " + std::to_string(prompt) + ", " +
           std::to_string(completion) + ", " + std::to_string(prompt + completion) + ", " + cost + ", " +
           std::to_string(latency) + ", '" + status + "', " + (escalated ? "true" : "false") + ", " + at + ")";
  };
  sql("INSERT INTO usage_logs (user_id, model_id, provider, tier, prompt_tokens, completion_tokens, total_tokens, "
      "total_cost, latency_ms, status, escalated, created_at) VALUES " +
      row("u-1", "perf", 4, 6, "0.001", 100, "success", false, kToday + " + interval '1 second'") + ", " +
      row("u-1", "perf", 5, 15, "0.002", 200, "success", false, kToday + " + interval '2 seconds'") + ", " +
      row("u-2", "perf", 10, 20, "0.0005", 300, "success", true, kToday + " + interval '3 seconds'") + ", " +
      row("u-2", "perf", 0, 0, "0", 400, "error", false, kToday + " + interval '4 seconds'") + ", " +
      row("u-1", "perf", 50, 50, "0.01", 1000, "success", false, kToday + " - interval '3 days' + interval '12 hours'") +
      ", " + row("u-3", "other", 1, 1, "0.000001", 50, "success", false,
                 kToday + " - interval '10 days' + interval '12 hours'"));
  auto p = call("GET", "/api/models/perf/m/performance");
  ASSERT_EQ(p.status, 200) << p.body;
  auto j = p.json();
  EXPECT_EQ(j["days"], 7);
  EXPECT_EQ(j["requests"], 5);
  EXPECT_EQ(j["successes"], 4);
  EXPECT_EQ(j["errors"], 1);
  EXPECT_DOUBLE_EQ(j["successRate"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(j["latencyP50Ms"].get<double>(), 300);
  EXPECT_DOUBLE_EQ(j["latencyP95Ms"].get<double>(), 880);  // 400 + 0.8 × (1000 − 400)
  EXPECT_EQ(j["tokens"], 160);
  EXPECT_EQ(j["promptTokens"], 69);
  EXPECT_EQ(j["cost"], "0.013500");
  EXPECT_EQ(j["escalations"], 1);
  EXPECT_EQ(call("GET", "/api/models/perf%2Fm/performance?days=30").json()["requests"], 6);
  EXPECT_EQ(call("GET", "/api/models/perf/m/performance?days=0").status, 400);
  EXPECT_EQ(call("GET", "/api/models/nope/m/performance").status, 404);

  auto h = call("GET", "/api/models/perf/m/history?days=30");
  ASSERT_EQ(h.status, 200) << h.body;
  auto days = h.json()["data"];
  ASSERT_EQ(days.size(), 30u);
  auto today = days[29];
  EXPECT_EQ(today["date"], sql("SELECT to_char(" + kTodayUtc + ", 'YYYY-MM-DD')"));
  EXPECT_EQ(today["requests"], 4);
  EXPECT_DOUBLE_EQ(today["successRate"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(today["latencyP50Ms"].get<double>(), 250);
  EXPECT_DOUBLE_EQ(today["latencyP95Ms"].get<double>(), 385);
  EXPECT_EQ(today["tokens"], 60);
  EXPECT_EQ(today["cost"], "0.003500");
  EXPECT_EQ(days[26]["requests"], 1);
  EXPECT_EQ(days[26]["cost"], "0.010000");
  EXPECT_EQ(days[19]["requests"], 1);
  EXPECT_EQ(days[20]["requests"], 0);
  EXPECT_TRUE(days[20]["successRate"].is_null());
  EXPECT_EQ(days[20]["cost"], "0.000000");

  auto logs = call("GET", "/api/usage/logs?modelId=perf/m");
  ASSERT_EQ(logs.status, 200) << logs.body;
  EXPECT_EQ(logs.json()["meta"]["total"], 6);
  EXPECT_EQ(logs.json()["data"][0]["latencyMs"], 400) << "newest first";
  EXPECT_EQ(logs.json()["data"][0]["totalCost"], "0.000000");
  EXPECT_EQ(call("GET", "/api/usage/logs?modelId=perf/m&status=error").json()["meta"]["total"], 1);
  EXPECT_EQ(call("GET", "/api/usage/logs?userId=u-2").json()["meta"]["total"], 2);
  EXPECT_EQ(call("GET", "/api/usage/logs?provider=other").json()["meta"]["total"], 1);
  auto window = call("GET", "/api/usage/logs?modelId=perf/m&from=" +
                                sql("SELECT to_char(" + kTodayUtc + " - interval '5 days', 'YYYY-MM-DD')") +
                                "&to=" + sql("SELECT to_char(" + kTodayUtc + ", 'YYYY-MM-DD')"));
  EXPECT_EQ(window.json()["meta"]["total"], 1);
  EXPECT_EQ(call("GET", "/api/usage/logs?status=bogus").status, 400);
  EXPECT_EQ(call("GET", "/api/usage/logs?from=yesterday-ish").status, 400);
}

// A finished day's percentiles are kept once computed (migration 0023) and computed again when a late row
// lands on that day; today's are always computed.
TEST_F(Models, HistoryKeepsFinishedDaysPercentilesUntilALateRowLands) {
  provider("keep");
  model("keep/m", "keep", 1);
  const std::string day = kToday + " - interval '3 days'";
  auto add = [&](int latency, const std::string& at) {
    sql("INSERT INTO usage_logs (user_id, model_id, provider, tier, prompt_tokens, completion_tokens, total_tokens, "
        "total_cost, latency_ms, status, escalated, created_at) VALUES ('u-k', 'keep/m', 'keep', 1, 1, 1, 2, 0, " +
        std::to_string(latency) + ", 'success', false, " + at + ")");
  };
  add(100, day + " + interval '1 hour'");
  add(300, day + " + interval '2 hours'");
  add(50, kToday + " + interval '1 second'");
  auto history = [&] {
    auto h = call("GET", "/api/models/keep/m/history?days=7");
    EXPECT_EQ(h.status, 200) << h.body;
    return h.json()["data"];
  };
  auto kept = [&] {
    return sql("SELECT coalesce(p50::text, '-') || '/' || coalesce(pct_calls::text, '-') FROM usage_model_daily "
               "WHERE model_id = 'keep/m' AND day = ((" + day + ") AT TIME ZONE 'UTC')::date");
  };
  auto d = history();
  ASSERT_EQ(d.size(), 7u);
  EXPECT_DOUBLE_EQ(d[3]["latencyP50Ms"].get<double>(), 200);
  EXPECT_DOUBLE_EQ(d[3]["latencyP95Ms"].get<double>(), 290);
  EXPECT_DOUBLE_EQ(d[6]["latencyP50Ms"].get<double>(), 50);
  EXPECT_EQ(kept(), "200/2") << "the finished day's percentiles are kept with the calls they cover";
  EXPECT_EQ(sql("SELECT coalesce(pct_calls::text, '-') FROM usage_model_daily WHERE model_id = 'keep/m' AND day = " +
                kTodayUtc + "::date"),
            "-")
      << "today is not kept";

  // The kept value is what a later history answers (it is not computed again).
  sql("UPDATE usage_model_daily SET p50 = 222 WHERE model_id = 'keep/m' AND day = ((" + day + ") AT TIME ZONE 'UTC')::date");
  EXPECT_DOUBLE_EQ(history()[3]["latencyP50Ms"].get<double>(), 222);

  // A late row on that day: computed again over the three calls, and kept again.
  add(500, day + " + interval '3 hours'");
  d = history();
  EXPECT_DOUBLE_EQ(d[3]["latencyP50Ms"].get<double>(), 300);
  EXPECT_DOUBLE_EQ(d[3]["latencyP95Ms"].get<double>(), 480);  // 300 + 0.9 × (500 − 300)
  EXPECT_EQ(d[3]["requests"], 3);
  EXPECT_EQ(kept(), "300/3");
  // Today's new calls show at once.
  add(150, kToday + " + interval '2 seconds'");
  EXPECT_DOUBLE_EQ(history()[6]["latencyP50Ms"].get<double>(), 100);
}

TEST_F(Models, CreditsAndHealth) {
  auto c = call("GET", "/api/providers/openai/credits");
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(c.json()["tokensUsed"], 0);
  EXPECT_TRUE(c.json().contains("creditsRemaining"));
  EXPECT_EQ(call("GET", "/api/providers/ghost/credits").status, 404);
  // A closed local port: the probe (once the gateway wires one) fails fast; without one the route is 501.
  ASSERT_EQ(call("POST", "/api/providers", {{"id", "probe"}, {"name", "p"}, {"apiEndpoint", "http://127.0.0.1:9/v1"},
                                            {"authType", "bearer"}, {"apiKey", kKey}}).status, 201);
  auto h = call("GET", "/api/providers/probe/health");
  EXPECT_TRUE(h.status == 501 || h.status == 200) << h.body;
  EXPECT_EQ(call("GET", "/docs/json").json()["paths"].contains("/api/models/{id}/{name}"), true);
  expect_no_secrets();
}

// Issue #10 item 14: a provider endpoint on the cloud metadata service or a link-local address is refused
// (422 naming the rule) when created or updated; loopback stays allowed by default.
TEST_F(Models, ProviderEndpointEgressPolicy) {
  for (const char* url : {"http://169.254.169.254/latest/meta-data", "http://[::ffff:169.254.169.254]/v1",
                          "http://169.254.10.10:8080/v1", "http://[fe80::1]/v1", "http://metadata.google.internal/v1"}) {
    auto r = call("POST", "/api/providers",
                  {{"id", "egress-x"}, {"name", "x"}, {"apiEndpoint", url}, {"authType", "none"}});
    EXPECT_EQ(r.status, 422) << url << " " << r.body;
    EXPECT_EQ(r.json()["error"]["code"], "UNPROCESSABLE") << r.body;
    auto msg = r.json()["error"]["message"].get<std::string>();
    EXPECT_NE(msg.find("apiEndpoint"), std::string::npos) << msg;
    EXPECT_TRUE(msg.find("metadata") != std::string::npos || msg.find("link-local") != std::string::npos) << msg;
  }
  auto ok = call("POST", "/api/providers",
                 {{"id", "egress-ok"}, {"name", "x"}, {"apiEndpoint", "http://127.0.0.1:9/v1"}, {"authType", "none"}});
  ASSERT_EQ(ok.status, 201) << ok.body;
  auto moved = call("PATCH", "/api/providers/egress-ok", {{"apiEndpoint", "http://169.254.169.254/v1"}});
  EXPECT_EQ(moved.status, 422) << moved.body;
  EXPECT_NE(moved.body.find("metadata"), std::string::npos) << moved.body;
  EXPECT_EQ(sql("SELECT api_endpoint FROM ai_providers WHERE id = 'egress-ok'"), "http://127.0.0.1:9/v1");
}
