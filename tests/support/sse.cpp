#include "support/sse.hpp"

#include <stdexcept>

namespace netops::test {

std::vector<SseEvent> parse_sse(const std::string& body) {
  std::vector<SseEvent> out;
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto end = body.find("\n\n", pos);
    if (end == std::string::npos) throw std::runtime_error("unterminated SSE event: " + body.substr(pos));
    SseEvent e;
    std::string block = body.substr(pos, end - pos);
    for (std::size_t line = 0; line < block.size();) {
      auto nl = block.find('\n', line);
      std::string l = block.substr(line, nl == std::string::npos ? std::string::npos : nl - line);
      if (l.rfind("event: ", 0) == 0) e.event = l.substr(7);
      if (l.rfind("data: ", 0) == 0) e.data = l.substr(6);
      line = nl == std::string::npos ? block.size() : nl + 1;
    }
    out.push_back(e);
    pos = end + 2;
  }
  return out;
}

}  // namespace netops::test
