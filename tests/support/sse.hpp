#pragma once
// Server-sent events as the gateway and tools/mock-llm write them: blocks separated by a blank line,
// `event: ` (Anthropic; empty for OpenAI's data-only events) and `data: ` lines.
#include <string>
#include <vector>

namespace netops::test {

struct SseEvent {
  std::string event;
  std::string data;
};

// Throws std::runtime_error on an unterminated last event.
std::vector<SseEvent> parse_sse(const std::string& body);

}  // namespace netops::test
