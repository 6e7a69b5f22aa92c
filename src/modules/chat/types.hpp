#pragma once
// The chat module's rows and their API shapes (camelCase).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

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
