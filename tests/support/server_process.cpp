#include "support/server_process.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/http_client.hpp"
#include "support/test_env.hpp"

namespace netops::test {

ServerProcess::ServerProcess(ServerOptions opts) : opts_(std::move(opts)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) kill_hard();
  if (own_db_) drop_database(db_url_);
}

void ServerProcess::start() {
  if (db_url_.empty()) {
    if (opts_.database_url.empty()) {
      db_url_ = create_database(opts_.suite);
      own_db_ = true;
    } else {
      db_url_ = opts_.database_url;
    }
  }
  if (redis_url_.empty()) {
    if (opts_.redis_url.empty()) {
      redis_db_ = RedisDb::claim();
      redis_url_ = redis_db_->url();
    } else {
      redis_url_ = opts_.redis_url;
    }
  }
  // A port chosen here can still be lost to another process before the server binds it: then choose again.
  bool chosen_here = port_ == 0;
  for (int attempt = 1;; ++attempt) {
    if (chosen_here) port_ = opts_.choose_port();
    try {
      spawn();
      return;
    } catch (const std::runtime_error& e) {
      bool lost_port = std::string(e.what()).find("Address already in use") != std::string::npos;
      if (!chosen_here || !lost_port || attempt == 3) throw;
    }
  }
}

void ServerProcess::spawn() {
  std::map<std::string, std::string> env = {
      {"NETOPS_LISTEN", "127.0.0.1:" + std::to_string(port_)},
      {"NETOPS_DATABASE_URL", db_url_},
      {"NETOPS_REDIS_URL", redis_url_},
      {"NETOPS_JWT_SECRET", env_or("NETOPS_JWT_SECRET", std::string(64, 'j'))},
      {"NETOPS_MASTER_KEY", env_or("NETOPS_MASTER_KEY", std::string(64, 'a'))},
      {"NETOPS_ADMIN_EMAIL", "admin@example.com"},
      {"NETOPS_ADMIN_PASSWORD", "admin-password-123"},
      {"NETOPS_THREADS", "2"},
      {"NETOPS_DB_POOL_SIZE", "8"},
      {"NETOPS_LOG_LEVEL", "info"},
      {"NETOPS_STORAGE_DIR", "/tmp/netops-test-storage-" + std::to_string(port_)},
  };
  for (auto& [k, v] : opts_.env) env[k] = v;
  admin_password_ = env["NETOPS_ADMIN_PASSWORD"];
  // One file per start: a port reused by an earlier run must not hand its old output to output().
  static std::atomic<int> starts{0};
  log_path_ = "/tmp/netops-test-server-" + std::to_string(getpid()) + "-" + std::to_string(++starts) + "-" +
              std::to_string(port_) + ".log";
  std::remove(log_path_.c_str());
  pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test process
    if (getppid() != parent) _exit(1);
    std::FILE* log = std::fopen(log_path_.c_str(), "a");
    if (log) {
      dup2(fileno(log), 1);
      dup2(fileno(log), 2);
    }
    for (auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    execl(NETOPS_SERVER_BINARY, NETOPS_SERVER_BINARY, "serve", static_cast<char*>(nullptr));
    _exit(127);
  }
  const char* probe = opts_.wait_ready ? "/health/ready" : "/health/live";
  auto up = eventually(
      [&] {
        if (pid_ < 0) return true;  // exited: reported below
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          throw std::runtime_error("server exited during start-up:\n" + output());
        }
        HttpClient c(port_);
        return c.get(probe).status == 200;
      },
      20000, std::string("the server's ") + probe);
  if (pid_ < 0) throw std::runtime_error("server exited during start-up:\n" + output());
  if (!up) throw std::runtime_error(std::string(up.message()) + "\n" + output());
}

int ServerProcess::stop(int signal_number, int timeout_ms) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal_number);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill_hard();
  return -2;
}

void ServerProcess::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string ServerProcess::output() const {
  std::ifstream f(log_path_);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace netops::test
