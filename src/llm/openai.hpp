#pragma once
// OpenAI-compatible upstreams (OpenAI, OpenRouter, Ollama, vLLM, LM Studio): the client already speaks
// this format, so the adapter only renames the model, asks streams for usage and reads usage back.
// Pure functions: JSON in, JSON/bytes out; the HTTP client and the gateway module do the I/O.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "llm/usage.hpp"

namespace netops {

// One non-streamed upstream answer, translated for the client (shared by every adapter).
struct ParsedResponse {
  nlohmann::json response;    // an OpenAI chat.completion; "model" is the client-visible model id (see object())
  Usage usage;                // reported=false when the upstream sent no usage (caller then estimates)
  std::string text;           // assistant text of choices[0], for quality scoring and estimates
  std::string finish_reason;  // OpenAI vocabulary: stop | length | tool_calls | content_filter | ""
  // A passed-through answer (OpenAI-compatible upstreams): the upstream's bytes with "model" replaced, what
  // the client gets. Usage, text and finish reason are then read from them without building `response`,
  // which stays null until object() is asked for it.
  std::string bytes;

  // The answer as an object: `response`, parsed from `bytes` on first use (ask before moving `bytes` away).
  const nlohmann::json& object();
};

// True when the client itself asked for the trailing usage chunk (stream_options.include_usage).
bool client_wants_usage(const nlohmann::json& client_request);

// The client's request with "model" set to the upstream name. Streams get stream_options.include_usage
// = true (other stream_options kept) so accounting always has real counts; non-streams lose "stream" and
// "stream_options" (OpenAI refuses stream_options without stream).
nlohmann::json openai_request(const nlohmann::json& client_request, const std::string& upstream_model,
                              bool stream);

// Body unchanged except "model" = client_model. Usage is normalised to the disjoint form of Usage:
// prompt_tokens_details.cached_tokens (a subset of OpenAI's prompt_tokens) moves to cache_read_tokens.
ParsedResponse parse_openai_response(const nlohmann::json& body, const std::string& client_model);

// Reads the upstream's usage object (null/absent → reported=false).
Usage openai_usage(const nlohmann::json& usage);
// The same from the four counts it reads (prompt_tokens, completion_tokens, prompt_tokens_details.
// cached_tokens and .cache_write_tokens), for callers that read them without a DOM: reported=true.
Usage openai_usage_counts(std::int64_t prompt, std::int64_t completion, std::int64_t cached,
                          std::int64_t cache_writes);

// Usage in OpenAI's shape: prompt_tokens counts every input token (cached ones included, as OpenAI does),
// prompt_tokens_details.cached_tokens the cache reads. Used by adapters that translate into OpenAI.
nlohmann::ordered_json openai_usage_json(const Usage& usage);

// Passthrough of an OpenAI-compatible SSE stream. Each upstream event is forwarded as its original data,
// re-framed as "data: …\n\n" but never re-serialised: the "model" field is NOT rewritten in streams, so
// clients see the upstream's model name in chunks (as OpenAI itself reports dated snapshot names); the
// x-netops-model header carries the client-visible id. Re-serialising every chunk would cost a parse and
// dump per token and break byte-exact passthrough.
// The usage chunk (choices empty, usage set) is always captured; it is forwarded only when the client
// asked for include_usage — otherwise we injected it and the client must not see it. Other chunks keep
// their "usage": null field (harmless to clients, and removing it would need re-serialising).
class OpenAiStream {
 public:
  explicit OpenAiStream(bool client_wants_usage) : client_wants_usage_(client_wants_usage) {}

  // Bytes to write to the client for this event ("" = nothing).
  std::string feed(std::string_view event, std::string_view data);
  template <class SseEvent>
  std::string feed(const SseEvent& e) {
    return feed(e.event, e.data);
  }

  bool done() const { return done_; }      // "[DONE]" seen
  bool failed() const { return failed_; }  // the upstream sent an {"error":…} object mid-stream
  const std::string& error() const { return error_; }
  const Usage& usage() const { return usage_; }
  const std::string& text() const { return text_; }  // content of choice 0
  const std::string& finish_reason() const { return finish_reason_; }
  // Completion tokens counted from everything streamed (text and tool-call arguments of all choices),
  // for when the upstream never sent usage.
  std::int64_t estimated_completion_tokens() const;

 private:
  bool client_wants_usage_;
  bool done_ = false;
  bool failed_ = false;
  std::string error_;
  Usage usage_;
  std::string text_;
  std::string streamed_;  // every generated character, for estimates
  std::string finish_reason_;
};

// "data: <line>\n" per line of `data` (SSE allows multi-line data) + "\n"; "event: …" first when named.
std::string sse_frame(std::string_view event, std::string_view data);

// A provider's error message for logs and the client's UPSTREAM_ERROR envelope: error.message of an
// OpenAI-style body ({"error":"…"} from Ollama, {"message":…}/{"detail":…} from vLLM-like servers), with
// anything key-like redacted and cut to 300 characters; a generic message when the body has none. The raw
// body is never echoed: it might be an HTML page or contain the request headers.
std::string error_message(int status, const std::string& body);

// Replaces key-like words (sk-…, nk_…, Bearer …, long random-looking tokens) with "[redacted]".
std::string redact_secrets(std::string_view text);

// redact_secrets, then cut to 300 characters (UTF-8 safe): what any upstream-provided text may become
// before it reaches a log line or a client.
std::string safe_error_text(std::string_view text);

}  // namespace netops
