#include "support/tcp_proxy.hpp"

#include "support/fault_kit.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace netops::test {

namespace {
// Appends `chunk` to a search window that keeps the last `keep` bytes; true when `pattern` is in it.
bool seen(std::string& window, const char* chunk, std::size_t n, const std::string& pattern) {
  window.append(chunk, n);
  bool found = !pattern.empty() && window.find(pattern) != std::string::npos;
  std::size_t keep = pattern.size() > 1 ? pattern.size() - 1 : 0;
  if (window.size() > keep) window.erase(0, window.size() - keep);
  return found;
}

}  // namespace

TcpProxy::TcpProxy(int target_port) : target_port_(target_port) {
  listen_fd_ = listen_loopback(port_);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TcpProxy::~TcpProxy() {
  stop_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  ::close(listen_fd_);
  for (auto& t : pumps_)
    if (t.joinable()) t.join();
}

void TcpProxy::cut_once(std::string client_first, std::string client_then, std::string target_reply) {
  std::lock_guard lk(mu_);
  cut_ = {std::move(client_first), std::move(client_then), std::move(target_reply)};
  armed_ = true;
}

void TcpProxy::accept_loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int client = ::accept(listen_fd_, nullptr, nullptr);
    if (client < 0) continue;
    int target = connect_to(target_port_);
    if (target < 0) {
      ::close(client);
      continue;
    }
    pumps_.emplace_back([this, client, target] { pump(client, target); });
  }
}

// One connection: bytes both ways until either side closes (or the proxy stops, or the cut fires).
void TcpProxy::pump(int client, int target) {
  Cut cut;                 // read when the cut is armed: connections opened before (a pool's) count too
  bool following = false;  // this connection may be the one to cut
  enum { waiting_first, waiting_then, waiting_reply } stage = waiting_first;
  std::string from_client, from_target, rollback_window;
  char buf[65536];
  while (!stop_) {
    pollfd p[2] = {{client, POLLIN, 0}, {target, POLLIN, 0}};
    int n = ::poll(p, 2, 100);
    if (n < 0) break;
    if (n == 0) continue;
    if (p[0].revents) {
      ssize_t r = ::recv(client, buf, sizeof buf, 0);
      if (r <= 0) break;
      auto len = static_cast<std::size_t>(r);
      if (cut.client_first.empty()) {
        std::lock_guard lk(mu_);
        if (armed_) cut = cut_;
      }
      if (!cut.client_first.empty() && !fired_) {
        if (stage == waiting_first && seen(from_client, buf, len, cut.client_first)) {
          bool expected = false;
          following = claimed_.compare_exchange_strong(expected, true);
          if (following) {
            stage = waiting_then;
            from_client.clear();
          }
        } else if (following && stage == waiting_then && seen(from_client, buf, len, cut.client_then)) {
          stage = waiting_reply;
        } else if (following && stage == waiting_then && seen(rollback_window, buf, len, "ROLLBACK")) {
          // That transaction was not the one: the next connection that shows `client_first` may follow.
          following = false;
          stage = waiting_first;
          from_client.clear();
          rollback_window.clear();
          claimed_ = false;
        }
      }
      if (!send_all(target, buf, len)) break;
    }
    if (p[1].revents) {
      ssize_t r = ::recv(target, buf, sizeof buf, 0);
      if (r <= 0) break;
      auto len = static_cast<std::size_t>(r);
      if (following && stage == waiting_reply && seen(from_target, buf, len, cut.target_reply)) {
        fired_ = true;  // the answer is dropped: the client sees its connection close instead
        break;
      }
      if (!send_all(client, buf, len)) break;
    }
  }
  ::close(client);
  ::close(target);
}

}  // namespace netops::test
