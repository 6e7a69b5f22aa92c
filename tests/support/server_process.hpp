#pragma once
// Starts the real netops-gateway binary for API tests, against its own throw-away database.
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "support/eventually.hpp"
#include "support/redis_db.hpp"
#include "support/test_env.hpp"

namespace netops::test {

struct ServerOptions {
  std::string database_url;  // empty: create a fresh database for this server (dropped by stop())
  std::string redis_url;     // empty: a Redis db claimed for this server alone (RedisDb::claim, flushed)
  std::map<std::string, std::string> env;  // extra variables (override the defaults)
  std::string suite = "api";
  bool wait_ready = true;  // wait for /health/ready (else only /health/live)
  std::function<int()> choose_port = free_port;  // how start() picks the port (tests of the retry swap it)
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions opts);
  ~ServerProcess();
  void start();
  int stop(int signal_number = 15, int timeout_ms = 40000);  // returns the exit code (or 128+signal)
  void kill_hard();
  int port() const { return port_; }
  const std::string& database_url() const { return db_url_; }
  const std::string& redis_url() const { return redis_url_; }  // set by start()
  const std::string& admin_password() const { return admin_password_; }
  std::string output() const;  // stdout and stderr so far
  bool running() const { return pid_ > 0; }
  int pid() const { return pid_; }

 private:
  void spawn();  // one start on port_; throws with the server's output when it does not come up
  ServerOptions opts_;
  std::string db_url_;
  bool own_db_ = false;
  std::string redis_url_;
  std::shared_ptr<RedisDb> redis_db_;  // claimed when opts_.redis_url is empty; released with the server
  int port_ = 0;
  int pid_ = -1;
  std::string log_path_;
  std::string admin_password_;
};

}  // namespace netops::test
