#pragma once
// Request bodies of the chat routes → structs, every wrong field reported at once (400). Pure.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "modules/chat/repo.hpp"

namespace netops::chat {

inline constexpr std::size_t kMaxMessageChars = 200'000;  // code points of one message
inline constexpr std::size_t kMaxTitleChars = 255;

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
  nlohmann::json tools;                  // null or an array of OpenAI tool definitions
  std::vector<ToolResult> tool_results;  // answers to the last assistant message's tool calls
};
SendInput parse_send(const nlohmann::json& body);

// POST /api/conversations
struct NewConversation {
  std::optional<std::string> title, model;
  nlohmann::json metadata = nlohmann::json::object();
};
NewConversation parse_new_conversation(const nlohmann::json& body);
// PATCH|PUT /api/conversations/{id}
ConversationPatch parse_conversation_patch(const nlohmann::json& body);

// A model reference as a conversation or a message may carry it: a model id, tier:0…3 or auto.
bool valid_model_ref(const std::string& s);

// "How do I reset a Cisco switch to factory defaults?" → "How do I reset a Cisco switch to factory…":
// the first line, whitespace collapsed, cut at a word boundary to at most 60 code points.
std::string title_from(const std::string& message);

}  // namespace netops::chat
