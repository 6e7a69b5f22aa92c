#pragma once
// The response cache (opt-in): identical requests answered from Redis instead of an upstream.
//   - asked per request with the header `x-netops-cache: ttl=<seconds>` (1 … 604800), or per orchestration
//     rule with metadata.cache = {"ttl": <seconds>, "shared": <bool>} (the header wins for the TTL; only a
//     rule can make entries shared by all users: keys are per user otherwise);
//   - key = SHA-256 of the normalised OpenAI request (model, messages, parameters, tools — every field but
//     stream / stream_options, keys sorted), scoped "u:<user id>" or "shared"; /v1/messages requests are
//     keyed by their translation, so they share entries with equivalent chat requests;
//   - value = the answer (an OpenAI chat.completion) and who served it, at most kMaxEntryBytes (1 MiB) of
//     JSON: larger answers are not stored; Redis SET … EX ttl, so every instance shares the entries;
//   - a hit answers `x-netops-cache: hit` (a miss `miss`), plain or replayed as a stream whatever the
//     original was, writes a usage_logs row with cache_hit = true, 0 tokens and 0 cost (so it never counts
//     against a budget and skips the budget check), while the rate limit already counted the request;
//   - Redis unavailable → a miss, nothing stored (the request is served by the upstream as usual).
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/request.hpp"
#include "http/response.hpp"
#include "kit/context.hpp"
#include "llm/sse.hpp"
#include "modules/gateway/gateway_service.hpp"

namespace netops::gateway {

inline constexpr std::size_t kMaxCacheEntryBytes = 1u << 20;
inline constexpr int kMaxCacheTtlSeconds = 7 * 24 * 3600;

struct CachePolicy {
  int ttl_s = 0;
  bool shared = false;
};

// nullopt when absent; 400 naming x-netops-cache when malformed.
std::optional<CachePolicy> cache_policy_of_header(std::optional<std::string_view> header);
// rule.metadata.cache {ttl, shared}; nullopt when absent or unusable.
std::optional<CachePolicy> cache_policy_of_rule(const ai_registry::Rule& rule);
// "gwcache:v1:<scope>:<sha256 of the normalised request>"
std::string cache_key(const nlohmann::json& openai_body, const std::string& scope);
// A stored chat.completion replayed as OpenAI chunk SSE bytes (role, text, tool calls, finish, the usage
// chunk when include_usage, [DONE]).
std::string completion_as_stream(const nlohmann::json& completion, bool include_usage);

struct CachedAnswer {
  nlohmann::json completion;
  Served served;
};

struct CacheTicket {
  std::string key;
  CachePolicy policy;
  std::optional<CachedAnswer> hit;
};

// Assembles a chat.completion from a stream's OpenAI chunk bytes (to store a streamed miss).
class StreamAssembler {
 public:
  void feed(std::string_view bytes);
  bool complete() const { return done_ && !failed_; }
  nlohmann::json completion(const std::string& model) const;

 private:
  llm::SseParser parser_;
  std::vector<llm::SseEvent> events_;
  std::string id_, text_, finish_;
  nlohmann::json calls_ = nlohmann::json::array();
  nlohmann::json usage_;
  bool done_ = false, failed_ = false;
  bool oversized_ = false;
};

class ResponseCache : public std::enable_shared_from_this<ResponseCache> {
 public:
  ResponseCache(AppContext& ctx, std::shared_ptr<ai_registry::RegistryService> registry, Service& svc)
      : ctx_(ctx), registry_(std::move(registry)), svc_(svc) {}

  // nullopt when the request did not opt in (no header, no rule policy). Looks the key up in Redis.
  Task<std::optional<CacheTicket>> begin(const http::Request& req, const nlohmann::json& openai_body,
                                         const Caller& caller);
  // The usage_logs row of a hit (0 tokens, 0 cost, cache_hit).
  void record_hit(const CacheTicket& t, const Caller& caller, std::chrono::steady_clock::time_point started);
  // Stores an answer (skipped when over kMaxCacheEntryBytes or Redis is unavailable).
  Task<void> store(const CacheTicket& t, const nlohmann::json& completion, const Served& served);

  // Chat completions: the hit as a chat.completion (JSON) or as a stream.
  http::Response chat_hit(const CacheTicket& t, bool stream, bool include_usage);
  // A chat stream that is stored once it ended well.
  static Task<void> pump_and_store(std::shared_ptr<StreamJob> job, http::StreamWriter& out,
                                   std::shared_ptr<ResponseCache> cache, CacheTicket ticket);

 private:
  AppContext& ctx_;
  std::shared_ptr<ai_registry::RegistryService> registry_;
  Service& svc_;
};

// Wraps a writer: feeds an assembler with what passes, forwards everything.
class CapturingWriter : public http::StreamWriter {
 public:
  CapturingWriter(http::StreamWriter& out, StreamAssembler& a) : out_(out), a_(a) {}
  Task<bool> write(std::string_view chunk) override;
  bool client_gone() const override { return out_.client_gone(); }

 private:
  http::StreamWriter& out_;
  StreamAssembler& a_;
};

void add_cache_header(http::Response& r, const std::optional<CacheTicket>& t);

}  // namespace netops::gateway
