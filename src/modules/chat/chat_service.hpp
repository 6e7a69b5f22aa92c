#pragma once
// Chat (SPEC §3 "Chat", §4.3): a user's conversations and their messages, and the statistics over them.
// A conversation belongs to its user: anyone else gets 404 (admins too), except for the statistics.
// Sending a message (a turn) is turn_service.hpp; summaries of older history summary_service.hpp.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "db/page.hpp"
#include "kit/context.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/chat/chat_repo.hpp"
#include "modules/chat/context_repo.hpp"
#include "modules/chat/stats_repo.hpp"
#include "modules/chat/types.hpp"
#include "modules/tools/registry.hpp"

namespace netops::chat {

// The tool registry chat's tool loop runs: set once at start-up (ChatService::use_tools), after the tools
// module exists — the tools call chat's own statistics, so chat cannot receive the registry when it is built.
struct ToolSlot {
  std::shared_ptr<tools::Registry> registry;
};

class ChatService {
 public:
  void use_tools(std::shared_ptr<tools::Registry> r) { tools_->registry = std::move(r); }
  std::shared_ptr<ToolSlot> tool_slot() const { return tools_; }

  ChatService(AppContext& ctx, std::shared_ptr<ChatRepo> repo, std::shared_ptr<ContextRepo> contexts,
              std::shared_ptr<audit::AuditService> audit)
      : ctx_(ctx), repo_(std::move(repo)), contexts_(std::move(contexts)), stats_(ctx.db), audit_(std::move(audit)) {}

  // Conversations: the caller's own (another user's conversation is 404).
  Task<db::Page<Conversation>> list(const ConversationFilter& f, const db::PageRequest& p, const db::Sort& s,
                                    const Caller& by);
  Task<Conversation> get(const std::string& id, const Caller& by);
  Task<Conversation> create(const NewConversation& in, const Caller& by);
  // expected_etag: If-Match, checked against the locked row (412 when it names another version).
  Task<Conversation> update(const std::string& id, const ConversationPatch& p,
                            const std::optional<std::string>& expected_etag, const Caller& by);
  Task<void> remove(const std::string& id, const Caller& by);

  // Messages: a cursor page (before / after a message id, or the newest page), an edit, a delete.
  Task<MessagePage> messages(const std::string& id, const std::optional<std::string>& before,
                             const std::optional<std::string>& after, bool tail, int limit, const Caller& by);
  Task<Message> edit_message(const std::string& id, const std::string& message_id, const std::string& content,
                             const Caller& by);
  Task<void> delete_message(const std::string& id, const std::string& message_id, const Caller& by);

  // Statistics (stats_repo.hpp) of user_id. conversation_stats: the caller's conversation, or any for admins.
  Task<UserStats> user_stats(const std::string& user_id, const std::string& start, const std::string& end);
  Task<DailyStats> daily_stats(const std::string& user_id, int days);
  Task<ConversationStats> conversation_stats(const std::string& id, const Caller& by);

 private:
  std::shared_ptr<ToolSlot> tools_ = std::make_shared<ToolSlot>();
  Task<Conversation> owned(const std::string& user_id, const std::string& id);
  Task<void> record(db::Tx& tx, const Caller& by, const std::string& action, const std::string& id,
                    const nlohmann::json& details);

  AppContext& ctx_;
  std::shared_ptr<ChatRepo> repo_;
  std::shared_ptr<ContextRepo> contexts_;
  StatsRepo stats_;
  std::shared_ptr<audit::AuditService> audit_;
};

}  // namespace netops::chat
