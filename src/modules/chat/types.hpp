#pragma once
// The chat module's rows and their API shapes (camelCase), and the typed inputs of its routes.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include <vector>

#include "db/page.hpp"
#include "db/query.hpp"

namespace netops::chat {

struct Conversation {
  std::string id, user_id, title, model, status;
  int message_count = 0;
  std::int64_t context_version = 0;
  nlohmann::json metadata = nlohmann::json::object();
  nlohmann::json created_at, updated_at;
};

struct Message {
  std::string id, conversation_id, role, content;
  std::int64_t seq = 0;
  std::optional<std::string> model, provider, cost, tool_call_id;
  int prompt_tokens = 0, completion_tokens = 0, token_count = 0;
  std::optional<int> latency_ms;
  nlohmann::json metadata = nlohmann::json::object();
  nlohmann::json tool_calls;  // null, or the OpenAI tool_calls array of an assistant message
  nlohmann::json created_at;
};

inline constexpr std::size_t kMaxMessageChars = 200'000;  // code points of one message
inline constexpr std::size_t kMaxTitleChars = 255;

// GET /api/conversations
struct ConversationFilter {
  std::optional<std::string> status, search;
};

// POST /api/conversations
struct NewConversation {
  std::optional<std::string> title, model;
  nlohmann::json metadata = nlohmann::json::object();
};

// PATCH|PUT /api/conversations/{id}
struct ConversationPatch {
  std::optional<std::string> title, model, status;
  std::optional<nlohmann::json> metadata;  // merged into the stored object; null values delete keys
};

struct ToolResult {
  std::string tool_call_id, content;
};

// POST /api/chat/messages
struct SendInput {
  std::optional<std::string> message;
  std::optional<std::string> conversation_id;
  std::optional<std::string> model, system_prompt;
  std::optional<double> temperature;
  std::optional<int> max_tokens;
  bool stream = false;
  nlohmann::json tools;                  // null or an array of OpenAI tool definitions (the client runs them)
  nlohmann::json server_tools;           // null, "auto" or an array of tool names: the server runs them (tool loop)
  std::vector<ToolResult> tool_results;  // answers to the last assistant message's tool calls
};

// What the repository inserts as a message.
struct NewMessage {
  std::string role, content;
  std::optional<std::string> model, provider, cost, tool_call_id;
  std::int64_t prompt_tokens = 0, completion_tokens = 0, token_count = 0;
  std::optional<int> latency_ms;
  nlohmann::json metadata = nlohmann::json::object();
  nlohmann::json tool_calls;  // null or array
};

// Which messages a page holds: the first ones, those after/before a message (by seq), or the last ones.
struct MessageCursor {
  enum class From { start, after, before, tail } from = From::start;
  std::int64_t seq = 0;
  int limit = 50;
  bool backwards() const { return from == From::before || from == From::tail; }
};

// GET /api/conversations/{id}/messages: a page in seq order.
struct MessagePage {
  std::vector<Message> items;
  bool more = false;        // more messages lie beyond the page in its direction
  long long total = 0;      // the conversation's message_count
  int limit = 50;
  bool backwards = false;   // before / tail: the cursor that continues is nextBefore
};

// Statistics (stats_repo.hpp): sums over stored messages. cost: exact, USD with 6 decimals.
struct MessageSums {
  std::int64_t messages = 0, user_messages = 0, assistant_messages = 0, tool_messages = 0, conversations = 0;
  std::int64_t prompt_tokens = 0, completion_tokens = 0;
  std::string cost;
};
struct ModelSums {  // the answers of one model and provider
  nlohmann::json model, provider;  // null for answers without one
  MessageSums sums;
};
struct GatewayUsage {  // user_token_stats of one model and provider
  nlohmann::json model, provider;
  std::int64_t tokens = 0, calls = 0, conversations = 0;
  std::string cost;
};
// GET /api/stats/chat/user
struct UserStats {
  std::string user_id, start, end;
  MessageSums totals;
  std::vector<ModelSums> by_model;
  std::vector<GatewayUsage> gateway_usage;
};
// GET /api/stats/chat/daily
struct DayStats {
  std::string date;
  MessageSums sums;  // messages, assistant messages, conversations, tokens, cost
};
struct DailyStats {
  std::string user_id;
  int days = 0;
  std::vector<DayStats> data;
};
// GET /api/stats/chat/conversations/{id}
struct CallSums {  // usage_logs rows of the conversation: answers or summaries, failed calls counted
  std::int64_t calls = 0, failed_calls = 0, prompt_tokens = 0, completion_tokens = 0;
  std::string cost = "0.000000";
};
struct ConversationStats {
  std::string conversation_id, user_id, title;
  int message_count = 0;
  MessageSums sums;
  std::optional<double> avg_latency_ms;
  nlohmann::json first_message_at, last_message_at;
  std::vector<ModelSums> by_model;
  CallSums answers, summaries;
};
nlohmann::json to_json(const UserStats& s);
nlohmann::json to_json(const DailyStats& s);
nlohmann::json to_json(const ConversationStats& s);

inline constexpr const char* kConversationColumns =
    "id, user_id, title, model, status, message_count, context_version, metadata, created_at, updated_at";
inline constexpr const char* kMessageColumns =
    "id, conversation_id, seq, role, content, model, provider, prompt_tokens, completion_tokens, token_count, "
    "cost::text AS cost, latency_ms, metadata, tool_calls, tool_call_id, created_at";

Conversation conversation_from_row(const db::Row& r);
Message message_from_row(const db::Row& r);
nlohmann::json to_json(const Conversation& c);
nlohmann::json to_json(const Message& m);
// For audit rows: private text (title, metadata values, message content) as {length, sha256} only.
nlohmann::json text_fact(std::string_view text);
nlohmann::json audit_view(const Conversation& c);

}  // namespace netops::chat
