// The in-process cache of API keys and sessions (issue #18, item 2) with TWO gateway instances on one
// database and one Redis db: a revocation on one instance is refused by the other on its next request
// (the invalidation travels by Redis pub/sub, and an instance never answers from a copy while a message
// is waiting for it), copies really spare the Redis read, a copy is never served beyond
// NETOPS_AUTH_CACHE_MAX_AGE_MS whatever pub/sub does, and a lost subscription drops every copy.
#include <sstream>

#include "support/api.hpp"

using namespace netops::test;

namespace {

std::string redis_db_number(const std::string& url) { return url.substr(url.rfind('/') + 1); }

// Kills the invalidation subscriptions of this Redis db (both instances'); they reconnect on their own.
int kill_subscriptions(const std::string& redis_url) {
  auto list = redis_command(redis_url, {"CLIENT", "LIST", "TYPE", "pubsub"});
  std::istringstream in(list);
  std::string line;
  int killed = 0;
  const std::string name = "name=netops-bus-" + redis_db_number(redis_url) + " ";
  while (std::getline(in, line)) {
    if (line.find(name) == std::string::npos) continue;
    auto id = line.substr(3, line.find(' ') - 3);  // "id=<n> …"
    redis_command(redis_url, {"CLIENT", "KILL", "ID", id});
    ++killed;
  }
  return killed;
}

}  // namespace

class AuthCache : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = "authcache";
    // Copies never expire by age here: only an invalidation (or a lost subscription) removes them.
    o.env["NETOPS_AUTH_CACHE_MAX_AGE_MS"] = "600000";
    o.env["NETOPS_AUTH_FAILURES_PER_MIN"] = "0";
    start_server(o, /*with_user=*/false);
    ServerOptions b = o;
    b.suite = "authcache-b";
    b.database_url = server_->database_url();
    b.redis_url = server_->redis_url();
    other_ = new ServerProcess(b);
    other_->start();
    ServerOptions c = b;  // the default max age (1000 ms)
    c.suite = "authcache-c";
    c.env.erase("NETOPS_AUTH_CACHE_MAX_AGE_MS");
    third_ = new ServerProcess(c);
    third_->start();
  }
  static void TearDownTestSuite() {
    for (auto** p : {&other_, &third_}) {
      if (*p) (*p)->stop();
      delete *p;
      *p = nullptr;
    }
    ApiTest::TearDownTestSuite();
  }
  // A fresh user's API key: {key, id, token of its owner}.
  struct Key {
    std::string key, id, owner_token;
  };
  static Key new_key() {
    auto s = new_user(server_->port(), admin_, "user", "free");
    auto k = create_api_key(server_->port(), s.token);
    return {k["key"], k["id"], s.token};
  }
  // Revokes a key behind the gateway's back: in PostgreSQL, with every Redis entry gone and no message.
  static void revoke_silently(const std::string& key_id) {
    sql("UPDATE api_keys SET revoked_at = now() WHERE id = '" + key_id + "'");
    redis_command(server_->redis_url(), {"FLUSHDB"});
  }
  static int models(int port, const std::string& key) { return HttpClient(port).get("/v1/models", bearer(key)).status; }

  static inline ServerProcess* other_ = nullptr;  // instance B, same database and Redis
  static inline ServerProcess* third_ = nullptr;  // instance C, default max age
};

TEST_F(AuthCache, KeyRevokedOnOneInstanceIsRefusedByTheOtherOnItsNextRequest) {
  auto k = new_key();
  ASSERT_EQ(models(other_->port(), k.key), 200);
  ASSERT_EQ(models(other_->port(), k.key), 200);  // now from B's copy
  auto r = client.request("DELETE", "/api/keys/" + k.id, "", bearer(k.owner_token));
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(models(other_->port(), k.key), 401);
  EXPECT_EQ(models(server_->port(), k.key), 401);
}

TEST_F(AuthCache, SessionLoggedOutOnOneInstanceIsRefusedByTheOtherOnItsNextRequest) {
  auto s = new_user(server_->port(), admin_, "user", "free");
  HttpClient b(other_->port());
  ASSERT_EQ(b.get("/api/auth/me", s.auth()).status, 200);
  ASSERT_EQ(b.get("/api/auth/me", s.auth()).status, 200);
  ASSERT_EQ(client.request("POST", "/api/auth/logout", "", s.auth()).status, 204);
  EXPECT_EQ(b.get("/api/auth/me", s.auth()).status, 401);
}

TEST_F(AuthCache, AKeyInUseIsServedFromTheCopyWithoutRedis) {
  // What the copy is for: B answers a key it has seen without reading Redis or PostgreSQL again — a
  // revocation that sends no message (done here behind the gateway's back) is not seen within the max age.
  // (Polled only until B's subscription is up: before it, B keeps no copies.)
  Key k;
  EXPECT_TRUE(eventually(
      [&] {
        k = new_key();
        if (models(other_->port(), k.key) != 200) return false;
        revoke_silently(k.id);
        return models(other_->port(), k.key) == 200;
      },
      15000, "instance B answers a silently revoked key from its copy"));
  // An instance that never held a copy reads PostgreSQL and refuses.
  EXPECT_EQ(models(server_->port(), k.key), 401);
}

TEST_F(AuthCache, ACopyIsNeverServedOlderThanTheMaxAgeWhateverPubSubDoes) {
  auto k = new_key();
  ASSERT_EQ(models(third_->port(), k.key), 200);
  revoke_silently(k.id);  // no message: only the age of C's copy (1000 ms) can end it
  EXPECT_TRUE(eventually([&] { return models(third_->port(), k.key) == 401; }, 15000,
                         "instance C refuses the key once its copy is older than the max age"));
}

TEST_F(AuthCache, ALostSubscriptionDropsEveryCopy) {
  auto k = new_key();
  ASSERT_EQ(models(other_->port(), k.key), 200);
  ASSERT_GE(kill_subscriptions(server_->redis_url()), 1);
  revoke_silently(k.id);
  // B's copy would live 10 minutes; losing its subscription dropped it (and it keeps none until it has
  // subscribed again), so B reads PostgreSQL and refuses.
  EXPECT_TRUE(eventually([&] { return models(other_->port(), k.key) == 401; }, 15000,
                         "instance B refuses the key after its subscription was lost"));
  // Once subscribed again, B serves copies again (a new key, used twice: the second from the copy).
  auto k2 = new_key();
  EXPECT_TRUE(eventually(
      [&] {
        if (models(other_->port(), k2.key) != 200) return false;
        revoke_silently(k2.id);
        bool copy = models(other_->port(), k2.key) == 200;
        sql("UPDATE api_keys SET revoked_at = NULL WHERE id = '" + k2.id + "'");
        redis_command(server_->redis_url(), {"FLUSHDB"});  // the revoked state B may have cached in Redis
        return copy;
      },
      15000, "instance B keeps copies again after it re-subscribed"));
}
