// Conversations and their messages: reads, writes, audit. The turn (sending a message) is in turn.cpp,
// summaries in summary.cpp.
#include "modules/chat/service.hpp"

#include "llm/pricing.hpp"

namespace netops::chat {

using nlohmann::json;

namespace {
audit::Entry entry(const Caller& c, std::string action, const std::string& id, json details) {
  return audit::Entry{c.actor.user_id, std::move(action), "conversation:" + id, std::move(details), c.request_id};
}
}  // namespace

ChatService::ChatService(AppContext& ctx, std::shared_ptr<gateway::Service> gateway)
    : ctx_(ctx), gateway_(std::move(gateway)), repo_(ctx.db), stats_(ctx.db), store_(ctx.cache, repo_), audit_(ctx.db) {}

Task<Conversation> ChatService::owned(const std::string& user_id, const std::string& id) {
  auto c = co_await repo_.find_conversation(user_id, id);
  if (!c) throw NotFound("conversation");
  co_return std::move(*c);
}

Task<std::pair<json, long long>> ChatService::list(const std::string& user_id, const ConversationFilter& f,
                                                   const http::Paging& p, const http::Sort& s) {
  auto [rows, total] = co_await repo_.list_conversations(user_id, f, p, s);
  json data = json::array();
  for (const auto& c : rows) data.push_back(to_json(c));
  co_return std::make_pair(std::move(data), total);
}

Task<json> ChatService::get(const std::string& user_id, const std::string& id) {
  co_return to_json(co_await owned(user_id, id));
}

Task<json> ChatService::create(const NewConversation& in, const Caller& c) {
  json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto conv = co_await repo_.insert_conversation(tx, c.actor.user_id, in.title.value_or("New conversation"),
                                                   in.model.value_or("auto"), in.metadata);
    out = to_json(conv);
    auto e = entry(c, "conversation.created", conv.id, {{"after", audit_view(conv)}});
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<json> ChatService::update(const std::string& id, const ConversationPatch& p, const Caller& c, IfMatch check) {
  json after;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto before = co_await repo_.lock_conversation(tx, c.actor.user_id, id);
    if (!before) throw NotFound("conversation");
    check(to_json(*before));
    auto conv = co_await repo_.update_conversation(tx, id, p);
    after = to_json(conv);
    auto e = entry(c, "conversation.updated", id, {{"changes", audit::changes(audit_view(*before), audit_view(conv))}});
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return after;
}

Task<void> ChatService::remove(const std::string& id, const Caller& c) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto before = co_await repo_.lock_conversation(tx, c.actor.user_id, id);
    if (!before) throw NotFound("conversation");
    co_await repo_.delete_conversation(tx, id);  // messages go with it (ON DELETE CASCADE)
    json details = {{"title", text_fact(before->title)}, {"messageCount", before->message_count}};
    auto e = entry(c, "conversation.deleted", id, std::move(details));
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await store_.forget(id);
}

Task<json> ChatService::messages(const std::string& user_id, const std::string& id,
                                 const std::optional<std::string>& before, const std::optional<std::string>& after,
                                 bool tail, int limit) {
  auto conv = co_await owned(user_id, id);
  MessageCursor cur;
  cur.limit = limit;
  if (before || after) {
    const std::string& anchor = before ? *before : *after;
    auto seq = co_await repo_.message_seq(id, anchor);
    if (!seq) throw ValidationError(before ? "before" : "after", "is not a message of this conversation");
    cur.from = before ? MessageCursor::From::before : MessageCursor::From::after;
    cur.seq = *seq;
  } else if (tail) {
    cur.from = MessageCursor::From::tail;
  }
  auto [rows, more] = co_await repo_.list_messages(id, cur);
  json data = json::array();
  for (const auto& m : rows) data.push_back(to_json(m));
  json meta = {{"limit", limit}, {"total", conv.message_count}, {"hasMore", more}};
  bool backwards = cur.from == MessageCursor::From::before || cur.from == MessageCursor::From::tail;
  // The cursor that continues in the page's direction.
  if (more && !rows.empty()) meta[backwards ? "nextBefore" : "nextAfter"] = backwards ? rows.front().id : rows.back().id;
  co_return json{{"data", std::move(data)}, {"meta", std::move(meta)}};
}

Task<json> ChatService::edit_message(const std::string& id, const std::string& message_id, const json& body,
                                     const Caller& c) {
  Validation v;
  std::string content;
  for (const auto& [k, _] : body.items())
    if (k != "content") v.add(k, "is not a field of a message edit (only content)");
  if (auto it = body.find("content"); it == body.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
    v.add("content", "is required: the message's new text");
  else
    content = it->get<std::string>();
  std::size_t chars = 0;
  for (unsigned char ch : content) chars += (ch & 0xC0) != 0x80;
  if (chars > kMaxMessageChars) v.add("content", "must be at most 200000 characters");
  v.throw_if_any();
  json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto conv = co_await repo_.lock_conversation(tx, c.actor.user_id, id);
    if (!conv) throw NotFound("conversation");
    auto before = co_await repo_.find_message(id, message_id, &tx);
    if (!before) throw NotFound("message");
    if (before->role != "user" && before->role != "system")
      throw Conflict("only user and system messages can be edited; this one is a " + before->role + " message",
                     {{"role", before->role}});
    auto m = co_await repo_.edit_message(tx, id, message_id, content, estimate_tokens(content));
    out = to_json(*m);
    json details = {{"messageId", message_id}, {"before", text_fact(before->content)}, {"after", text_fact(content)}};
    auto e = entry(c, "conversation.message_edited", id, std::move(details));
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await store_.forget(id);  // the version moved anyway; dropping the entry saves the next reader a compare
  co_return out;
}

Task<void> ChatService::delete_message(const std::string& id, const std::string& message_id, const Caller& c) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto conv = co_await repo_.lock_conversation(tx, c.actor.user_id, id);
    if (!conv) throw NotFound("conversation");
    auto before = co_await repo_.find_message(id, message_id, &tx);
    if (!before) throw NotFound("message");
    co_await repo_.delete_message(tx, id, message_id);
    json details = {{"messageId", message_id}, {"role", before->role}, {"content", text_fact(before->content)}};
    auto e = entry(c, "conversation.message_deleted", id, std::move(details));
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await store_.forget(id);
}

Task<json> ChatService::user_stats(const std::string& user_id, const std::string& start, const std::string& end) {
  co_return co_await stats_.user(user_id, start, end);
}

Task<json> ChatService::daily_stats(const std::string& user_id, int days) { co_return co_await stats_.daily(user_id, days); }

Task<json> ChatService::conversation_stats(const std::string& user_id, bool any_owner, const std::string& id) {
  std::optional<Conversation> conv;
  if (any_owner) conv = co_await repo_.find_conversation_any(id);
  else conv = co_await repo_.find_conversation(user_id, id);
  if (!conv) throw NotFound("conversation");
  auto out = co_await stats_.conversation(id);
  out["userId"] = conv->user_id;
  out["title"] = conv->title;
  out["messageCount"] = conv->message_count;
  co_return out;
}

}  // namespace netops::chat
