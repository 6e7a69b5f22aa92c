#pragma once
// Request bodies of the chat routes → typed inputs (types.hpp), every wrong field reported at once (400).
// Pure, unit-tested; the routes call them, the services never see a body.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "modules/chat/types.hpp"

namespace netops::chat {

// POST /api/chat/messages
SendInput parse_send(const nlohmann::json& body);

// POST /api/conversations
NewConversation parse_new_conversation(const nlohmann::json& body);
// PATCH|PUT /api/conversations/{id}
ConversationPatch parse_conversation_patch(const nlohmann::json& body);
// PATCH /api/conversations/{id}/messages/{messageId}: {content}, the message's new text.
std::string parse_message_edit(const nlohmann::json& body);

// A model reference as a conversation or a message may carry it: a model id, tier:0…3 or auto.
bool valid_model_ref(const std::string& s);

// "How do I reset a Cisco switch to factory defaults?" → "How do I reset a Cisco switch to factory…":
// the first line, whitespace collapsed, cut at a word boundary to at most 60 code points.
std::string title_from(const std::string& message);

}  // namespace netops::chat
