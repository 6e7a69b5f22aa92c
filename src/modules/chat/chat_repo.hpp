#pragma once
// SQL of conversations and messages. Every conversation query is scoped to its owner (user_id), so a
// conversation of another user is simply not found. Writes that change a conversation's context bump its
// context_version in the same statement.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/task.hpp"
#include "db/db.hpp"
#include "db/page.hpp"
#include "modules/chat/context.hpp"
#include "modules/chat/types.hpp"

namespace netops::chat {

class ChatRepo {
 public:
  explicit ChatRepo(db::Db& db) : db_(db) {}

  Task<Conversation> insert_conversation(db::Tx& tx, const std::string& user_id, const std::string& title,
                                         const std::string& model, const nlohmann::json& metadata);
  Task<std::optional<Conversation>> find_conversation(const std::string& user_id, const std::string& id);
  Task<std::optional<Conversation>> find_conversation_any(const std::string& id);  // whoever owns it
  Task<std::optional<Conversation>> lock_conversation(db::Tx& tx, const std::string& user_id, const std::string& id);
  Task<db::Page<Conversation>> list_conversations(const std::string& user_id, const ConversationFilter& f,
                                                  const db::PageRequest& p, const db::Sort& s);
  Task<Conversation> update_conversation(db::Tx& tx, const std::string& id, const ConversationPatch& p);
  Task<void> delete_conversation(db::Tx& tx, const std::string& id);

  // Inserts the message and bumps the conversation's message_count, updated_at and context_version, in
  // one statement (atomic without a transaction: tx may be null). Returns the message and the
  // conversation's new context_version.
  // only_active: insert only while the conversation is active (409 otherwise), for writes outside a
  // transaction that locked it.
  Task<std::pair<Message, std::int64_t>> insert_message(db::Tx* tx, const std::string& conversation_id,
                                                        const NewMessage& m, bool only_active = false);
  Task<std::optional<Message>> find_message(const std::string& conversation_id, const std::string& id,
                                            db::Tx* tx = nullptr);
  Task<std::optional<std::int64_t>> message_seq(const std::string& conversation_id, const std::string& id);
  // A page in seq order and whether more messages lie beyond it in the page's direction.
  Task<std::pair<std::vector<Message>, bool>> list_messages(const std::string& conversation_id,
                                                            const MessageCursor& c);
  Task<std::optional<Message>> edit_message(db::Tx& tx, const std::string& conversation_id, const std::string& id,
                                            const std::string& content, std::int64_t token_count);
  Task<bool> delete_message(db::Tx& tx, const std::string& conversation_id, const std::string& id);
  // The latest assistant message (its tool_calls are what tool results may answer).
  Task<std::optional<Message>> last_assistant(db::Tx& tx, const std::string& conversation_id);

  // The newest `limit` messages and the summary, read in ONE statement so they match the version read
  // with them. nullopt when the conversation does not exist.
  Task<std::optional<ContextSnapshot>> context(const std::string& conversation_id, int limit);

  // Summaries: what is not summarised yet, and the conditional write (only moves forward).
  Task<std::vector<Message>> messages_after(const std::string& conversation_id, std::int64_t seq,
                                            db::Tx* tx = nullptr);
  Task<std::int64_t> unsummarised_tokens(const std::string& conversation_id);
  Task<bool> set_summary(const std::string& conversation_id, const std::string& summary, std::int64_t through_seq,
                         const std::string& model);

 private:
  db::Db& db_;
};

}  // namespace netops::chat
