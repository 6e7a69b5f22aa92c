#include "support/test_env.hpp"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
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

// A port no other process is about to take. Ports the kernel hands out as the source port of outgoing
// connections (ip_local_port_range) are avoided: with suites running in parallel, a port found free there
// could be some client's source port before the server got to bind it (CI saw exactly that). Outside
// that range a port is only taken by a listener, and one bound a moment ago here is checked for.
std::pair<int, int> source_port_range() {
  int lo = 32768, hi = 60999;  // Linux's default
  if (std::FILE* f = std::fopen("/proc/sys/net/ipv4/ip_local_port_range", "r")) {
    if (std::fscanf(f, "%d %d", &lo, &hi) != 2) lo = 32768, hi = 60999;
    std::fclose(f);
  }
  return {lo, hi};
}

int free_port() {
  auto [lo, hi] = source_port_range();
  int first = 10000, last = lo - 1;
  if (last - first < 2000) first = hi + 1, last = 65535;
  static std::mutex m;
  std::lock_guard lock(m);
  static std::mt19937 rng(std::random_device{}() ^ static_cast<unsigned>(::getpid()));
  std::uniform_int_distribution<int> pick(first, last);
  for (int attempt = 0; attempt < 200; ++attempt) {
    int port = last > first ? pick(rng) : 0;
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // as the servers bind
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    bool ok = ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    socklen_t len = sizeof a;
    if (ok) ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    if (ok) return ntohs(a.sin_port);
  }
  throw std::runtime_error("no free port");
}

}  // namespace netops::test
