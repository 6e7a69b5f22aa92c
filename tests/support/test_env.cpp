#include "support/test_env.hpp"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <stdexcept>

namespace netops::test {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return (v && *v) ? std::string(v) : fallback;
}

std::string admin_url() { return env_or("NETOPS_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:55432/postgres"); }
std::string redis_base_url() { return env_or("NETOPS_TEST_REDIS_URL", "redis://127.0.0.1:56379"); }

int redis_port() {
  auto base = redis_base_url();
  auto colon = base.rfind(':');
  return std::stoi(base.substr(colon + 1));
}

std::string exec_sql(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("connect " + url + ": " + msg);
  }
  PGresult* r = PQexec(c, sql.c_str());
  auto st = PQresultStatus(r);
  std::string out;
  if (st == PGRES_TUPLES_OK && PQntuples(r) > 0 && PQnfields(r) > 0) out = PQgetvalue(r, 0, 0);
  std::string err = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw std::runtime_error(sql + ": " + err);
  return out;
}

static std::string url_with_db(const std::string& admin, const std::string& db) {
  // admin is postgresql://user@host:port/dbname[?params]
  auto q = admin.find('?');
  std::string params = q == std::string::npos ? "" : admin.substr(q);
  std::string base = admin.substr(0, q);
  auto slash = base.rfind('/');
  return base.substr(0, slash + 1) + db + params;
}

std::string create_database(const std::string& suite) {
  std::random_device rd;
  std::string name = "netops_test_" + env_or("NETOPS_TEST_RUN_ID", "local") + "_" + suite + "_" +
                     std::to_string(rd() % 1000000);
  exec_sql(admin_url(), "CREATE DATABASE " + name);
  return url_with_db(admin_url(), name);
}

void drop_database(const std::string& url) {
  auto q = url.find('?');
  std::string base = url.substr(0, q);
  std::string name = base.substr(base.rfind('/') + 1);
  try {
    exec_sql(admin_url(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  } catch (...) {
  }
}

int free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  ::close(s);
  return port;
}

}  // namespace netops::test
