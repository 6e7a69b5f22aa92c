#pragma once
// What script/test hands to the tests, and throw-away databases made from it.
//   NETOPS_TEST_ADMIN_URL  libpq URL of a maintenance database with CREATEDB rights
//   NETOPS_TEST_REDIS_URL  redis://host:port (no db number)
//   NETOPS_TEST_RUN_ID     prefix of every database this run creates (script/test drops them after)
#include <string>

namespace netops::test {

std::string env_or(const char* name, const std::string& fallback);
std::string admin_url();
std::string redis_base_url();  // redis://host:port
// redis://host:port/db. ctest runs suites in parallel, so each suite owns its db numbers:
//   1 auth · 2 integration · 3 auth (two instances) · 4 gateway_stream · 6 models · 8 gateway ·
//   9 gateway_stream (shutdown) · 10 chat · 11–13 assets · 14 catalog · 15 spec_versions  (foundation runs its own Redis)
//   16–19 security (auth/http) · 20–23 accounting safety · 24–27 security_input   (script/setup: databases 64)
std::string redis_url(int db);
int redis_port();

// Creates an empty database named netops_test_<run>_<suite>_<random> and returns its URL.
std::string create_database(const std::string& suite);
void drop_database(const std::string& url);
// Runs one SQL statement synchronously (tests only); throws std::runtime_error with the server's message.
std::string exec_sql(const std::string& url, const std::string& sql);

int free_port();

}  // namespace netops::test
