#pragma once
// What the cluster and fault suites share, on top of the API-test kit (support/api.hpp):
//   NginxProcess  nginx from Debian in the foreground, configured by `script/cluster nginx-conf` — the same
//                 configuration script/cluster starts — on a free port in front of the given instances.
//   PgProcess     a PostgreSQL of the test's own (initdb into a temp dir, a free port, run as `postgres`
//                 when root, as script/lib.sh does): the fault tests stop and restart it, never the shared one.
//   Load          threads sending requests in a loop, recording what each answered.
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/api.hpp"

namespace cluster {

using namespace netops::test;

inline std::string read_file(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs argv as a child (as `postgres` when pg_user and we are root), output to log (appended).
// Returns the pid; the child dies with the test process.
inline pid_t spawn(const std::vector<std::string>& argv, const std::string& log, bool pg_user = false,
                   const std::vector<std::pair<std::string, std::string>>& env = {}) {
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    setpgid(0, 0);  // its own process group: PgProcess::freeze() stops the postmaster and its backends
    if (!log.empty()) {
      if (std::FILE* f = std::fopen(log.c_str(), "a")) {
        dup2(fileno(f), 1);
        dup2(fileno(f), 2);
      }
    }
    if (pg_user && geteuid() == 0) {
      passwd* pw = getpwnam("postgres");
      if (!pw) _exit(126);
      if (initgroups("postgres", pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) _exit(126);
      if (chdir("/") != 0) _exit(126);
    }
    for (auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return pid;
}

inline int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline bool tcp_open(int port) {
  try {
    HttpClient c(port);
    c.raw("", 200);
    return true;
  } catch (...) {
    return false;
  }
}

// The pid of the netops-gateway listening on 127.0.0.1:port (found by its environment), -1 if none.
inline pid_t gateway_pid(int port) {
  const std::string want = "NETOPS_LISTEN=127.0.0.1:" + std::to_string(port);
  for (auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string name = e.path().filename();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (read_file(e.path().string() + "/cmdline").find("netops-gateway") == std::string::npos) continue;
    std::string env = read_file(e.path().string() + "/environ");
    for (std::size_t at = 0; at < env.size();) {
      std::size_t end = env.find('\0', at);
      if (end == std::string::npos) end = env.size();
      if (env.compare(at, end - at, want) == 0) return std::stoi(name);
      at = end + 1;
    }
  }
  return -1;
}
inline long open_fds(pid_t pid) {
  long n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return n;
}
inline long rss_kb(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

class NginxProcess {
 public:
  NginxProcess(int port, const std::vector<int>& upstream_ports) : port_(port) {
    char tmpl[] = "/tmp/netops-test-nginx-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    chmod(dir_.c_str(), 0755);
    std::filesystem::create_directories(dir_ + "/nginx");
    for (const char* d : {"body", "proxy", "fastcgi", "uwsgi", "scgi"})
      std::filesystem::create_directories(dir_ + "/nginx/" + d);
    if (geteuid() == 0) {
      passwd* pw = getpwnam("nobody");
      group* gr = getgrnam("nogroup");
      if (pw && gr)
        for (auto& e : std::filesystem::recursive_directory_iterator(dir_ + "/nginx"))
          if (chown(e.path().c_str(), pw->pw_uid, gr->gr_gid) != 0) {
          }
    }
    std::vector<std::string> argv = {std::string(NETOPS_SOURCE_DIR) + "/script/cluster", "nginx-conf", dir_,
                                     "127.0.0.1:" + std::to_string(port)};
    for (int p : upstream_ports) argv.push_back("127.0.0.1:" + std::to_string(p));
    // The conf goes to stdout: the child's log is the conf file.
    std::remove((dir_ + "/nginx.conf").c_str());
    int rc = wait_exit(spawn(argv, dir_ + "/nginx.conf", false, {{"NETOPS_CLUSTER_DEBUG_HEADER", "1"}}));
    if (rc != 0) throw std::runtime_error("script/cluster nginx-conf failed: " + read_file(dir_ + "/nginx.conf"));
    start();
  }
  ~NginxProcess() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void start() {
    pid_ = spawn({nginx_binary(), "-e", dir_ + "/nginx-error.log", "-p", dir_, "-c", dir_ + "/nginx.conf", "-g",
                  "daemon off;"},
                 dir_ + "/nginx-stdout.log");
    if (!eventually([&] { return tcp_open(port_); }, 10000, "nginx listening"))
      throw std::runtime_error("nginx did not start: " + read_file(dir_ + "/nginx-error.log"));
  }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);  // fast shutdown of master and workers
    wait_exit(pid_);
    pid_ = -1;
  }
  int port() const { return port_; }
  std::string error_log() const { return read_file(dir_ + "/nginx-error.log"); }
  static std::string nginx_binary() {
    for (const char* p : {"/usr/sbin/nginx", "/usr/bin/nginx"})
      if (access(p, X_OK) == 0) return p;
    return "nginx";
  }

 private:
  int port_;
  std::string dir_;
  pid_t pid_ = -1;
};

class PgProcess {
 public:
  PgProcess() : port_(free_port()) {
    char tmpl[] = "/tmp/netops-test-pg-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    chmod(dir_.c_str(), 0755);
    if (geteuid() == 0) {
      passwd* pw = getpwnam("postgres");
      if (!pw) throw std::runtime_error("as root PostgreSQL needs the user postgres");
      if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("chown failed");
    }
    int rc = wait_exit(spawn({bin("initdb"), "-D", dir_ + "/data", "-U", "postgres", "--auth=trust", "--no-sync",
                              "-E", "UTF8", "--locale=C"},
                             dir_ + "/initdb.log", true));
    if (rc != 0) throw std::runtime_error("initdb failed: " + read_file(dir_ + "/initdb.log"));
    start();
  }
  ~PgProcess() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void start() {
    if (pid_ > 0) return;
    pid_ = spawn({bin("postgres"), "-D", dir_ + "/data", "-p", std::to_string(port_), "-k", dir_, "-c",
                  "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
                  "full_page_writes=off", "-c", "max_connections=200", "-c", "shared_buffers=32MB"},
                 dir_ + "/postgres.log", true);
    if (!eventually([&] { return ready(); }, 30000, "own PostgreSQL ready"))
      throw std::runtime_error("postgres did not start: " + read_file(dir_ + "/postgres.log"));
  }
  // Fast shutdown (SIGINT: sessions are terminated, as on a restart or fail-over), waits for the exit.
  void stop(int sig = SIGINT) {
    if (pid_ <= 0) return;
    thaw();  // a stopped postmaster would never exit
    ::kill(pid_, sig);
    wait_exit(pid_);
    pid_ = -1;
  }
  // The server stops answering without closing anything (a hung host, a network partition): SIGSTOP to
  // the postmaster and every process it started (backends are their own process groups: setsid), then
  // thaw() resumes them all.
  void freeze() {
    frozen_ = family();
    for (pid_t p : frozen_) ::kill(p, SIGSTOP);
  }
  void thaw() {
    for (pid_t p : frozen_) ::kill(p, SIGCONT);
    frozen_.clear();
  }
  bool ready() const {
    try {
      exec_sql(url(), "SELECT 1");
      return true;
    } catch (...) {
      return false;
    }
  }
  std::string url(const std::string& db = "postgres") const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + db;
  }
  int port() const { return port_; }

 private:
  static std::string bin(const std::string& name) { return "/usr/lib/postgresql/15/bin/" + name; }
  // The postmaster and its children (by the parent pid in /proc/<pid>/stat).
  std::vector<pid_t> family() const {
    std::vector<pid_t> out;
    if (pid_ <= 0) return out;
    out.push_back(pid_);
    for (auto& e : std::filesystem::directory_iterator("/proc")) {
      const std::string name = e.path().filename();
      if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::string stat = read_file(e.path().string() + "/stat");
      auto close = stat.rfind(')');
      if (close == std::string::npos) continue;
      std::istringstream rest(stat.substr(close + 2));
      std::string state;
      long ppid = 0;
      rest >> state >> ppid;
      if (ppid == pid_) out.push_back(static_cast<pid_t>(std::stol(name)));
    }
    return out;
  }
  std::vector<pid_t> frozen_;
  int port_;
  std::string dir_;
  pid_t pid_ = -1;
};

// Threads sending one kind of request in a loop until stop(); every answer (or transport failure, status
// 0) is recorded with its duration.
class Load {
 public:
  struct Sample {
    int status;
    double ms;
    std::chrono::steady_clock::time_point at;
    std::string body;
  };
  using Fn = std::function<HttpResponse(HttpClient&)>;
  // pause_ms between two requests of a thread: steady load that leaves the 2 cores to the server.
  Load(int port, int threads, Fn fn, int pause_ms = 5) {
    for (int i = 0; i < threads; ++i)
      threads_.emplace_back([this, port, fn, pause_ms] {
        HttpClient c(port);
        while (!stop_) {
          auto t0 = std::chrono::steady_clock::now();
          Sample s{0, 0, t0, {}};
          try {
            auto r = fn(c);
            s.status = r.status;
            if (r.status != 200 && r.status != 201) s.body = r.body.substr(0, 300);
          } catch (const std::exception& e) {
            s.body = e.what();  // the client reconnects on its next request
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          }
          s.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
          {
            std::lock_guard lock(mu_);
            samples_.push_back(std::move(s));
          }
          if (pause_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
        }
      });
  }
  ~Load() { stop(); }
  void stop() {
    stop_ = true;
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }
  std::vector<Sample> samples() {
    std::lock_guard lock(mu_);
    return samples_;
  }
  std::size_t count(int status) {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (auto& s : samples_) n += s.status == status;
    return n;
  }
  std::size_t size() {
    std::lock_guard lock(mu_);
    return samples_.size();
  }

 private:
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<Sample> samples_;
  std::vector<std::thread> threads_;
};

}  // namespace cluster
