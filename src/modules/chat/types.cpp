#include "modules/chat/types.hpp"

#include "core/ids.hpp"

namespace netops::chat {

using nlohmann::json;

namespace {
json object_or_empty(const db::Row& r, std::string_view col) {
  auto j = r.json(col);
  return j.is_object() ? j : json::object();
}
template <class T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json();
}
}  // namespace

Conversation conversation_from_row(const db::Row& r) {
  Conversation c;
  c.id = r.get<std::string>("id");
  c.user_id = r.get<std::string>("user_id");
  c.title = r.get<std::string>("title");
  c.model = r.opt<std::string>("model").value_or("auto");
  c.status = r.get<std::string>("status");
  c.message_count = r.get<int>("message_count");
  c.context_version = r.get<std::int64_t>("context_version");
  c.metadata = object_or_empty(r, "metadata");
  c.created_at = r.timestamp("created_at");
  c.updated_at = r.timestamp("updated_at");
  return c;
}

Message message_from_row(const db::Row& r) {
  Message m;
  m.id = r.get<std::string>("id");
  m.conversation_id = r.get<std::string>("conversation_id");
  m.seq = r.get<std::int64_t>("seq");
  m.role = r.get<std::string>("role");
  m.content = r.get<std::string>("content");
  m.model = r.opt<std::string>("model");
  m.provider = r.opt<std::string>("provider");
  m.prompt_tokens = r.get<int>("prompt_tokens");
  m.completion_tokens = r.get<int>("completion_tokens");
  m.token_count = r.get<int>("token_count");
  m.cost = r.opt<std::string>("cost");
  m.latency_ms = r.opt<int>("latency_ms");
  m.metadata = object_or_empty(r, "metadata");
  m.tool_calls = r.json("tool_calls");
  m.tool_call_id = r.opt<std::string>("tool_call_id");
  m.created_at = r.timestamp("created_at");
  return m;
}

json to_json(const Conversation& c) {
  return {{"id", c.id},           {"userId", c.user_id},       {"title", c.title},
          {"model", c.model},     {"status", c.status},        {"messageCount", c.message_count},
          {"metadata", c.metadata}, {"createdAt", c.created_at}, {"updatedAt", c.updated_at}};
}

json to_json(const Message& m) {
  return {{"id", m.id},
          {"conversationId", m.conversation_id},
          {"role", m.role},
          {"content", m.content},
          {"model", opt(m.model)},
          {"provider", opt(m.provider)},
          {"promptTokens", m.prompt_tokens},
          {"completionTokens", m.completion_tokens},
          {"tokenCount", m.token_count},
          {"cost", opt(m.cost)},
          {"latencyMs", opt(m.latency_ms)},
          {"toolCalls", m.tool_calls},
          {"toolCallId", opt(m.tool_call_id)},
          {"metadata", m.metadata},
          {"createdAt", m.created_at}};
}

namespace {
json sums_json(const MessageSums& s) {
  return {{"messages", s.messages},
          {"userMessages", s.user_messages},
          {"assistantMessages", s.assistant_messages},
          {"toolMessages", s.tool_messages},
          {"conversations", s.conversations},
          {"promptTokens", s.prompt_tokens},
          {"completionTokens", s.completion_tokens},
          {"totalTokens", s.prompt_tokens + s.completion_tokens},
          {"cost", s.cost}};
}
json by_model_json(const std::vector<ModelSums>& rows) {
  json out = json::array();
  for (const auto& m : rows) {
    json s = sums_json(m.sums);
    s["model"] = m.model;
    s["provider"] = m.provider;
    s.erase("userMessages");
    s.erase("toolMessages");
    out.push_back(std::move(s));
  }
  return out;
}
json calls_json(const CallSums& c) {
  return {{"calls", c.calls},
          {"failedCalls", c.failed_calls},
          {"promptTokens", c.prompt_tokens},
          {"completionTokens", c.completion_tokens},
          {"cost", c.cost}};
}
}  // namespace

json to_json(const UserStats& s) {
  json usage = json::array();
  for (const auto& g : s.gateway_usage)
    usage.push_back({{"model", g.model},
                     {"provider", g.provider},
                     {"tokens", g.tokens},
                     {"cost", g.cost},
                     {"calls", g.calls},
                     {"conversations", g.conversations}});
  return {{"userId", s.user_id},
          {"startDate", s.start},
          {"endDate", s.end},
          {"totals", sums_json(s.totals)},
          {"byModel", by_model_json(s.by_model)},
          {"gatewayUsage", std::move(usage)}};
}

json to_json(const DailyStats& s) {
  json out = json::array();
  for (const auto& d : s.data)
    out.push_back({{"date", d.date},
                   {"messages", d.sums.messages},
                   {"assistantMessages", d.sums.assistant_messages},
                   {"conversations", d.sums.conversations},
                   {"promptTokens", d.sums.prompt_tokens},
                   {"completionTokens", d.sums.completion_tokens},
                   {"totalTokens", d.sums.prompt_tokens + d.sums.completion_tokens},
                   {"cost", d.sums.cost}});
  return {{"userId", s.user_id}, {"days", s.days}, {"data", std::move(out)}};
}

json to_json(const ConversationStats& s) {
  json out = sums_json(s.sums);
  out.erase("conversations");
  out["conversationId"] = s.conversation_id;
  out["avgLatencyMs"] = s.avg_latency_ms ? json(*s.avg_latency_ms) : json();
  out["firstMessageAt"] = s.first_message_at;
  out["lastMessageAt"] = s.last_message_at;
  out["byModel"] = by_model_json(s.by_model);
  out["upstreamCalls"] = {{"answers", calls_json(s.answers)}, {"summaries", calls_json(s.summaries)}};
  out["userId"] = s.user_id;
  out["title"] = s.title;
  out["messageCount"] = s.message_count;
  return out;
}

// What is private in a conversation (message text, the title made from it, the system prompt and the
// summary in metadata) reaches audit_logs — readable by every admin — only as its length and SHA-256:
// enough to tell that and when it changed, nothing of what it says.
nlohmann::json text_fact(std::string_view text) {
  std::size_t chars = 0;
  for (unsigned char ch : text) chars += (ch & 0xC0) != 0x80;
  return nlohmann::json{{"length", chars}, {"sha256", sha256_hex(text)}};
}

nlohmann::json audit_view(const Conversation& conv) {
  nlohmann::json out = to_json(conv);
  if (auto t = out.find("title"); t != out.end() && t->is_string()) *t = text_fact(t->get_ref<const std::string&>());
  if (auto m = out.find("metadata"); m != out.end() && m->is_object())
    for (auto it = m->begin(); it != m->end(); ++it)
      *it = text_fact(it->is_string() ? it->get<std::string>() : it->dump());
  return out;
}

}  // namespace netops::chat
