#pragma once
// What script/test hands to the tests, and throw-away databases made from it.
//   NETOPS_TEST_ADMIN_URL  libpq URL of a maintenance database with CREATEDB rights
//   NETOPS_TEST_REDIS_URL  redis://host:port (no db number)
//   NETOPS_TEST_RUN_ID     prefix of every database this run creates (script/test drops them after)
#include <string>
#include <utility>

namespace netops::test {

std::string env_or(const char* name, const std::string& fallback);
std::string admin_url();
std::string redis_base_url();  // redis://host:port
// No db numbers here: ctest runs suites in parallel, so a test claims its own (support/redis_db.hpp).
int redis_port();

// Creates an empty database named netops_test_<run>_<suite>_<random> and returns its URL.
std::string create_database(const std::string& suite);
void drop_database(const std::string& url);
// Runs one SQL statement synchronously (tests only); throws std::runtime_error with the server's message.
std::string exec_sql(const std::string& url, const std::string& sql);

// The range the kernel draws outgoing connections' source ports from (ip_local_port_range).
std::pair<int, int> source_port_range();
// A free loopback port outside that range (test_env.cpp says why).
int free_port();

}  // namespace netops::test
