#include "support/redis_process.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

#include "support/server_process.hpp"
#include "support/test_env.hpp"

namespace netops::test {

namespace {
bool answers(int port) {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  if (ok) {
    const char ping[] = "PING\r\n";
    ok = ::write(s, ping, sizeof ping - 1) == sizeof ping - 1;
    char buf[16] = {};
    ok = ok && ::read(s, buf, sizeof buf) > 0 && std::string(buf).rfind("+PONG", 0) == 0;
  }
  ::close(s);
  return ok;
}
}  // namespace

RedisProcess::RedisProcess() : port_(free_port()) {}
RedisProcess::~RedisProcess() { stop(); }

void RedisProcess::start() {
  if (pid_ > 0) return;
  pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    std::string port = std::to_string(port_);
    std::FILE* devnull = std::fopen("/dev/null", "w");
    if (devnull) dup2(fileno(devnull), 1);
    execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1", "--save", "",
           "--appendonly", "no", "--daemonize", "no", static_cast<char*>(nullptr));
    _exit(127);
  }
  if (!eventually([&] { return answers(port_); }, 10000)) throw std::runtime_error("redis-server did not start");
}

void RedisProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace netops::test
