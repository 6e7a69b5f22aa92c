#pragma once
// tools/mock-llm as a child process on a free port (NETOPS_MOCK_LLM_BINARY), started and waited for
// (/health) by the constructor, SIGTERM'd by stop() or the destructor.
#include <string>
#include <vector>

namespace netops::test {

std::string mock_llm_binary();

class MockLlmProcess {
 public:
  explicit MockLlmProcess(std::vector<std::string> args = {});  // extra command-line flags
  ~MockLlmProcess();
  MockLlmProcess(const MockLlmProcess&) = delete;
  MockLlmProcess& operator=(const MockLlmProcess&) = delete;
  int stop();  // SIGTERM; returns the exit code (128+signal when killed)
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int port_;
  int pid_ = -1;
};

}  // namespace netops::test
