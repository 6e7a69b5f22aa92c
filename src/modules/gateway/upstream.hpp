#pragma once
// One call to one provider: build the request with the provider's adapter (OpenAI-compatible or
// Anthropic), send it with the shared HTTP client, and translate the answer or classify the failure.
// Provider keys go into request headers only; nothing here puts them into a message.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "llm/anthropic.hpp"
#include "llm/http_client.hpp"
#include "llm/openai.hpp"
#include "llm/sse.hpp"
#include "modules/gateway/orchestrator.hpp"

namespace netops::gateway {

// capabilities.format "anthropic" or auth_type x-api-key → the Messages API; anything else speaks OpenAI.
bool uses_anthropic(const ai_registry::Provider& p);

// Throws AppError(validation) when the request cannot be expressed for this provider (Anthropic). `raw`
// (the client's body as received, optional) lets an OpenAI-compatible request go out as edited bytes.
llm::UpstreamRequest build_request(const Target& t, const nlohmann::json& body, const std::string* raw, bool stream,
                                   const llm::Timeouts& timeouts);

enum class Outcome {
  ok,
  caller_error,  // 4xx other than 401-404/408/429 (400, 413, 422, …): returned to the client as is, no failover
  failure,       // connect error, timeout, 401-404, 408, 429, 5xx, malformed answer: retry / fail over
};

struct CallResult {
  Outcome outcome = Outcome::failure;
  int status = 0;                      // upstream HTTP status; 0 when the transport failed
  std::string error_code;              // usage_logs.error_code: http_503, timeout, connect, stream_error, …
  std::string message;                 // provider's error message, secrets redacted
  std::optional<int> retry_after_ms;   // from Retry-After / retry-after-ms
  bool timeout = false;
  bool provider_config = false;        // 401/402/403/404: the provider's key, credits or model are wrong (no retry)
  ParsedResponse parsed;               // when ok (non-stream)
  double upstream_seconds = 0;         // time spent in the exchange (stream: until it was committed)
};

// retry-after-ms ("1500"), else Retry-After as seconds ("2") or as an HTTP-date (the time left until then,
// 0 when past); nullopt when absent or unparsable. Capped at one day.
std::optional<int> retry_after_ms(const std::string& retry_after, const std::string& retry_after_ms_header,
                                  std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
// Fills outcome/status/error_code/message/retry_after_ms of a non-2xx answer. 401/402/403/404 say the
// gateway's own provider configuration is broken (SPEC §4.2): a failure (failover, breaker), never the
// caller's status; the message names the provider problem.
void classify_status(CallResult& r, int status, const std::string& body, const std::string& retry_after,
                     const std::string& retry_after_ms_header, bool anthropic, const std::string& provider_id = {});
// What a 401/402/403/404 from a provider means, e.g. "its API key was refused"; "" for other statuses.
std::string provider_problem(int status);

// Non-streamed call: the whole answer, translated to an OpenAI chat.completion whose model is client_model.
Task<CallResult> call_upstream(llm::HttpClient& client, Target t, std::shared_ptr<const nlohmann::json> body,
                               std::shared_ptr<const std::string> raw, llm::Timeouts timeouts,
                               std::string client_model);

// An OpenAI chat.completion's usage, choice 0's text and finish reason read in one pass over its bytes, as
// parse_openai_response would give them; false (and `out` cleared) when the answer needs the parse.
bool scan_openai_answer(std::string_view bytes, ParsedResponse& out);

// An upstream stream the gateway has committed to: its response headers are in (and, per StreamCommit,
// its first event, in `first`).
class LiveStream {
 public:
  LiveStream(std::unique_ptr<llm::UpstreamStream> up, bool anthropic, const std::string& client_model,
             bool client_wants_usage);
  // Client bytes for these upstream bytes ("" when nothing is due). Throws std::length_error on an
  // oversized event.
  std::string feed(std::string_view piece);
  // The same, without copies where possible: true when the client gets exactly `piece` (an OpenAI-compatible
  // upstream's bytes that start and end on event boundaries and whose events all go to the client as they
  // are — the common case: one upstream read, one client write, no re-framing); otherwise `out` holds the
  // bytes (re-framed events, or "" when nothing is due).
  bool feed(std::string_view piece, std::string& out);
  llm::UpstreamStream& upstream() { return *up_; }
  bool done() const;
  bool failed() const;
  const std::string& error() const;
  Usage usage() const;  // reported=false when the upstream sent none
  const std::string& text() const;
  std::int64_t estimated_completion_tokens() const;

  std::string first;  // what the first event(s) produced, not yet written to the client

 private:
  std::unique_ptr<llm::UpstreamStream> up_;
  llm::SseParser parser_;
  std::vector<llm::SseEvent> events_;
  std::optional<OpenAiStream> openai_;
  std::optional<AnthropicStream> anthropic_;
  // OpenAI-compatible streams: events recognised by one pass over their bytes (a content delta of choice 0,
  // no usage object, error, tool call, logprobs or finish reason) are accounted here without parsing them;
  // any other event goes through OpenAiStream::feed. text_ is choice 0's content from both.
  bool scan(std::string_view data);
  std::string text_;
  std::int64_t scanned_code_points_ = 0;
};

struct StreamOpen {
  CallResult result;                 // outcome ok → stream is set
  std::unique_ptr<LiveStream> stream;
};

// When a stream is committed (its response headers go to the client; from then on a failure is an error
// event at the end of the stream, no longer a failover).
enum class StreamCommit {
  headers,      // at the upstream's 2xx text/event-stream headers, as a reverse proxy does (the default)
  first_event,  // at its first event: a 2xx stream that fails or ends before any event still fails over
};

// Opens the stream: waits for the upstream's headers and, per `commit`, its first event (a 2xx body that
// is not an event stream always until its first event). Until then a failure can still fail over.
Task<StreamOpen> open_stream(llm::HttpClient& client, Target t, std::shared_ptr<const nlohmann::json> body,
                             std::shared_ptr<const std::string> raw, llm::Timeouts timeouts,
                             std::string client_model, StreamCommit commit);

// GET …/models with the provider's key: {status: healthy|unhealthy, httpStatus, latencyMs, error?}.
Task<nlohmann::json> probe_provider(llm::HttpClient& client, ai_registry::Provider p, std::string key,
                                    llm::Timeouts timeouts);

}  // namespace netops::gateway
