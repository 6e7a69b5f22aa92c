#pragma once
// Anthropic Messages API adapter: OpenAI Chat Completions in → Messages out → OpenAI back to the client,
// for requests, answers, stop reasons, usage and streaming events (SPEC §4.2 "Translation").
// Pure functions: JSON in, JSON/bytes out; the HTTP client and the gateway module do the I/O.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "llm/openai.hpp"
#include "llm/usage.hpp"

namespace netops {

// Translates an OpenAI chat request for POST /v1/messages. Throws AppError(validation) for content that
// cannot be expressed (unknown role, image URL that is neither data: nor http(s), tool-call arguments
// that are not a JSON object). Mapping:
//  - the text of every system/developer message (each text part), in order, joined by "\n\n" → `system`;
//  - user/assistant text and image_url parts → content blocks (data: URLs → base64 source, http(s) → url
//    source); PDF "file" parts → document blocks; empty text is dropped (Anthropic refuses it); a part's
//    Anthropic-style "cache_control" is copied to its block (then `system` is sent as blocks, not a string);
//  - assistant tool_calls → tool_use blocks (arguments parsed; "" → {});
//  - role "tool" → a user message holding a tool_result block; consecutive same-role messages are merged
//    (Anthropic requires alternation), tool_result blocks first in a merged user message (Anthropic
//    requires results to precede any text);
//  - tools → {name, description, input_schema}; tool_choice auto → {type:auto}, required → {type:any},
//    {function:{name}} → {type:tool,name}, none → tools omitted, or {type:none} when the history holds
//    tool blocks (Anthropic refuses tool blocks without tool definitions); parallel_tool_calls:false →
//    disable_parallel_tool_use;
//  - max_completion_tokens, else max_tokens, else default_max_tokens (Anthropic requires one);
//    temperature clamped to Anthropic's [0,1] (OpenAI allows up to 2); top_p; stop → stop_sequences;
//    user → metadata.user_id. OpenAI-only knobs (n, penalties, logit_bias, seed, response_format) are
//    dropped.
nlohmann::json anthropic_request(const nlohmann::json& openai_request, const std::string& upstream_model,
                                 bool stream, int default_max_tokens);

// Anthropic usage → Usage. Usage::prompt_tokens = input_tokens ONLY (Anthropic reports cache reads and
// writes separately, so they can be priced at their own rates); cache_read_input_tokens →
// cache_read_tokens, cache_creation_input_tokens → cache_write_tokens.
Usage anthropic_usage(const nlohmann::json& usage);

// end_turn/stop_sequence/pause_turn → stop, max_tokens/model_context_window_exceeded → length,
// tool_use → tool_calls, refusal → content_filter; anything else → stop.
std::string anthropic_finish_reason(std::string_view stop_reason);

// A Messages answer as an OpenAI chat.completion: id = the Anthropic message id, model = client_model,
// choices[0].message {role, content: joined text or null, tool_calls}, finish_reason, and OpenAI usage
// whose prompt_tokens = input + cache read + cache write (what OpenAI clients expect: every input token)
// with prompt_tokens_details.cached_tokens = cache read. created = 0 means now.
ParsedResponse parse_anthropic_response(const nlohmann::json& body, const std::string& client_model,
                                        std::int64_t created = 0);

// Translates an Anthropic event stream into OpenAI chat.completion.chunk SSE bytes. Every chunk carries
// the same id (the Anthropic message id), created and client-visible model.
//   message_start       → a chunk with delta {role:"assistant", content:""}
//   text_delta          → delta.content
//   tool_use block start→ delta.tool_calls[{index, id, type:"function", function:{name, arguments:""}}]
//   input_json_delta    → delta.tool_calls[{index, function:{arguments: partial}}]
//   message_delta       → a chunk with delta {} and finish_reason
//   message_stop        → a usage chunk (choices []) if the client asked for include_usage, then [DONE]
//   error               → data: {"error":{message,type,param,code}} and the stream ends failed (no [DONE]:
//                         OpenAI ends a failed stream the same way)
//   ping, content_block_stop, thinking/signature/citations deltas, unknown events → nothing
class AnthropicStream {
 public:
  AnthropicStream(std::string client_model, bool client_wants_usage, std::int64_t created = 0);

  // Bytes to write to the client for this event ("" = nothing). The event type is read from the data's
  // "type" field, falling back to the SSE event name.
  std::string feed(std::string_view event, std::string_view data);
  template <class SseEvent>
  std::string feed(const SseEvent& e) {
    return feed(e.event, e.data);
  }

  bool done() const { return done_; }  // message_stop or error seen
  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }
  // Merged message_start + message_delta usage (message_delta counts are cumulative, so the last non-zero
  // value wins). reported is true only once message_delta gave the final output count; a stream cut
  // before that keeps the real input counts but estimates completion_tokens from what was streamed.
  Usage usage() const;
  const std::string& text() const { return text_; }
  const std::string& finish_reason() const { return finish_reason_; }
  std::int64_t estimated_completion_tokens() const;

 private:
  // One chunk with choices[0].delta; an empty finish_reason is sent as null.
  std::string chunk(nlohmann::ordered_json delta, const std::string& finish_reason = {}) const;
  std::string start_if_needed();
  void merge_usage(const nlohmann::json& usage);

  std::string client_model_;
  bool client_wants_usage_;
  std::int64_t created_;
  std::string id_ = "msg_unknown";
  bool started_ = false;
  bool done_ = false;
  bool failed_ = false;
  bool final_usage_ = false;
  std::string error_;
  Usage usage_;
  std::vector<int> tool_index_by_block_;  // Anthropic content block index → OpenAI tool_calls index
  int next_tool_index_ = 0;
  std::string text_;
  std::string streamed_;  // text, tool names and argument JSON, for estimates
  std::string finish_reason_;
};

// "<error.type>: <error.message>" from Anthropic's {"type":"error","error":{…}} body, key-like words
// redacted; a generic message when the body has none. Never the raw body.
std::string anthropic_error_message(int status, const std::string& body);

}  // namespace netops
