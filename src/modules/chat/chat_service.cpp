// Conversations and their messages: reads, writes, audit; the statistics. The turn (sending a message) is
// turn_service.cpp, summaries summary_service.cpp.
#include "modules/chat/chat_service.hpp"

#include "core/error.hpp"
#include "core/etag.hpp"
#include "llm/pricing.hpp"

namespace netops::chat {

using nlohmann::json;

// Audit rows of conversations: resource conversation:<id>; private text only as {length, sha256}.
Task<void> ChatService::record(db::Tx& tx, const Caller& by, const std::string& action, const std::string& id,
                               const json& details) {
  std::string resource = "conversation:" + id;
  co_await audit_->record(tx, by, action, resource, details);
}

Task<Conversation> ChatService::owned(const std::string& user_id, const std::string& id) {
  auto c = co_await repo_->find_conversation(user_id, id);
  if (!c) throw NotFound("conversation");
  co_return std::move(*c);
}

Task<db::Page<Conversation>> ChatService::list(const ConversationFilter& f, const db::PageRequest& p,
                                               const db::Sort& s, const Caller& by) {
  co_return co_await repo_->list_conversations(by.user_id, f, p, s);
}

Task<Conversation> ChatService::get(const std::string& id, const Caller& by) { co_return co_await owned(by.user_id, id); }

Task<Conversation> ChatService::create(const NewConversation& in, const Caller& by) {
  Conversation out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    std::string title = in.title.value_or("New conversation"), model = in.model.value_or("auto");
    out = co_await repo_->insert_conversation(tx, by.user_id, title, model, in.metadata);
    std::string action = "conversation.created";
    json details = {{"after", audit_view(out)}};
    co_await record(tx, by, action, out.id, details);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

// lock → 404 → expected ETag → write → audit row. Not audit::audited_update: the audit row holds
// audit_view (private text as {length, sha256}), not the API representation the ETag is computed over.
Task<Conversation> ChatService::update(const std::string& id, const ConversationPatch& p,
                                       const std::optional<std::string>& expected_etag, const Caller& by) {
  Conversation after;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto before = co_await repo_->lock_conversation(tx, by.user_id, id);
    if (!before) throw NotFound("conversation");
    check_expected_etag(expected_etag, to_json(*before));
    after = co_await repo_->update_conversation(tx, id, p);
    std::string action = "conversation.updated";
    json details = {{"changes", audit::changes(audit_view(*before), audit_view(after))}};
    co_await record(tx, by, action, id, details);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return after;
}

Task<void> ChatService::remove(const std::string& id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto before = co_await repo_->lock_conversation(tx, by.user_id, id);
    if (!before) throw NotFound("conversation");
    co_await repo_->delete_conversation(tx, id);  // messages go with it (ON DELETE CASCADE)
    json details = {{"title", text_fact(before->title)}, {"messageCount", before->message_count}};
    std::string action = "conversation.deleted";
    co_await record(tx, by, action, id, details);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await contexts_->forget(id);
}

Task<MessagePage> ChatService::messages(const std::string& id, const std::optional<std::string>& before,
                                        const std::optional<std::string>& after, bool tail, int limit,
                                        const Caller& by) {
  auto conv = co_await owned(by.user_id, id);
  MessageCursor cur;
  cur.limit = limit;
  if (before || after) {
    const std::string& anchor = before ? *before : *after;
    auto seq = co_await repo_->message_seq(id, anchor);
    if (!seq) throw ValidationError(before ? "before" : "after", "is not a message of this conversation");
    cur.from = before ? MessageCursor::From::before : MessageCursor::From::after;
    cur.seq = *seq;
  } else if (tail) {
    cur.from = MessageCursor::From::tail;
  }
  auto [rows, more] = co_await repo_->list_messages(id, cur);
  MessagePage page;
  page.items = std::move(rows);
  page.more = more;
  page.total = conv.message_count;
  page.limit = limit;
  page.backwards = cur.backwards();
  co_return page;
}

Task<Message> ChatService::edit_message(const std::string& id, const std::string& message_id,
                                        const std::string& content, const Caller& by) {
  Message out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto conv = co_await repo_->lock_conversation(tx, by.user_id, id);
    if (!conv) throw NotFound("conversation");
    auto before = co_await repo_->find_message(id, message_id, &tx);
    if (!before) throw NotFound("message");
    if (before->role != "user" && before->role != "system")
      throw Conflict("only user and system messages can be edited; this one is a " + before->role + " message",
                     {{"role", before->role}});
    auto m = co_await repo_->edit_message(tx, id, message_id, content, estimate_tokens(content));
    out = *m;
    json details = {{"messageId", message_id}, {"before", text_fact(before->content)}, {"after", text_fact(content)}};
    std::string action = "conversation.message_edited";
    co_await record(tx, by, action, id, details);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await contexts_->forget(id);  // the version moved anyway; dropping the entry saves the next reader a compare
  co_return out;
}

Task<void> ChatService::delete_message(const std::string& id, const std::string& message_id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto conv = co_await repo_->lock_conversation(tx, by.user_id, id);
    if (!conv) throw NotFound("conversation");
    auto before = co_await repo_->find_message(id, message_id, &tx);
    if (!before) throw NotFound("message");
    co_await repo_->delete_message(tx, id, message_id);
    json details = {{"messageId", message_id}, {"role", before->role}, {"content", text_fact(before->content)}};
    std::string action = "conversation.message_deleted";
    co_await record(tx, by, action, id, details);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await contexts_->forget(id);
}

Task<UserStats> ChatService::user_stats(const std::string& user_id, const std::string& start, const std::string& end) {
  co_return co_await stats_.user(user_id, start, end);
}

Task<DailyStats> ChatService::daily_stats(const std::string& user_id, int days) {
  co_return co_await stats_.daily(user_id, days);
}

Task<ConversationStats> ChatService::conversation_stats(const std::string& id, const Caller& by) {
  std::optional<Conversation> conv;
  if (by.at_least(Role::admin)) conv = co_await repo_->find_conversation_any(id);
  else conv = co_await repo_->find_conversation(by.user_id, id);
  if (!conv) throw NotFound("conversation");
  auto out = co_await stats_.conversation(id);
  out.user_id = conv->user_id;
  out.title = conv->title;
  out.message_count = conv->message_count;
  co_return out;
}

}  // namespace netops::chat
