#pragma once
// What the HTTP server and the two wire formats share: options, counters, and a Reply that is computed
// completely before the first byte goes out (the server only adds the waiting and the writing).
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "behaviour.hpp"

namespace mockllm {

struct Options {
  std::string host = "127.0.0.1";
  int port = 18080;
  int threads = 1;
  std::string require_key;  // empty: any credentials (or none) are accepted
  bool verbose = false;
  long chunk_delay_us = 0;  // pause between the stream events of long-<n>
};

// Requests per model name, shared by every worker thread.
class Stats {
 public:
  // Counts one request for model and returns how many came before it (flaky-<n> decides on that).
  long record(const std::string& model);
  void disconnect();
  void reset();
  nlohmann::ordered_json to_json() const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, long> requests_;
  long total_ = 0;
  long disconnects_ = 0;
};

struct Context {
  Options opts;
  Stats stats;
};

// The parts of an HTTP request the handlers look at (header values are empty when absent).
struct Incoming {
  std::string_view method;
  std::string_view path;  // without the query string
  std::string_view body;
  std::string_view authorization;
  std::string_view api_key;  // x-api-key
  bool has_anthropic_version = false;
};

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;                 // when !stream
  bool stream = false;              // chunked text/event-stream made of `events`
  std::vector<std::string> events;  // one complete SSE event each, written one per write
  long delay_ms = 0;                // slow-<ms>: wait before the response headers
  long event_delay_us = 0;          // pause between events
  std::string model;                // for --verbose logging
};

inline constexpr std::string_view kEventStream = "text/event-stream; charset=utf-8";

std::string random_id(std::string_view prefix, std::size_t length);
long unix_now();
Reply json_reply(int status, const nlohmann::ordered_json& body);
// A JSON string literal (quoted and escaped) for hand-assembled stream events.
std::string json_string(std::string_view s);
// Reads a field that must be a boolean when present; absent or null gives `fallback`.
bool bool_field(const nlohmann::json& obj, const char* key, bool fallback = false);

// OpenAI Chat Completions (openai.cpp). An empty code takes the one the status implies.
Reply openai_chat(const Incoming& in, Context& ctx);
Reply openai_error(int status, std::string_view message, const char* param = nullptr, std::string_view code = {});
Reply openai_models();
Reply openai_embeddings(const Incoming& in, Context& ctx);  // embeddings.cpp

// Anthropic Messages (anthropic.cpp).
Reply anthropic_messages(const Incoming& in, Context& ctx);
Reply anthropic_error(int status, std::string_view message);
Reply anthropic_models();

}  // namespace mockllm
