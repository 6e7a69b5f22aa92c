#include "support/mock_llm.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "support/eventually.hpp"
#include "support/http_client.hpp"
#include "support/test_env.hpp"

namespace netops::test {

std::string mock_llm_binary() {
#ifdef NETOPS_MOCK_LLM_BINARY
  return NETOPS_MOCK_LLM_BINARY;
#else
  return (std::filesystem::path(NETOPS_SERVER_BINARY).parent_path() / "mock-llm").string();
#endif
}

MockLlmProcess::MockLlmProcess(std::vector<std::string> args) : port_(free_port()) {
  const std::string binary = mock_llm_binary();
  if (!std::filesystem::exists(binary)) throw std::runtime_error(binary + " is missing: build the mock-llm target");
  args.insert(args.begin(), {binary, "--port", std::to_string(port_)});
  pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  auto up = eventually([&] { return HttpClient(port_).get("/health").status == 200; }, 10000, "mock-llm /health");
  if (!up) {
    stop();
    throw std::runtime_error("mock-llm did not start: " + binary + ": " + up.message());
  }
}

MockLlmProcess::~MockLlmProcess() { stop(); }

int MockLlmProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace netops::test
