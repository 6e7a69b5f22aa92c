#pragma once
// A streamed turn's relay: reads the gateway's OpenAI chunk stream (Anthropic already translated),
// forwards text and tool-call deltas to the client as chat events while the client is there, and keeps
// reading after it left so the answer is complete when it is stored.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/response.hpp"
#include "llm/sse.hpp"

namespace netops::chat {

// "data: <event>\n\n"
std::string sse_event(const nlohmann::json& event);

class StreamRelay final : public http::StreamWriter {
 public:
  // out: the client's stream; null when the client left before the response began.
  explicit StreamRelay(http::StreamWriter* out) : out_(out) {}

  Task<bool> write(std::string_view chunk) override;  // never "gone": the upstream is read to its end
  bool client_gone() const override { return false; }

  bool gone() const { return gone_ || !out_; }
  const std::string& text() const { return text_; }
  const std::string& finish_reason() const { return finish_; }
  const std::optional<std::string>& error() const { return error_; }
  nlohmann::json tool_calls() const { return calls_.empty() ? nlohmann::json() : nlohmann::json(calls_); }

 private:
  void merge_tool_calls(const nlohmann::json& deltas);

  http::StreamWriter* out_;
  bool gone_ = false;
  llm::SseParser parser_;
  std::string text_, finish_;
  std::optional<std::string> error_;
  std::vector<nlohmann::json> calls_;
};

}  // namespace netops::chat
