// HTTP shape of chat: conversations, their messages, sending a message (JSON or SSE), statistics.
#include <boost/asio/this_coro.hpp>

#include "core/dates.hpp"
#include "core/etag.hpp"
#include "core/ids.hpp"
#include "http/listing.hpp"
#include "modules/chat/chat_body.hpp"
#include "modules/chat/module.hpp"
#include "modules/chat/turn_service.hpp"
#include "modules/gateway/served_headers.hpp"

namespace netops::chat {

using http::Request;
using http::Response;
using http::Role;
using nlohmann::json;

namespace {

const http::ListSpec kConversationList{
    .filters = {{"status", "string", "active | archived"}, {"search", "string", "in titles"}},
    .sorts = {{"updatedAt", "updated_at"}, {"createdAt", "created_at"}, {"title", "title"},
              {"messageCount", "message_count"}},
    .default_sort = "updatedAt",
    .default_descending = true,
    .default_page_size = 50,
};

Response tagged(const Conversation& c) {
  auto j = to_json(c);
  auto etag = etag_of(j);
  return Response::json(j).header("ETag", etag);
}

json message_page(const MessagePage& p) {
  json data = json::array();
  for (const auto& m : p.items) data.push_back(to_json(m));
  json meta = {{"limit", p.limit}, {"total", p.total}, {"hasMore", p.more}};
  // The cursor that continues in the page's direction.
  if (p.more && !p.items.empty())
    meta[p.backwards ? "nextBefore" : "nextAfter"] = p.backwards ? p.items.front().id : p.items.back().id;
  return json{{"data", std::move(data)}, {"meta", std::move(meta)}};
}

const json kConversation = {
    {"type", "object"},
    {"properties",
     {{"id", {{"type", "string"}}},
      {"userId", {{"type", "string"}}},
      {"title", {{"type", "string"}}},
      {"model", {{"type", "string"}, {"description", "model id, tier:N or auto (the default for new messages)"}}},
      {"status", {{"type", "string"}, {"enum", {"active", "archived"}}}},
      {"messageCount", {{"type", "integer"}}},
      {"metadata", {{"type", "object"}, {"description", "free-form; summary* keys and systemPrompt are kept by chat"}}},
      {"createdAt", {{"type", "string"}}},
      {"updatedAt", {{"type", "string"}}}}}};

const json kConversationWrite = {
    {"type", "object"},
    {"properties",
     {{"title", {{"type", "string"}, {"maxLength", 255}}},
      {"model", {{"type", "string"}}},
      {"status", {{"type", "string"}, {"enum", {"active", "archived"}}}},
      {"metadata", {{"type", "object"}}}}}};

const json kMessage = {
    {"type", "object"},
    {"properties",
     {{"id", {{"type", "string"}}},
      {"conversationId", {{"type", "string"}}},
      {"role", {{"type", "string"}, {"enum", {"user", "assistant", "system", "tool"}}}},
      {"content", {{"type", "string"}}},
      {"model", {{"type", "string"}}},
      {"provider", {{"type", "string"}}},
      {"promptTokens", {{"type", "integer"}}},
      {"completionTokens", {{"type", "integer"}}},
      {"tokenCount", {{"type", "integer"}}},
      {"cost", {{"type", "string"}, {"description", "USD, 6 decimals"}}},
      {"latencyMs", {{"type", "integer"}}},
      {"toolCalls", {{"type", "array"}}},
      {"toolCallId", {{"type", "string"}}},
      {"metadata", {{"type", "object"}}},
      {"createdAt", {{"type", "string"}}}}}};

const json kSend = {
    {"type", "object"},
    {"properties",
     {{"message", {{"type", "string"}, {"description", "the user's message (optional when toolResults are sent)"}}},
      {"conversationId", {{"type", "string"}, {"description", "omitted: a new conversation titled from the message"}}},
      {"model", {{"type", "string"}, {"description", "model id, tier:N or auto; default: the conversation's"}}},
      {"systemPrompt", {{"type", "string"}, {"description", "kept for the conversation's later messages"}}},
      {"temperature", {{"type", "number"}, {"minimum", 0}, {"maximum", 2}}},
      {"maxTokens", {{"type", "integer"}, {"minimum", 1}}},
      {"stream", {{"type", "boolean"}, {"description", "true: SSE events start, delta…, done (or error), [DONE]"}}},
      {"tools",
       {{"description",
         "\"auto\" (every server tool you may use: the server runs the tool loop), \"none\", an array of server "
         "tool names (GET /api/tools), or an array of OpenAI tool definitions (the client runs them and answers "
         "with toolResults). Default: the conversation's metadata.tools, else none"}}},
      {"toolResults",
       {{"type", "array"},
        {"items",
         {{"type", "object"},
          {"required", {"toolCallId", "content"}},
          {"properties", {{"toolCallId", {{"type", "string"}}}, {"content", json::object()}}}}}}}}}};

const json kAnswer = {
    {"type", "object"},
    {"properties",
     {{"message", {{"type", "string"}}},
      {"conversationId", {{"type", "string"}}},
      {"messageId", {{"type", "string"}}},
      {"userMessageId", {{"type", "string"}}},
      {"model", {{"type", "string"}}},
      {"provider", {{"type", "string"}}},
      {"toolCalls", {{"type", "array"}}},
      {"toolRounds", {{"type", "integer"}, {"description", "rounds of server tool calls run (tool loop only)"}}},
      {"toolLimitReached",
       {{"type", "boolean"},
        {"description", "the tool loop was stopped (stopReason) while the model still called tools; those calls "
                        "were answered with a tool error, never left open"}}},
      {"stopReason",
       {{"type", "string"},
        {"enum", {"max_rounds", "token_budget"}},
        {"description", "why the tool loop stopped: NETOPS_TOOLS_MAX_ROUNDS (the model then answered once "
                        "without tools) or NETOPS_TOOLS_MAX_TURN_TOKENS (the model was not called again)"}}},
      {"turnTokens",
       {{"type", "integer"}, {"description", "prompt + completion tokens of every round (what the budget counts)"}}},
      {"usage",
       {{"type", "object"},
        {"properties",
         {{"promptTokens", {{"type", "integer"}}},
          {"completionTokens", {{"type", "integer"}}},
          {"totalTokens", {{"type", "integer"}}},
          {"estimatedCost", {{"type", "number"}}},
          {"cost", {{"type", "string"}, {"description", "exact, USD with 6 decimals"}}}}}}},
      {"latencyMs", {{"type", "integer"}}}}}};

// Keeps a streamed turn alive until its answer is stored: if the response never began (the client left
// while the upstream was being opened), the stream is finished in the background instead.
struct PendingStream {
  PendingStream() = default;
  PendingStream(const PendingStream&) = delete;
  PendingStream& operator=(const PendingStream&) = delete;
  std::shared_ptr<TurnService> svc;
  std::shared_ptr<Turn> turn;
  std::shared_ptr<gateway::StreamJob> job;
  bool started = false;
  ~PendingStream() {
    if (!started && svc && turn && job) svc->tasks().spawn(turn->executor, svc->relay(turn, job, nullptr), "chat stream");
  }
};

// Today and 29 days before, unless given (YYYY-MM-DD, start ≤ end).
std::pair<std::string, std::string> date_range(const Request& req) {
  using std::chrono::days;
  auto today = std::chrono::floor<days>(std::chrono::system_clock::now());
  Validation v;
  std::chrono::sys_days end = today, start = today - days(29);
  if (auto e = req.query("endDate")) {
    if (auto d = parse_iso_date(*e)) end = *d;
    else v.add("endDate", "must be a date YYYY-MM-DD");
  }
  start = end - days(29);
  if (auto s = req.query("startDate")) {
    if (auto d = parse_iso_date(*s)) start = *d;
    else v.add("startDate", "must be a date YYYY-MM-DD");
  }
  if (v.empty() && start > end) v.add("startDate", "must not be after endDate");
  v.throw_if_any();
  return {iso_date(start), iso_date(end)};
}

// Whose statistics: the caller's, or (admins) the userId asked for.
std::string stats_user(const Request& req) {
  const auto& actor = req.actor_or_throw();
  auto id = req.query("userId");
  if (!id || *id == actor.user_id) return actor.user_id;
  if (actor.role < Role::admin) throw Forbidden("only admins may read another user's statistics");
  if (!is_uuid(*id)) throw ValidationError("userId", "must be a UUID");
  return *id;
}

}  // namespace

Module<ChatService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                    std::shared_ptr<gateway::Service> gateway) {
  auto repo = std::make_shared<ChatRepo>(ctx.db);
  auto contexts = std::make_shared<ContextRepo>(ctx.cache, *repo);
  auto svc = std::make_shared<ChatService>(ctx, repo, contexts, audit);
  auto turns = std::make_shared<TurnService>(ctx, gateway, repo, contexts, audit, svc->tool_slot());

  ctx.router
      .get("/api/conversations", Role::user,
           [svc](Request& req) -> Task<Response> {
             ConversationFilter f;
             f.status = req.query("status");
             if (f.status && *f.status != "active" && *f.status != "archived")
               throw ValidationError("status", "must be active or archived");
             f.search = req.query("search");
             auto q = http::list_query(req, kConversationList);
             const auto& by = req.actor_or_throw();
             auto page = co_await svc->list(f, q.page, q.sort, by);
             co_return http::page(page, [](const Conversation& c) { return to_json(c); });
           })
      .summary("Your conversations (status, search in titles; sort updatedAt|createdAt|title|messageCount, "
               "default -updatedAt)")
      .tag("chat")
      .list(kConversationList);

  ctx.router
      .post("/api/conversations", Role::user,
            [svc](Request& req) -> Task<Response> {
              auto in = parse_new_conversation(req.json());
              const auto& by = req.actor_or_throw();
              co_return Response::json(to_json(co_await svc->create(in, by)), 201);
            })
      .summary("Create a conversation ({title?, model?, metadata?}; model defaults to auto)")
      .tag("chat")
      .request(kConversationWrite)
      .response(kConversation, 201);

  ctx.router
      .get("/api/conversations/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             const auto& by = req.actor_or_throw();
             auto id = req.path_uuid("id");
             co_return tagged(co_await svc->get(id, by));
           })
      .summary("One of your conversations, with an ETag for If-Match (another user's: 404)")
      .tag("chat")
      .response(kConversation);

  auto update = [svc](Request& req) -> Task<Response> {
    auto p = parse_conversation_patch(req.json());
    const auto& by = req.actor_or_throw();
    auto id = req.path_uuid("id");
    auto expected_etag = req.if_match();
    co_return tagged(co_await svc->update(id, p, expected_etag, by));
  };
  ctx.router.patch("/api/conversations/{id}", Role::user, update)
      .summary("Change title, model, status (active|archived) or metadata (merged; null deletes a key); If-Match honoured")
      .tag("chat")
      .request(kConversationWrite)
      .response(kConversation);
  ctx.router.put("/api/conversations/{id}", Role::user, update)
      .summary("Same as PATCH")
      .tag("chat")
      .request(kConversationWrite)
      .response(kConversation);

  ctx.router
      .del("/api/conversations/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             const auto& by = req.actor_or_throw();
             auto id = req.path_uuid("id");
             co_await svc->remove(id, by);
             co_return Response::no_content();
           })
      .summary("Delete a conversation and its messages")
      .tag("chat")
      .response(nullptr, 204);

  ctx.router
      .get("/api/conversations/{id}/messages", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto before = req.query("before"), after = req.query("after");
             if (before && after) throw ValidationError("before", "give before or after, not both");
             for (auto* c : {&before, &after})
               if (*c && !is_uuid(**c)) throw ValidationError(c == &before ? "before" : "after", "must be a message id");
             bool tail = req.query_bool("tail").value_or(false);
             int limit = static_cast<int>(req.query_int("limit", 50, 1, 200));
             const auto& by = req.actor_or_throw();
             auto id = req.path_uuid("id");
             co_return Response::json(message_page(co_await svc->messages(id, before, after, tail, limit, by)));
           })
      .summary("Messages, oldest first, cursor paging: after=<id> (next), before=<id> (previous), tail=true (the "
               "newest page); limit ≤ 200. meta: {limit, total, hasMore, nextAfter | nextBefore}")
      .tag("chat")
      .query("after", "string", "message id: the messages after it")
      .query("before", "string", "message id: the messages before it")
      .query("tail", "boolean", "without a cursor: the newest page instead of the oldest")
      .query("limit", "integer", "1–200, default 50");

  ctx.router
      .patch("/api/conversations/{id}/messages/{messageId}", Role::user,
             [svc](Request& req) -> Task<Response> {
               const auto& by = req.actor_or_throw();
               auto id = req.path_uuid("id"), message_id = req.path_uuid("messageId");
               auto content = parse_message_edit(req.json());
               co_return Response::json(to_json(co_await svc->edit_message(id, message_id, content, by)));
             })
      .summary("Edit a user or system message ({content}); the context follows at once")
      .tag("chat")
      .request({{"type", "object"}, {"required", {"content"}}, {"properties", {{"content", {{"type", "string"}}}}}})
      .response(kMessage);

  ctx.router
      .del("/api/conversations/{id}/messages/{messageId}", Role::user,
           [svc](Request& req) -> Task<Response> {
             const auto& by = req.actor_or_throw();
             auto id = req.path_uuid("id"), message_id = req.path_uuid("messageId");
             co_await svc->delete_message(id, message_id, by);
             co_return Response::no_content();
           })
      .summary("Delete a message; it leaves the context at once")
      .tag("chat")
      .response(nullptr, 204);

  ctx.router
      .post("/api/chat/messages", Role::user,
            [turns](Request& req) -> Task<Response> {
              auto in = parse_send(req.json());
              const auto& by = req.actor_or_throw();
              auto turn = co_await turns->begin(in, by);
              if (!in.stream) co_return Response::json(to_json(co_await turns->answer(turn)));
              auto job = co_await turns->open_stream(turn);
              auto pending = std::make_shared<PendingStream>();
              pending->svc = turns;
              pending->turn = turn;
              pending->job = job;
              Response r = Response::streamed("text/event-stream; charset=utf-8",
                                              [pending](http::StreamWriter& w) -> Task<void> {
                                                pending->started = true;
                                                co_await pending->svc->relay(pending->turn, pending->job, &w);
                                              });
              gateway::add_served_headers(r, job->served());
              r.header("Cache-Control", "no-cache");
              co_return r;
            })
      .summary("Send a message: stores it (creating the conversation when conversationId is absent), builds the "
               "context, calls the gateway (rules, escalation, budgets, accounting) and stores the answer")
      .tag("chat")
      .body_limit(4u << 20)
      .request(kSend)
      .response(kAnswer);

  ctx.router
      .get("/api/stats/chat/user", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto [start, end] = date_range(req);
             auto user_id = stats_user(req);
             co_return Response::json(to_json(co_await svc->user_stats(user_id, start, end)));
           })
      .summary("Chat statistics of a period: totals and by model from the stored messages, plus all gateway "
               "usage (user_token_stats). Admins may pass userId")
      .tag("chat")
      .query("startDate", "string", "YYYY-MM-DD (UTC), default endDate − 29 days")
      .query("endDate", "string", "YYYY-MM-DD (UTC), default today")
      .query("userId", "string", "admins: another user's statistics");

  ctx.router
      .get("/api/stats/chat/daily", Role::user,
           [svc](Request& req) -> Task<Response> {
             int days = static_cast<int>(req.query_int("days", 30, 1, 366));
             auto user_id = stats_user(req);
             co_return Response::json(to_json(co_await svc->daily_stats(user_id, days)));
           })
      .summary("Per UTC day, the last `days` days (today included, days without messages as zeros). Admins may "
               "pass userId")
      .tag("chat")
      .query("days", "integer", "1–366, default 30")
      .query("userId", "string", "admins: another user's statistics");

  ctx.router
      .get("/api/stats/chat/conversations/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             const auto& by = req.actor_or_throw();
             auto id = req.path_uuid("id");
             co_return Response::json(to_json(co_await svc->conversation_stats(id, by)));
           })
      .summary("One conversation: messages, tokens, cost and latency from its messages, by model, and every "
               "upstream call (answers and summaries) from usage_logs. Owner, or any conversation for admins")
      .tag("chat");

  Background background;
  // Chat's background work (summaries, streams whose client left) makes usage records: drained before
  // the gateway flushes its accounting.
  background.drain.push_back([turns] { return turns->tasks().drain(std::chrono::seconds(20)); });
  return {svc, std::move(background)};
}

}  // namespace netops::chat
