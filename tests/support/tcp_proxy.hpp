#pragma once
// A TCP proxy on 127.0.0.1 for fault tests: forwards every connection to a target port, and can cut one
// connection at a chosen moment of a conversation — after the client sent `client_first` and then
// `client_then`, as soon as the target's answer contains `target_reply`, that answer is dropped and both
// sides are closed. Used to lose the answer to a COMMIT the server has carried out (a PostgreSQL outage at
// the worst moment), without stopping the database. A connection that sends ROLLBACK after `client_first`
// (and before `client_then`) gives the cut up to the next one that shows `client_first`: the transaction
// that carried it did not commit. Byte patterns are searched across read boundaries.
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace netops::test {

class TcpProxy {
 public:
  explicit TcpProxy(int target_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  // Arms one cut (the first connection that matches; later ones pass untouched).
  void cut_once(std::string client_first, std::string client_then, std::string target_reply);
  bool fired() const { return fired_.load(); }

 private:
  struct Cut {
    std::string client_first, client_then, target_reply;
  };
  void accept_loop();
  void pump(int client, int target);
  int target_port_;
  int port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<bool> fired_{false};
  std::atomic<bool> claimed_{false};  // a connection is following the cut's conversation
  std::mutex mu_;
  Cut cut_;
  bool armed_ = false;
  std::thread acceptor_;
  std::vector<std::thread> pumps_;
};

}  // namespace netops::test
