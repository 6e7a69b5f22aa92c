#pragma once
// A private redis-server for tests that stop and restart Redis (never the shared one).
#include <string>

namespace netops::test {

class RedisProcess {
 public:
  RedisProcess();
  ~RedisProcess();
  void start();  // on the same port every time, waits until it answers
  void stop();   // SIGKILL: an outage, not a clean shutdown
  int port() const { return port_; }
  std::string url(int db = 0) const { return "redis://127.0.0.1:" + std::to_string(port_) + "/" + std::to_string(db); }

 private:
  int port_;
  int pid_ = -1;
};

}  // namespace netops::test
