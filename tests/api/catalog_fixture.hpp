#pragma once
// Shared by the catalog API suites: one server per suite, an admin and a plain user token, helpers.
// Each suite defines kCatalogSuite and kCatalogRedisDb (its own Redis db number, see test_env.hpp).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/test_env.hpp"

extern const char* const kCatalogSuite;
extern const int kCatalogRedisDb;

namespace catalog_test {

using namespace netops::test;
using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

inline Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
inline std::string unique(const std::string& p) {
  static std::atomic<int> n{0};
  return p + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n);
}
// The issue text of a field in a VALIDATION_ERROR envelope; "" when the field is not named.
inline std::string issue_of(const json& body, const std::string& field) {
  json errors = body["error"]["details"]["errors"];
  for (auto& e : errors)
    if (e["field"] == field) return e["issue"].get<std::string>();
  return "";
}
inline bool has_field(const json& body, const std::string& field) { return !issue_of(body, field).empty(); }

class CatalogApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = kCatalogSuite;
    o.redis_url = redis_url(kCatalogRedisDb);
    o.env["NETOPS_RATE_LIMIT_FREE"] = "0";
    server_ = new ServerProcess(o);
    server_->start();
    HttpClient c(server_->port());
    auto r = c.post("/api/auth/login", {{"email", "admin@example.com"}, {"password", server_->admin_password()}});
    ASSERT_EQ(r.status, 200) << r.body;
    admin_ = r.json()["accessToken"];
    auto email = unique("reader") + "@example.com";
    auto u = c.post("/api/admin/users", {{"email", email}, {"name", "Reader"}, {"password", "password-123"}},
                    bearer(admin_));
    ASSERT_EQ(u.status, 201) << u.body;
    auto l = c.post("/api/auth/login", {{"email", email}, {"password", "password-123"}});
    ASSERT_EQ(l.status, 200) << l.body;
    user_ = l.json()["accessToken"];
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::string sql(const std::string& q) { return exec_sql(server_->database_url(), q); }
  HttpResponse send(const std::string& method, const std::string& path, const json& body, const std::string& token,
                    Headers extra = {}) {
    Headers h = bearer(token);
    h.push_back({"Content-Type", "application/json"});
    for (auto& e : extra) h.push_back(e);
    return client.request(method, path, body.is_null() ? "" : body.dump(), h);
  }
  // POST as admin, expecting 201; returns the body.
  json created(const std::string& path, const json& body) {
    auto r = send("POST", path, body, admin_);
    EXPECT_EQ(r.status, 201) << path << " " << r.body;
    return r.status == 201 ? r.json() : json::object();
  }
  static std::string id(const json& j) { return j["id"].get<std::string>(); }

  static inline ServerProcess* server_ = nullptr;
  static inline std::string admin_, user_;
  HttpClient client{server_->port()};
};

}  // namespace catalog_test
