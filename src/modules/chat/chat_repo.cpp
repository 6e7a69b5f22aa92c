#include "modules/chat/chat_repo.hpp"

#include "core/error.hpp"
#include "db/where.hpp"

namespace netops::chat {

using nlohmann::json;

namespace q {
const std::string kConvSelect = std::string("SELECT ") + kConversationColumns + " FROM conversations";
const std::string kInsertConvSql = std::string("INSERT INTO conversations (user_id, title, model, metadata) "
                                               "VALUES ($1, $2, $3, $4::jsonb) RETURNING ") + kConversationColumns;
const std::string kFindConvSql = kConvSelect + " WHERE id = $1 AND user_id = $2";
const std::string kFindAnyConvSql = kConvSelect + " WHERE id = $1";
const std::string kLockConvSql = kFindConvSql + " FOR UPDATE";
const std::string kUpdateConvSql = std::string(
    "UPDATE conversations SET title = COALESCE($2, title), model = COALESCE($3, model), "
    "status = COALESCE($4, status), metadata = CASE WHEN $5::jsonb IS NULL THEN metadata "
    "ELSE (metadata || $5::jsonb) - ARRAY(SELECT key FROM jsonb_each($5::jsonb) WHERE value = 'null'::jsonb) END, "
    "updated_at = now() WHERE id = $1 RETURNING ") +
                                   kConversationColumns;
const std::string kInsertMsgSql = std::string(R"SQL(
WITH m AS (
  INSERT INTO messages (conversation_id, role, content, model, provider, prompt_tokens, completion_tokens,
    token_count, cost, latency_ms, metadata, tool_calls, tool_call_id)
  SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9::numeric, $10, $11::jsonb, $12::jsonb, $13
  WHERE NOT $14::bool OR EXISTS (SELECT 1 FROM conversations WHERE id = $1 AND status = 'active')
  RETURNING )SQL") + kMessageColumns + R"SQL(
), c AS (
  UPDATE conversations SET message_count = message_count + 1, updated_at = now(),
    context_version = context_version + 1
  WHERE id = $1 AND EXISTS (SELECT 1 FROM m) RETURNING context_version
)
SELECT m.*, c.context_version FROM m, c)SQL";
const std::string kFindMsgSql =
    std::string("SELECT ") + kMessageColumns + " FROM messages WHERE id = $1 AND conversation_id = $2";
const std::string kEditMsgSql = std::string(R"SQL(
WITH m AS (
  UPDATE messages SET content = $3, token_count = $4,
    metadata = metadata || jsonb_build_object('editedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
  WHERE id = $1 AND conversation_id = $2
  RETURNING )SQL") + kMessageColumns + R"SQL(
), c AS (
  UPDATE conversations SET context_version = context_version + 1, updated_at = now()
  WHERE id = $2 AND EXISTS (SELECT 1 FROM m) RETURNING id
)
SELECT m.* FROM m)SQL";
const std::string kLastAssistantSql = std::string("SELECT ") + kMessageColumns +
                                      " FROM messages WHERE conversation_id = $1 AND role = 'assistant' "
                                      "ORDER BY seq DESC LIMIT 1";
const std::string kMessagesAfterSql = std::string("SELECT ") + kMessageColumns +
                                      " FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq";

const db::Query kInsertConv{"chat.conversation_insert", kInsertConvSql};
const db::Query kFindConv{"chat.conversation_find", kFindConvSql};
const db::Query kFindAnyConv{"chat.conversation_find_any", kFindAnyConvSql};
const db::Query kLockConv{"chat.conversation_lock", kLockConvSql};
const db::Query kUpdateConv{"chat.conversation_update", kUpdateConvSql};
constexpr db::Query kDeleteConv{"chat.conversation_delete", "DELETE FROM conversations WHERE id = $1"};
const db::Query kInsertMsg{"chat.message_insert", kInsertMsgSql};
const db::Query kFindMsg{"chat.message_find", kFindMsgSql};
constexpr db::Query kMsgSeq{"chat.message_seq", "SELECT seq FROM messages WHERE id = $1 AND conversation_id = $2"};
const db::Query kEditMsg{"chat.message_edit", kEditMsgSql};
constexpr db::Query kDeleteMsg{"chat.message_delete", R"SQL(
WITH d AS (DELETE FROM messages WHERE id = $1 AND conversation_id = $2 RETURNING id),
c AS (
  UPDATE conversations SET message_count = greatest(message_count - 1, 0),
    context_version = context_version + 1, updated_at = now()
  WHERE id = $2 AND EXISTS (SELECT 1 FROM d) RETURNING id
)
SELECT count(*) AS n FROM d)SQL"};
const db::Query kLastAssistant{"chat.message_last_assistant", kLastAssistantSql};
constexpr db::Query kContext{"chat.context", R"SQL(
SELECT c.context_version, c.metadata->>'summary' AS summary, m.seq, m.role, m.content, m.tool_calls,
  m.tool_call_id, coalesce((m.metadata->>'incomplete')::bool, false) AS incomplete
FROM conversations c
LEFT JOIN LATERAL (
  SELECT seq, role, content, tool_calls, tool_call_id, metadata FROM messages
  WHERE conversation_id = c.id ORDER BY seq DESC LIMIT $2
) m ON true
WHERE c.id = $1
ORDER BY m.seq DESC)SQL"};
const db::Query kMessagesAfter{"chat.messages_after", kMessagesAfterSql};
constexpr db::Query kUnsummarised{"chat.unsummarised_tokens", R"SQL(
SELECT coalesce(sum(m.token_count), 0)::bigint AS tokens
FROM conversations c JOIN messages m ON m.conversation_id = c.id
WHERE c.id = $1 AND m.seq > coalesce((c.metadata->>'summaryThroughSeq')::bigint, 0))SQL"};
constexpr db::Query kSetSummary{"chat.summary_set", R"SQL(
UPDATE conversations SET
  metadata = metadata || jsonb_build_object('summary', $2::text, 'summaryThroughSeq', $3::bigint,
    'summaryModel', $4::text,
    'summarizedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
  context_version = context_version + 1
WHERE id = $1 AND coalesce((metadata->>'summaryThroughSeq')::bigint, 0) < $3)SQL"};
}  // namespace q

namespace {
std::optional<Conversation> first_conversation(const db::Result& r) {
  if (r.empty()) return std::nullopt;
  return conversation_from_row(r.front());
}
std::optional<Message> first_message(const db::Result& r) {
  if (r.empty()) return std::nullopt;
  return message_from_row(r.front());
}
std::vector<Message> all_messages(const db::Result& r) {
  std::vector<Message> out;
  out.reserve(static_cast<std::size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i) out.push_back(message_from_row(r[i]));
  return out;
}
std::optional<std::string> json_text(const json& j) {
  if (j.is_null()) return std::nullopt;
  return j.dump();
}
}  // namespace

Task<Conversation> ChatRepo::insert_conversation(db::Tx& tx, const std::string& user_id, const std::string& title,
                                                 const std::string& model, const json& metadata) {
  auto r = co_await tx.query(q::kInsertConv, db::Params(user_id, title, model, metadata.dump()));
  co_return conversation_from_row(r.front());
}

Task<std::optional<Conversation>> ChatRepo::find_conversation(const std::string& user_id, const std::string& id) {
  co_return first_conversation(co_await db_.query(q::kFindConv, db::Params(id, user_id)));
}

Task<std::optional<Conversation>> ChatRepo::find_conversation_any(const std::string& id) {
  co_return first_conversation(co_await db_.query(q::kFindAnyConv, db::Params(id)));
}

Task<std::optional<Conversation>> ChatRepo::lock_conversation(db::Tx& tx, const std::string& user_id,
                                                              const std::string& id) {
  co_return first_conversation(co_await tx.query(q::kLockConv, db::Params(id, user_id)));
}

namespace {
db::Where conversations_of(const std::string& user_id, const ConversationFilter& f) {
  db::Where w;
  w.eq("user_id", user_id).eq("status", f.status);
  if (f.search) w.add("title ILIKE {}", db::like_contains(*f.search));
  return w;
}
}  // namespace

Task<db::Page<Conversation>> ChatRepo::list_conversations(const std::string& user_id, const ConversationFilter& f,
                                                          const db::PageRequest& p, const db::Sort& s) {
  auto w = conversations_of(user_id, f);
  std::string sql = std::string("SELECT ") + kConversationColumns + ", count(*) OVER () AS total FROM conversations" +
                    w.sql() + w.order_and_window(s, p);
  auto rows = co_await db_.query(sql, w.take_params());
  auto page = db::page_of<Conversation>(rows, p, [](const db::Row& r) { return conversation_from_row(r); });
  if (rows.empty() && p.page > 1) {
    // Past the last page the window count is absent: count separately so meta.total stays true.
    auto cw = conversations_of(user_id, f);
    auto c = co_await db_.query("SELECT count(*) AS n FROM conversations" + cw.sql(), cw.take_params());
    page.total = c.front().get<std::int64_t>("n");
  }
  co_return page;
}

Task<Conversation> ChatRepo::update_conversation(db::Tx& tx, const std::string& id, const ConversationPatch& p) {
  std::optional<std::string> metadata;
  if (p.metadata) metadata = p.metadata->dump();
  auto r = co_await tx.query(q::kUpdateConv, db::Params(id, p.title, p.model, p.status, metadata));
  co_return conversation_from_row(r.front());
}

Task<void> ChatRepo::delete_conversation(db::Tx& tx, const std::string& id) {
  co_await tx.query(q::kDeleteConv, db::Params(id));
}

Task<std::pair<Message, std::int64_t>> ChatRepo::insert_message(db::Tx* tx, const std::string& conversation_id,
                                                                const NewMessage& m, bool only_active) {
  db::Params p(conversation_id, m.role, m.content, m.model, m.provider, m.prompt_tokens, m.completion_tokens,
               m.token_count, m.cost, m.latency_ms, m.metadata.dump(), json_text(m.tool_calls), m.tool_call_id,
               only_active);
  db::Result r;
  if (tx) r = co_await tx->query(q::kInsertMsg, std::move(p));
  else r = co_await db_.query(q::kInsertMsg, std::move(p));
  if (r.empty())  // only_active and the conversation was archived (or deleted) meanwhile
    throw Conflict("the conversation is archived: set its status to active to continue it", {{"status", "archived"}});
  auto row = r.front();
  co_return std::make_pair(message_from_row(row), row.get<std::int64_t>("context_version"));
}

Task<std::optional<Message>> ChatRepo::find_message(const std::string& conversation_id, const std::string& id,
                                                    db::Tx* tx) {
  db::Params p(id, conversation_id);
  if (tx) co_return first_message(co_await tx->query(q::kFindMsg, std::move(p)));
  co_return first_message(co_await db_.query(q::kFindMsg, std::move(p)));
}

Task<std::optional<std::int64_t>> ChatRepo::message_seq(const std::string& conversation_id, const std::string& id) {
  auto r = co_await db_.query(q::kMsgSeq, db::Params(id, conversation_id));
  if (r.empty()) co_return std::nullopt;
  co_return r.front().get<std::int64_t>("seq");
}

Task<std::pair<std::vector<Message>, bool>> ChatRepo::list_messages(const std::string& conversation_id,
                                                                    const MessageCursor& c) {
  db::Params params;
  std::string sql = std::string("SELECT ") + kMessageColumns + " FROM messages WHERE conversation_id = " +
                    params.push(conversation_id);
  bool backwards = c.backwards();
  if (c.from == MessageCursor::From::after) sql += " AND seq > " + params.push(c.seq);
  if (c.from == MessageCursor::From::before) sql += " AND seq < " + params.push(c.seq);
  sql += backwards ? " ORDER BY seq DESC" : " ORDER BY seq ASC";
  sql += " LIMIT " + params.push(c.limit + 1);  // one more than asked says whether there is more
  auto rows = all_messages(co_await db_.query(sql, std::move(params)));
  bool more = rows.size() > static_cast<std::size_t>(c.limit);
  if (more) rows.pop_back();
  if (backwards) std::reverse(rows.begin(), rows.end());
  co_return std::make_pair(std::move(rows), more);
}

Task<std::optional<Message>> ChatRepo::edit_message(db::Tx& tx, const std::string& conversation_id,
                                                    const std::string& id, const std::string& content,
                                                    std::int64_t token_count) {
  co_return first_message(co_await tx.query(q::kEditMsg, db::Params(id, conversation_id, content, token_count)));
}

Task<bool> ChatRepo::delete_message(db::Tx& tx, const std::string& conversation_id, const std::string& id) {
  auto r = co_await tx.query(q::kDeleteMsg, db::Params(id, conversation_id));
  co_return r.front().get<std::int64_t>("n") > 0;
}

Task<std::optional<Message>> ChatRepo::last_assistant(db::Tx& tx, const std::string& conversation_id) {
  co_return first_message(co_await tx.query(q::kLastAssistant, db::Params(conversation_id)));
}

Task<std::optional<ContextSnapshot>> ChatRepo::context(const std::string& conversation_id, int limit) {
  auto r = co_await db_.query(q::kContext, db::Params(conversation_id, limit + 1));
  if (r.empty()) co_return std::nullopt;
  ContextSnapshot s;
  s.version = r.front().get<std::int64_t>("context_version");
  s.summary = r.front().opt<std::string>("summary");
  for (int i = 0; i < r.size(); ++i) {  // newest first
    auto row = r[i];
    if (row.is_null("seq")) break;  // no messages at all
    if (i == limit) {
      s.complete = false;
      break;
    }
    ContextMessage m;
    m.seq = row.get<std::int64_t>("seq");
    m.role = row.get<std::string>("role");
    m.content = row.get<std::string>("content");
    m.tool_calls = row.json("tool_calls");
    m.tool_call_id = row.opt<std::string>("tool_call_id");
    m.incomplete = row.get<bool>("incomplete");
    s.messages.push_back(std::move(m));
  }
  std::reverse(s.messages.begin(), s.messages.end());
  co_return s;
}

Task<std::vector<Message>> ChatRepo::messages_after(const std::string& conversation_id, std::int64_t seq,
                                                    db::Tx* tx) {
  db::Params p(conversation_id, seq);
  if (tx) co_return all_messages(co_await tx->query(q::kMessagesAfter, std::move(p)));
  co_return all_messages(co_await db_.query(q::kMessagesAfter, std::move(p)));
}

Task<std::int64_t> ChatRepo::unsummarised_tokens(const std::string& conversation_id) {
  auto r = co_await db_.query(q::kUnsummarised, db::Params(conversation_id));
  co_return r.front().get<std::int64_t>("tokens");
}

Task<bool> ChatRepo::set_summary(const std::string& conversation_id, const std::string& summary,
                                 std::int64_t through_seq, const std::string& model) {
  auto r = co_await db_.query(q::kSetSummary, db::Params(conversation_id, summary, through_seq, model));
  co_return r.affected() > 0;
}

}  // namespace netops::chat
