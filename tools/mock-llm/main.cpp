// mock-llm: a simulated OpenAI / Anthropic upstream for tests, benchmarks and demos (see README.md).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server.hpp"

namespace {

constexpr const char* kUsage =
    "usage: mock-llm [--host 127.0.0.1] [--port 18080] [--threads 1] [--require-key KEY]\n"
    "                [--chunk-delay-us 0] [--verbose]\n"
    "  --port 0 picks a free port (printed on the first line of stdout).\n"
    "  The behaviour comes from the request's model name: echo, slow-<ms>, fail-<status>, flaky-<n>,\n"
    "  tools, nousage, hedge, long-<n> (see tools/mock-llm/README.md).\n";

long number_arg(std::string_view flag, const char* value, long min, long max) {
  char* end = nullptr;
  long n = std::strtol(value, &end, 10);
  if (end == value || *end != '\0' || n < min || n > max) {
    std::fprintf(stderr, "mock-llm: %s needs a number between %ld and %ld, got '%s'\n", std::string(flag).c_str(), min,
                 max, value);
    std::exit(2);
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  mockllm::Context ctx;
  auto& o = ctx.opts;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (flag == "--verbose" || flag == "-v") {
      o.verbose = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "mock-llm: unknown option or missing value: %s\n%s", argv[i], kUsage);
      return 2;
    }
    const char* value = argv[++i];
    if (flag == "--port")
      o.port = static_cast<int>(number_arg(flag, value, 0, 65535));
    else if (flag == "--host")
      o.host = value;
    else if (flag == "--threads")
      o.threads = static_cast<int>(number_arg(flag, value, 1, 256));
    else if (flag == "--require-key")
      o.require_key = value;
    else if (flag == "--chunk-delay-us")
      o.chunk_delay_us = number_arg(flag, value, 0, 10'000'000);
    else {
      std::fprintf(stderr, "mock-llm: unknown option: %s\n%s", argv[i - 1], kUsage);
      return 2;
    }
  }
  std::signal(SIGPIPE, SIG_IGN);
  return mockllm::run_server(ctx);
}
