// Identity and access from outside: the real binary, real PostgreSQL and Redis.
#include <gtest/gtest.h>

#include <chrono>

#include "core/jwt.hpp"
#include "support/api.hpp"
#include "support/redis_process.hpp"

using namespace netops::test;

namespace {
std::string jwt_secret() { return env_or("NETOPS_JWT_SECRET", std::string(64, 'j')); }
long long now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
}  // namespace

class Auth : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = "auth";
    o.env["NETOPS_RATE_LIMIT_FREE"] = "30";
    o.env["NETOPS_LOGIN_MAX_FAILURES"] = "1000";
    start_server(o);
  }
  json create_user(const std::string& role = "user", const std::string& tier = "free") {
    return netops::test::create_user(server_->port(), admin_, role, tier);
  }
  json login(const std::string& email, const std::string& password = kUserPassword) {
    return netops::test::login(server_->port(), email, password).body;
  }
  static inline const std::string& admin_token_ = admin_;
};

TEST_F(Auth, LoginByEmailOrUsernameReturnsTokensAndUser) {
  auto r = client.post("/api/auth/login", {{"username", "admin"}, {"password", server_->admin_password()}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["expiresIn"], 900);
  EXPECT_EQ(j["user"]["role"], "super_admin");
  EXPECT_EQ(j["user"]["email"], "admin@example.com");
  EXPECT_FALSE(j["refreshToken"].get<std::string>().empty());
  auto me = client.get("/api/auth/me", bearer(j["accessToken"]));
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json()["email"], "admin@example.com");
  EXPECT_FALSE(me.json().contains("passwordHash"));
  EXPECT_EQ(me.body.find("argon2"), std::string::npos);
}

TEST_F(Auth, BadCredentialsAndMalformedInput) {
  EXPECT_EQ(client.post("/api/auth/login", {{"email", "admin@example.com"}, {"password", "wrong-password"}}).status, 401);
  EXPECT_EQ(client.post("/api/auth/login", {{"email", "nobody@example.com"}, {"password", "wrong-password"}}).status, 401);
  auto bad = client.request("POST", "/api/auth/login", "{not json", {{"Content-Type", "application/json"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"]["code"], "VALIDATION_ERROR");
  auto missing = client.post("/api/auth/login", {{"email", "admin@example.com"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json()["error"]["details"]["errors"][0]["field"], "password");
  EXPECT_EQ(client.get("/api/auth/me").status, 401);
}

TEST_F(Auth, TamperedTokensAreRefused) {
  auto tokens = login("admin@example.com", server_->admin_password());
  std::string token = tokens["accessToken"];
  auto verified = netops::jwt::verify(token, jwt_secret(), now_s());
  ASSERT_TRUE(verified.claims) << "test secret differs from the server's";
  json claims = *verified.claims;

  std::string none = netops::jwt::base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                     netops::jwt::base64url_encode(claims.dump()) + ".";
  EXPECT_EQ(client.get("/api/auth/me", bearer(none)).status, 401);

  auto dot1 = token.find('.'), dot2 = token.rfind('.');
  json changed = claims;
  changed["role"] = "super_admin";
  changed["sub"] = "00000000-0000-4000-8000-000000000000";
  std::string forged = token.substr(0, dot1) + "." + netops::jwt::base64url_encode(changed.dump()) + token.substr(dot2);
  EXPECT_EQ(client.get("/api/auth/me", bearer(forged)).status, 401);

  EXPECT_EQ(client.get("/api/auth/me", bearer(netops::jwt::sign(claims, std::string(64, 'w')))).status, 401);

  json expired = claims;
  expired["exp"] = now_s() - 5;
  auto r = client.get("/api/auth/me", bearer(netops::jwt::sign(expired, jwt_secret())));
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("expired"), std::string::npos);

  std::string hs512 = netops::jwt::base64url_encode(R"({"alg":"HS512","typ":"JWT"})") + token.substr(dot1);
  EXPECT_EQ(client.get("/api/auth/me", bearer(hs512)).status, 401);
  EXPECT_EQ(client.get("/api/auth/me", bearer("garbage")).status, 401);
  EXPECT_EQ(client.get("/api/auth/me", {{"Authorization", "Basic abc"}}).status, 401);
  EXPECT_EQ(client.get("/api/auth/me", bearer(token)).status, 200);
}

TEST_F(Auth, RefreshRotatesAndReuseRevokesTheWholeSession) {
  auto u = create_user();
  auto t = login(u["email"]);
  auto r1 = client.post("/api/auth/refresh", {{"refreshToken", t["refreshToken"]}});
  ASSERT_EQ(r1.status, 200) << r1.body;
  auto t2 = r1.json();
  EXPECT_NE(t2["refreshToken"], t["refreshToken"]);
  EXPECT_EQ(t2["sessionId"], t["sessionId"]);
  EXPECT_EQ(client.get("/api/auth/me", bearer(t2["accessToken"])).status, 200);
  // The old refresh token again: theft detected, the session is gone for everyone.
  auto reuse = client.post("/api/auth/refresh", {{"refreshToken", t["refreshToken"]}});
  EXPECT_EQ(reuse.status, 401);
  EXPECT_EQ(client.get("/api/auth/me", bearer(t2["accessToken"])).status, 401);
  EXPECT_EQ(client.post("/api/auth/refresh", {{"refreshToken", t2["refreshToken"]}}).status, 401);
  auto logs = client.get("/api/admin/audit-logs?action=auth.refresh_reuse", bearer(admin_token_)).json();
  bool found = false;
  for (auto& row : logs["data"]) found |= row["resource"] == "session:" + t["sessionId"].get<std::string>();
  EXPECT_TRUE(found);
}

TEST_F(Auth, LogoutTakesEffectOnTheNextRequest) {
  auto u = create_user();
  auto t = login(u["email"]);
  EXPECT_EQ(client.get("/api/auth/me", bearer(t["accessToken"])).status, 200);
  EXPECT_EQ(client.request("POST", "/api/auth/logout", "", bearer(t["accessToken"])).status, 204);
  EXPECT_EQ(client.get("/api/auth/me", bearer(t["accessToken"])).status, 401);
  EXPECT_EQ(client.post("/api/auth/refresh", {{"refreshToken", t["refreshToken"]}}).status, 401);
}

TEST_F(Auth, DeactivationAndRoleChangeRevokeAtOnce) {
  auto u = create_user();
  auto t = login(u["email"]);
  std::string path = "/api/admin/users/" + u["id"].get<std::string>();
  auto r = client.request("PATCH", path, json{{"role", "admin"}}.dump(), bearer(admin_token_));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["role"], "admin");
  EXPECT_EQ(client.get("/api/auth/me", bearer(t["accessToken"])).status, 401);

  auto t2 = login(u["email"]);
  EXPECT_EQ(client.get("/api/admin/users", bearer(t2["accessToken"])).status, 200);  // admin now
  r = client.request("PATCH", path, json{{"isActive", false}}.dump(), bearer(admin_token_));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(client.get("/api/auth/me", bearer(t2["accessToken"])).status, 401);
  EXPECT_EQ(client.post("/api/auth/login", {{"email", u["email"]}, {"password", "password-123"}}).status, 401);
}

TEST_F(Auth, RolesAreEnforcedPerRoute) {
  auto user = login(create_user("user")["email"])["accessToken"].get<std::string>();
  auto admin = login(create_user("admin")["email"])["accessToken"].get<std::string>();
  EXPECT_EQ(client.get("/api/admin/users", bearer(user)).status, 403);
  EXPECT_EQ(client.get("/api/admin/audit-logs", bearer(user)).status, 403);
  EXPECT_EQ(client.get("/api/admin/users", bearer(admin)).status, 200);
  auto create = client.post("/api/admin/users", {{"email", "x@example.com"}, {"name", "x"}, {"password", "password-123"}},
                            bearer(admin));
  EXPECT_EQ(create.status, 403);
  EXPECT_EQ(create.json()["error"]["code"], "FORBIDDEN");
  EXPECT_EQ(client.get("/api/admin/users").status, 401);
  EXPECT_EQ(client.get("/api/auth/me", bearer(user)).status, 200);
}

TEST_F(Auth, AdminUserManagement) {
  auto u = create_user();
  std::string id = u["id"];
  auto list = client.get("/api/admin/users?search=" + u["email"].get<std::string>() + "&pageSize=5", bearer(admin_token_));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["meta"]["total"], 1);
  EXPECT_EQ(list.json()["meta"]["pageSize"], 5);
  EXPECT_EQ(client.get("/api/admin/users?pageSize=5000", bearer(admin_token_)).status, 400);
  EXPECT_EQ(client.get("/api/admin/users?sort=password", bearer(admin_token_)).status, 400);
  auto dup = client.post("/api/admin/users", {{"email", u["email"]}, {"name", "Dup"}, {"password", "password-123"}},
                         bearer(admin_token_));
  EXPECT_EQ(dup.status, 409);
  auto invalid = client.post("/api/admin/users", {{"email", "bad"}, {"password", "short"}, {"role", "god"}},
                             bearer(admin_token_));
  ASSERT_EQ(invalid.status, 400);
  EXPECT_EQ(invalid.json()["error"]["details"]["errors"].size(), 4u);

  auto got = client.get("/api/admin/users/" + id, bearer(admin_token_));
  ASSERT_EQ(got.status, 200);
  std::string etag = got.header("etag");
  ASSERT_FALSE(etag.empty());
  auto ok = client.request("PATCH", "/api/admin/users/" + id, json{{"name", "Renamed"}}.dump(),
                           {{"Authorization", "Bearer " + admin_token_}, {"If-Match", etag}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto stale = client.request("PATCH", "/api/admin/users/" + id, json{{"tier", "pro"}}.dump(),
                              {{"Authorization", "Bearer " + admin_token_}, {"If-Match", etag}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(client.get("/api/admin/users/" + id, bearer(admin_token_)).json()["name"], "Renamed");

  auto reset = client.request("POST", "/api/admin/users/" + id + "/reset-password", "", bearer(admin_token_));
  ASSERT_EQ(reset.status, 200) << reset.body;
  std::string generated = reset.json()["password"];
  login(u["email"], generated);

  auto me = client.post("/api/auth/login", {{"email", "admin@example.com"}, {"password", server_->admin_password()}});
  std::string self = me.json()["user"]["id"];
  EXPECT_EQ(client.request("DELETE", "/api/admin/users/" + self, "", bearer(admin_token_)).status, 409);
  EXPECT_EQ(client.request("DELETE", "/api/admin/users/" + id, "", bearer(admin_token_)).status, 204);
  EXPECT_EQ(client.get("/api/admin/users/" + id, bearer(admin_token_)).status, 404);
  EXPECT_EQ(client.get("/api/admin/users/not-a-uuid", bearer(admin_token_)).status, 400);

  auto audit = client.get("/api/admin/audit-logs?resource=user:" + id, bearer(admin_token_)).json();
  std::set<std::string> actions;
  for (auto& row : audit["data"]) actions.insert(row["action"]);
  for (auto a : {"user.created", "user.updated", "user.password_reset", "user.deleted"}) EXPECT_TRUE(actions.count(a)) << a;
  for (auto& row : audit["data"])
    if (row["action"] == "user.updated") {
      EXPECT_EQ(row["details"]["changes"]["name"]["before"], "Test User");
      EXPECT_EQ(row["details"]["changes"]["name"]["after"], "Renamed");
    }
}

TEST_F(Auth, ChangePasswordKeepsThisSessionAndRevokesOthers) {
  auto u = create_user();
  auto a = login(u["email"]);
  auto b = login(u["email"]);
  auto r = client.post("/api/auth/change-password", {{"currentPassword", "password-123"}, {"newPassword", "new-password-456"}},
                       bearer(a["accessToken"]));
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(client.get("/api/auth/me", bearer(a["accessToken"])).status, 200);
  EXPECT_EQ(client.get("/api/auth/me", bearer(b["accessToken"])).status, 401);
  EXPECT_EQ(client.post("/api/auth/login", {{"email", u["email"]}, {"password", "password-123"}}).status, 401);
  login(u["email"], "new-password-456");
  EXPECT_EQ(client.post("/api/auth/change-password", {{"currentPassword", "wrong-one-here"}, {"newPassword", "another-pass-789"}},
                        bearer(a["accessToken"])).status, 401);
}

TEST_F(Auth, ApiKeysAuthenticateAsTheOwnerUntilRevoked) {
  auto u = create_user();
  auto t = login(u["email"]);
  auto created = client.post("/api/keys", {{"name", "ci"}}, bearer(t["accessToken"]));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string key = created.json()["key"];
  EXPECT_EQ(key.rfind("nk_", 0), 0u);
  auto me = client.get("/api/auth/me", bearer(key));
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json()["id"], u["id"]);
  EXPECT_EQ(client.get("/api/admin/users", bearer(key)).status, 403);  // the owner's role applies
  auto list = client.get("/api/keys", bearer(t["accessToken"]));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["data"].size(), 1u);
  EXPECT_EQ(list.body.find(key), std::string::npos);
  EXPECT_FALSE(list.json()["data"][0].contains("key"));
  std::string id = created.json()["id"];
  // Someone else's key looks absent.
  auto other = login(create_user()["email"]);
  EXPECT_EQ(client.request("DELETE", "/api/keys/" + id, "", bearer(other["accessToken"])).status, 404);
  EXPECT_EQ(client.request("DELETE", "/api/keys/" + id, "", bearer(t["accessToken"])).status, 204);
  EXPECT_EQ(client.get("/api/auth/me", bearer(key)).status, 401);
  EXPECT_EQ(client.get("/api/auth/me", bearer("nk_made_up_key")).status, 401);
  auto logs = client.get("/api/admin/audit-logs?resource=apikey:" + id, bearer(admin_token_)).json();
  EXPECT_EQ(logs["meta"]["total"], 2);
}

TEST_F(Auth, AuditRowsCarryTheRequestCorrelationId) {
  auto u = create_user();
  auto r = client.post("/api/auth/login", {{"email", u["email"]}, {"password", "nope-nope-nope"}},
                       {{"X-Request-Id", "corr-failed-login-1"}});
  EXPECT_EQ(r.status, 401);
  auto logs = client.get("/api/admin/audit-logs?action=auth.login_failed&userId=" + u["id"].get<std::string>(),
                         bearer(admin_token_)).json();
  ASSERT_GE(logs["data"].size(), 1u);
  EXPECT_EQ(logs["data"][0]["correlationId"], "corr-failed-login-1");
  client.post("/api/auth/login", {{"email", u["email"]}, {"password", "password-123"}}, {{"X-Request-Id", "corr-login-2"}});
  logs = client.get("/api/admin/audit-logs?action=auth.login&userId=" + u["id"].get<std::string>(), bearer(admin_token_)).json();
  ASSERT_EQ(logs["data"].size(), 1u);
  EXPECT_EQ(logs["data"][0]["correlationId"], "corr-login-2");
}

TEST_F(Auth, RateLimitHeadersAndRefusal) {
  auto t = login(create_user("user", "free")["email"]);
  int last_remaining = 1000;
  int refused = 0;
  std::string retry_after;
  for (int i = 0; i < 35; ++i) {
    auto r = client.get("/api/auth/me", bearer(t["accessToken"]));
    if (r.status == 429) {
      ++refused;
      retry_after = r.header("retry-after");
      EXPECT_EQ(r.json()["error"]["code"], "RATE_LIMITED");
      continue;
    }
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("x-ratelimit-limit"), "30");
    int remaining = std::stoi(r.header("x-ratelimit-remaining"));
    EXPECT_LT(remaining, last_remaining);
    last_remaining = remaining;
    EXPECT_FALSE(r.header("x-ratelimit-reset").empty());
  }
  EXPECT_EQ(refused, 5);
  EXPECT_FALSE(retry_after.empty());
  EXPECT_GE(std::stoi(retry_after), 1);
}

TEST(AuthThrottle, FailedLoginsAreThrottledPerAccount) {
  RedisProcess redis;  // a fresh Redis: failure counters outlive a run by 15 minutes
  redis.start();
  ServerOptions o;
  o.suite = "throttle";
  o.redis_url = redis.url();
  o.env["NETOPS_LOGIN_MAX_FAILURES"] = "3";
  ServerProcess server(o);
  server.start();
  HttpClient c(server.port());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(c.post("/api/auth/login", {{"email", "admin@example.com"}, {"password", "wrong-password"}}).status, 401);
  auto r = c.post("/api/auth/login", {{"email", "admin@example.com"}, {"password", server.admin_password()}});
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("retry-after").empty());
  EXPECT_EQ(r.json()["error"]["code"], "RATE_LIMITED");
}

TEST(AuthOutage, RateLimitFallsBackInProcessWhenRedisIsDown) {
  RedisProcess redis;
  redis.start();
  ServerOptions o;
  o.suite = "limitdown";
  o.redis_url = redis.url();
  o.env["NETOPS_RATE_LIMIT_FREE"] = "5";
  ServerProcess server(o);
  server.start();
  HttpClient c(server.port());
  auto t = new_user(server.port(), login_admin(server).token).body;
  redis.stop();
  int ok = 0, refused = 0;
  for (int i = 0; i < 8; ++i) {
    auto r = c.get("/api/auth/me", bearer(t["accessToken"]));
    if (r.status == 200) {
      ++ok;
      EXPECT_EQ(r.header("x-ratelimit-limit"), "5");
    } else if (r.status == 429) {
      ++refused;
    } else {
      ADD_FAILURE() << r.status << " " << r.body;
    }
  }
  EXPECT_EQ(ok, 5);
  EXPECT_EQ(refused, 3);
}

TEST(AuthTwoInstances, RevocationAndRateLimitsAreShared) {
  auto db = create_database("twoinst");
  ServerOptions o;
  o.database_url = db;
  auto redis_db = RedisDb::claim();  // one db, shared by both instances
  o.redis_url = redis_db->url();
  o.env["NETOPS_RATE_LIMIT_FREE"] = "6";
  ServerProcess a(o), b(o);
  a.start();
  b.start();
  HttpClient ca(a.port()), cb(b.port());
  auto admin = login_admin(a).body;
  auto t = new_user(a.port(), admin["accessToken"]).body;
  std::string token = t["accessToken"];
  // Rate limit: 3 on each instance use up the 6 allowed; the next is refused on either.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ca.get("/api/auth/me", bearer(token)).status, 200);
    EXPECT_EQ(cb.get("/api/auth/me", bearer(token)).status, 200);
  }
  EXPECT_EQ(cb.get("/api/auth/me", bearer(token)).status, 429);
  EXPECT_EQ(ca.get("/api/auth/me", bearer(token)).status, 429);
  // Logout on A is refused on B (admin is unlimited, so no rate limit in the way).
  std::string admin_token = admin["accessToken"];
  EXPECT_EQ(cb.get("/api/auth/me", bearer(admin_token)).status, 200);
  EXPECT_EQ(ca.request("POST", "/api/auth/logout", "", bearer(admin_token)).status, 204);
  EXPECT_EQ(cb.get("/api/auth/me", bearer(admin_token)).status, 401);
  a.stop();
  b.stop();
  drop_database(db);
}
