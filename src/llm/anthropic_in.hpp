#pragma once
// The Anthropic Messages API as an INPUT format (the gateway's POST /v1/messages): an Anthropic request
// becomes the OpenAI chat request the orchestrator runs (tiers, rules, failover, escalation, accounting all
// unchanged), and the OpenAI-shaped answer — whatever provider produced it — goes back in Anthropic's shape,
// streams included. Pure functions and a byte-in/byte-out stream encoder; the route does the I/O.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "llm/sse.hpp"
#include "llm/usage.hpp"

namespace netops {

// Validates an Anthropic Messages request (AppError validation naming every wrong field, Anthropic's field
// names) and translates it to an OpenAI chat request. for_count: the body of /v1/messages/count_tokens
// (max_tokens not required, never streamed). Mapping:
//  - system (string or text blocks) → a first system message (blocks become text parts, cache_control kept);
//  - user text / image (base64 → data: URL, url) / document (base64 PDF → a "file" part) blocks → content parts;
//    tool_result blocks → role "tool" messages (tool_call_id = tool_use_id; text content; they precede the
//    user's other blocks, as OpenAI requires); is_error is not expressible in OpenAI and is dropped;
//  - assistant text → content, tool_use → tool_calls (input serialised as arguments); thinking blocks dropped;
//  - tools {name, description, input_schema} → function tools; server tools (a "type" other than custom) → 400;
//  - tool_choice auto|any|tool|none → "auto"|"required"|{function:{name}}|"none";
//    disable_parallel_tool_use → parallel_tool_calls:false;
//  - max_tokens, temperature, top_p, stop_sequences → stop, metadata.user_id → user, stream (+ include_usage);
//    top_k, thinking, service_tier have no OpenAI equivalent and are not forwarded.
nlohmann::json openai_from_anthropic(const nlohmann::json& request, bool for_count = false);

// stop → end_turn, length → max_tokens, tool_calls/function_call → tool_use, content_filter → refusal.
std::string anthropic_stop_reason(std::string_view openai_finish_reason);

// Anthropic's usage object: input_tokens (not cached), output_tokens, cache_read_input_tokens,
// cache_creation_input_tokens.
nlohmann::ordered_json anthropic_usage_json(const Usage& usage);

// An OpenAI chat.completion → an Anthropic message {id, type:"message", role, model, content, stop_reason,
// stop_sequence, usage}. Tool-call arguments that are not a JSON object become {}.
nlohmann::ordered_json anthropic_message(const nlohmann::json& completion, const Usage& usage,
                                         const std::string& model);

// Anthropic's error type for an HTTP status (invalid_request_error, authentication_error, …).
std::string anthropic_error_type(int status);
// {"type":"error","error":{"type":…,"message":…}}
nlohmann::json anthropic_error_body(int status, const std::string& message);

// OpenAI chat.completion.chunk SSE bytes (as the gateway's stream relay writes them, split anywhere) →
// Anthropic's event stream: message_start, content_block_start, ping (once, after the first block start),
// content_block_delta (text_delta / input_json_delta), content_block_stop, message_delta (stop_reason and
// usage), message_stop; an {"error":…} event → event: error. message_start's input_tokens is the
// gateway's estimate; message_delta carries the upstream's real counts (input and output).
class MessagesStreamEncoder {
 public:
  MessagesStreamEncoder(std::string model, std::int64_t input_estimate);
  // Anthropic SSE bytes for these OpenAI bytes ("" when nothing is due). Throws std::length_error on an
  // oversized event.
  std::string feed(std::string_view bytes);
  bool done() const { return done_; }

 private:
  void event(std::string& out, const char* type, const nlohmann::ordered_json& data);
  void start_if_needed(std::string& out);
  void close_block(std::string& out);
  void open_block(std::string& out, nlohmann::ordered_json block);
  void finish(std::string& out);
  void on_chunk(std::string& out, const nlohmann::json& chunk);

  llm::SseParser parser_;
  std::vector<llm::SseEvent> events_;
  std::string model_;
  std::int64_t input_estimate_;
  std::string id_;
  bool started_ = false, pinged_ = false, done_ = false;
  int block_ = -1;            // index of the open content block, -1 when none
  int next_block_ = 0;
  bool text_open_ = false;    // the open block is a text block
  std::vector<int> tool_block_;  // OpenAI tool_calls index → content block index
  std::string finish_reason_;
  Usage usage_;
  bool has_usage_ = false;
  std::int64_t output_chars_ = 0;
};

}  // namespace netops
