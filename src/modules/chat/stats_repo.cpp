#include "modules/chat/stats_repo.hpp"

namespace netops::chat {

using nlohmann::json;

namespace q {
// Messages of one user's conversations created within [$2, $3] (UTC dates).
#define NETOPS_USER_MESSAGES                                                                   \
  " FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.user_id = $1 "    \
  "AND m.created_at >= ($2::date)::timestamp AT TIME ZONE 'UTC' "                             \
  "AND m.created_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'"
#define NETOPS_SUMS                                                                                      \
  "count(*) AS messages, count(*) FILTER (WHERE m.role = 'user') AS user_messages, "                    \
  "count(*) FILTER (WHERE m.role = 'assistant') AS assistant_messages, "                               \
  "count(*) FILTER (WHERE m.role = 'tool') AS tool_messages, "                                         \
  "count(DISTINCT m.conversation_id) AS conversations, coalesce(sum(m.prompt_tokens), 0) AS prompt_tokens, " \
  "coalesce(sum(m.completion_tokens), 0) AS completion_tokens, coalesce(sum(m.cost), 0)::numeric(14,6)::text AS cost"

constexpr db::Query kUserTotals{"chat.stats_user_totals", "SELECT " NETOPS_SUMS NETOPS_USER_MESSAGES};
constexpr db::Query kUserByModel{"chat.stats_user_by_model",
                                 "SELECT m.model, m.provider, " NETOPS_SUMS NETOPS_USER_MESSAGES
                                 " AND m.role = 'assistant' GROUP BY m.model, m.provider "
                                 "ORDER BY sum(m.cost) DESC NULLS LAST, m.model"};
constexpr db::Query kUserGateway{"chat.stats_user_gateway", R"SQL(
SELECT model, provider, sum(total_tokens)::bigint AS tokens, sum(total_cost)::numeric(14,6)::text AS cost,
  sum(message_count)::bigint AS calls, sum(conversation_count)::bigint AS conversations
FROM user_token_stats WHERE user_id = $1 AND date BETWEEN $2::date AND $3::date
GROUP BY model, provider ORDER BY sum(total_cost) DESC, model)SQL"};
constexpr db::Query kDaily{"chat.stats_daily", R"SQL(
WITH span AS (SELECT (now() AT TIME ZONE 'UTC')::date - ($2::int - 1) AS first, (now() AT TIME ZONE 'UTC')::date AS last),
days AS (SELECT generate_series(span.first, span.last, interval '1 day')::date AS day FROM span),
agg AS (
  SELECT (m.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS messages,
    count(*) FILTER (WHERE m.role = 'assistant') AS assistant_messages,
    count(DISTINCT m.conversation_id) AS conversations, coalesce(sum(m.prompt_tokens), 0) AS prompt_tokens,
    coalesce(sum(m.completion_tokens), 0) AS completion_tokens, coalesce(sum(m.cost), 0) AS cost
  FROM messages m JOIN conversations c ON c.id = m.conversation_id, span
  WHERE c.user_id = $1 AND m.created_at >= (span.first)::timestamp AT TIME ZONE 'UTC'
  GROUP BY 1
)
SELECT days.day::text AS date, coalesce(agg.messages, 0) AS messages,
  coalesce(agg.assistant_messages, 0) AS assistant_messages, coalesce(agg.conversations, 0) AS conversations,
  coalesce(agg.prompt_tokens, 0) AS prompt_tokens, coalesce(agg.completion_tokens, 0) AS completion_tokens,
  coalesce(agg.cost, 0)::numeric(14,6)::text AS cost
FROM days LEFT JOIN agg USING (day) ORDER BY days.day)SQL"};
constexpr db::Query kConversation{"chat.stats_conversation",
                                  "SELECT " NETOPS_SUMS ", avg(m.latency_ms) FILTER (WHERE m.role = 'assistant') "
                                  "AS avg_latency, min(m.created_at) AS first_at, max(m.created_at) AS last_at "
                                  "FROM messages m WHERE m.conversation_id = $1"};
constexpr db::Query kConversationByModel{"chat.stats_conversation_by_model",
                                         "SELECT m.model, m.provider, " NETOPS_SUMS
                                         " FROM messages m WHERE m.conversation_id = $1 AND m.role = 'assistant' "
                                         "GROUP BY m.model, m.provider ORDER BY sum(m.cost) DESC NULLS LAST, m.model"};
constexpr db::Query kConversationUsage{"chat.stats_conversation_usage", R"SQL(
SELECT (request_id LIKE '%:summary') AS summary, count(*) AS calls,
  count(*) FILTER (WHERE status = 'error') AS failed_calls, coalesce(sum(prompt_tokens), 0) AS prompt_tokens,
  coalesce(sum(completion_tokens), 0) AS completion_tokens, coalesce(sum(total_cost), 0)::numeric(14,6)::text AS cost
FROM usage_logs WHERE conversation_id = $1 GROUP BY 1)SQL"};
#undef NETOPS_USER_MESSAGES
#undef NETOPS_SUMS
}  // namespace q

namespace {

std::int64_t int_of(const db::Row& r, const char* col) { return r.is_null(col) ? 0 : r.get<std::int64_t>(col); }

// The columns of NETOPS_SUMS.
MessageSums sums(const db::Row& r) {
  MessageSums s;
  s.messages = int_of(r, "messages");
  s.user_messages = int_of(r, "user_messages");
  s.assistant_messages = int_of(r, "assistant_messages");
  s.tool_messages = int_of(r, "tool_messages");
  s.conversations = int_of(r, "conversations");
  s.prompt_tokens = int_of(r, "prompt_tokens");
  s.completion_tokens = int_of(r, "completion_tokens");
  s.cost = r.get<std::string>("cost");
  return s;
}

std::vector<ModelSums> by_model(const db::Result& rows) {
  std::vector<ModelSums> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(ModelSums{rows[i].json("model"), rows[i].json("provider"), sums(rows[i])});
  return out;
}

CallSums calls(const db::Row& r) {
  return CallSums{int_of(r, "calls"), int_of(r, "failed_calls"), int_of(r, "prompt_tokens"),
                  int_of(r, "completion_tokens"), r.get<std::string>("cost")};
}

}  // namespace

Task<UserStats> StatsRepo::user(const std::string& user_id, const std::string& start, const std::string& end) {
  db::Params p(user_id, start, end);
  auto totals = co_await db_.query(q::kUserTotals, p);
  auto models = co_await db_.query(q::kUserByModel, p);
  auto gateway = co_await db_.query(q::kUserGateway, p);
  UserStats s;
  s.user_id = user_id;
  s.start = start;
  s.end = end;
  s.totals = sums(totals.front());
  s.by_model = by_model(models);
  for (int i = 0; i < gateway.size(); ++i) {
    auto r = gateway[i];
    s.gateway_usage.push_back(GatewayUsage{r.json("model"), r.json("provider"), int_of(r, "tokens"), int_of(r, "calls"),
                                           int_of(r, "conversations"), r.get<std::string>("cost")});
  }
  co_return s;
}

Task<DailyStats> StatsRepo::daily(const std::string& user_id, int days) {
  auto rows = co_await db_.query(q::kDaily, db::Params(user_id, days));
  DailyStats s;
  s.user_id = user_id;
  s.days = days;
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    DayStats d;
    d.date = r.get<std::string>("date");
    d.sums.messages = int_of(r, "messages");
    d.sums.assistant_messages = int_of(r, "assistant_messages");
    d.sums.conversations = int_of(r, "conversations");
    d.sums.prompt_tokens = int_of(r, "prompt_tokens");
    d.sums.completion_tokens = int_of(r, "completion_tokens");
    d.sums.cost = r.get<std::string>("cost");
    s.data.push_back(std::move(d));
  }
  co_return s;
}

Task<ConversationStats> StatsRepo::conversation(const std::string& conversation_id) {
  db::Params p(conversation_id);
  auto totals = co_await db_.query(q::kConversation, p);
  auto models = co_await db_.query(q::kConversationByModel, p);
  auto usage = co_await db_.query(q::kConversationUsage, p);
  auto t = totals.front();
  ConversationStats s;
  s.conversation_id = conversation_id;
  s.sums = sums(t);
  if (!t.is_null("avg_latency")) s.avg_latency_ms = t.get<double>("avg_latency");
  s.first_message_at = t.timestamp("first_at");
  s.last_message_at = t.timestamp("last_at");
  s.by_model = by_model(models);
  for (int i = 0; i < usage.size(); ++i) {
    auto r = usage[i];
    (r.get<bool>("summary") ? s.summaries : s.answers) = calls(r);
  }
  co_return s;
}

}  // namespace netops::chat
