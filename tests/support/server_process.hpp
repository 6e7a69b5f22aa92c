#pragma once
// Starts the real netops-gateway binary for API tests, against its own throw-away database.
#include <functional>
#include <map>
#include <string>

namespace netops::test {

struct ServerOptions {
  std::string database_url;  // empty: create a fresh database for this server (dropped by stop())
  std::string redis_url;     // empty: redis_url(db) of test_env with a db number from the suite name
  std::map<std::string, std::string> env;  // extra variables (override the defaults)
  std::string suite = "api";
  bool wait_ready = true;  // wait for /health/ready (else only /health/live)
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
  const std::string& admin_password() const { return admin_password_; }
  std::string output() const;  // stdout and stderr so far
  bool running() const { return pid_ > 0; }

 private:
  ServerOptions opts_;
  std::string db_url_;
  bool own_db_ = false;
  int port_ = 0;
  int pid_ = -1;
  std::string log_path_;
  std::string admin_password_;
};

// Polls fn every 20 ms until it returns true or the deadline passes.
bool eventually(const std::function<bool()>& fn, int timeout_ms = 10000);

}  // namespace netops::test
