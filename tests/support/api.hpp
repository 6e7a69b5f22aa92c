#pragma once
// The API-test kit: include this one header in a tests/api/ suite. It brings the server process (own
// database and Redis db per server), sessions (seeded admin, users with a role, API keys), the mock
// upstream, SSE parsing and eventually(). tests/README.md shows a suite in ten lines.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "support/eventually.hpp"
#include "support/http_client.hpp"
#include "support/mock_llm.hpp"
#include "support/redis_db.hpp"
#include "support/server_process.hpp"
#include "support/sse.hpp"
#include "support/test_env.hpp"

namespace netops::test {

using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

inline const std::string kAdminEmail = "admin@example.com";  // seeded by ServerProcess (super_admin)
inline const std::string kUserPassword = "password-123";     // of every user the kit creates

Headers bearer(const std::string& token);
// prefix-<pid>-<n>: unique within the run (suites share nothing but their names may meet in logs).
std::string unique(const std::string& prefix);

struct Session {
  std::string token;  // access token
  std::string id;     // user id
  std::string email;
  json body;          // the whole login response (accessToken, refreshToken, user, …)
  Headers auth() const { return bearer(token); }
};

// POST /api/auth/login; throws std::runtime_error with status and body unless 200.
Session login(int port, const std::string& email, const std::string& password = kUserPassword,
              const Headers& extra = {});
Session login_admin(const ServerProcess& server, const Headers& extra = {});
// POST /api/admin/users as admin_token: a fresh email (unique(prefix)@example.com), kUserPassword.
// Throws unless 201; returns the created user.
json create_user(int port, const std::string& admin_token, const std::string& role = "user",
                 const std::string& tier = "free", const Headers& extra = {}, const std::string& prefix = "user");
// create_user, then login as that user.
Session new_user(int port, const std::string& admin_token, const std::string& role = "user",
                 const std::string& tier = "free", const Headers& extra = {});
// POST /api/keys as token; throws unless 201; returns the created key (its "key" is shown only here).
json create_api_key(int port, const std::string& token, const json& body = {{"name", "k"}}, const Headers& extra = {});

// Base of a suite with one server for all its tests. In SetUpTestSuite call start_server(options);
// TearDownTestSuite stops it. admin_ is the seeded super_admin's token, user_ a plain user's (with_user).
class ApiTest : public ::testing::Test {
 protected:
  static void start_server(ServerOptions options, bool with_user = false);
  static void TearDownTestSuite();
  static std::string sql(const std::string& q) { return exec_sql(server_->database_url(), q); }
  void SetUp() override { ASSERT_NE(server_, nullptr) << "the suite's server did not start"; }

  static inline ServerProcess* server_ = nullptr;
  static inline std::string admin_, admin_id_, user_, user_id_;
  HttpClient client{server_ ? server_->port() : 0};
};

}  // namespace netops::test
