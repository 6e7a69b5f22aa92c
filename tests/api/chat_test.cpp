// Chat on top of the gateway: conversations (owner only), turns with context built from history, context
// memory in Redis that never goes stale, summaries, streams that survive their client, tool calls, and
// statistics that add up to the stored messages. Upstream: tools/mock-llm (`inspect` answers with the
// messages it received, so a test sees exactly the context chat built).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <regex>

#include "gateway_fixture.hpp"

using namespace gwtest;

namespace {

// Text of exactly `n` characters, so its token estimate is exact: ceil(n / 4) + 3 per message.
std::string text_of(const std::string& stem, std::size_t n = 36) {
  std::string t = stem;
  t.resize(n, '.');
  return t;
}

json transcript(const HttpResponse& r) { return json::parse(r.json()["message"].get<std::string>()); }

std::vector<std::pair<std::string, std::string>> sse_events(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> out;  // (type, raw data) of the events with data
  for (auto& e : parse_sse(body)) {
    if (e.data.empty()) continue;
    out.emplace_back(e.data == "[DONE]" ? "[DONE]" : json::parse(e.data).value("type", ""), e.data);
  }
  return out;
}

}  // namespace

class Chat : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new GatewayEnv();
    env_->start("chat", {{"NETOPS_ACCOUNTING_FLUSH_MS", "50"}, {"NETOPS_CHAT_SUMMARY_TOKENS", "0"},
                 {"NETOPS_UPSTREAM_RETRY_BASE_MS", "5"}});
    auto& e = *env_;
    e.provider("mockc", e.mock_url() + "/v1", "bearer");
    e.provider("mockant", e.mock_url(), "x-api-key");
    e.model("mockc/echo", "mockc", 0, {{"priority", 1}});
    json late = {{"priority", 500}};
    for (const char* id : {"mockc/inspect", "mockc/tools", "mockc/long-300", "mockc/fail-503-chat"})
      e.model(id, "mockc", 0, late);
    e.model("mockc/inspect-small", "mockc", 0, {{"priority", 500}, {"contextWindow", 100}});
    e.model("mockant/tools", "mockant", 1, late);
    e.model("mockant/inspect", "mockant", 1, late);
    user_ = new Headers(make_user());
    other_ = new Headers(make_user());
  }
  static void TearDownTestSuite() {
    delete user_;
    delete other_;
    delete env_;
    env_ = nullptr;
  }
  static Headers make_user() { return new_user(env_->server->port(), env_->admin_token).auth(); }
  // One Redis command on the suite server's db.
  static std::string redis(const std::vector<std::string>& args) {
    return redis_command(env_->server->redis_url(), args);
  }
  static std::string user_id(const Headers& h) {
    HttpClient c(env_->server->port());
    return c.get("/api/auth/me", h).json()["id"];
  }

  HttpResponse send(json body, const Headers& h = *user_) { return client.post("/api/chat/messages", body, h); }
  json messages(const std::string& conv, const Headers& h = *user_) {
    auto r = client.get("/api/conversations/" + conv + "/messages?limit=200", h);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["data"];
  }
  // A conversation with n exchanges of 36-character messages through mockc/echo (answers repeat them).
  std::string history(int n, const std::string& stem) {
    std::string conv;
    for (int i = 0; i < n; ++i) {
      json b = {{"message", text_of(stem + " " + std::to_string(i))}, {"model", "mockc/echo"}};
      if (!conv.empty()) b["conversationId"] = conv;
      auto r = send(b);
      EXPECT_EQ(r.status, 200) << r.body;
      conv = r.json()["conversationId"];
    }
    return conv;
  }
  std::string sql(const std::string& q) { return env_->sql(q); }

  static GatewayEnv* env_;
  static Headers* user_;
  static Headers* other_;
  HttpClient client{env_->server->port()};
};
GatewayEnv* Chat::env_ = nullptr;
Headers* Chat::user_ = nullptr;
Headers* Chat::other_ = nullptr;

TEST_F(Chat, ConversationsCrudIsOwnerOnly) {
  auto created = client.post("/api/conversations", {{"title", "Core switch upgrade"}, {"metadata", {{"ticket", "CHG-1"}}}},
                             *user_);
  ASSERT_EQ(created.status, 201) << created.body;
  auto c = created.json();
  std::string id = c["id"];
  EXPECT_EQ(c["model"], "auto");
  EXPECT_EQ(c["status"], "active");
  EXPECT_EQ(c["messageCount"], 0);
  EXPECT_EQ(c["metadata"]["ticket"], "CHG-1");

  auto got = client.get("/api/conversations/" + id, *user_);
  ASSERT_EQ(got.status, 200);
  std::string etag = got.header("etag");
  ASSERT_FALSE(etag.empty());

  // Another user sees nothing of it: 404 everywhere, absent from the list.
  for (const char* path : {"", "/messages"}) EXPECT_EQ(client.get("/api/conversations/" + id + path, *other_).status, 404);
  EXPECT_EQ(client.request("PATCH", "/api/conversations/" + id, json{{"title", "x"}}.dump(), *other_).status, 404);
  EXPECT_EQ(client.request("DELETE", "/api/conversations/" + id, "", *other_).status, 404);
  EXPECT_EQ(send({{"conversationId", id}, {"message", "hi"}, {"model", "mockc/echo"}}, *other_).status, 404);
  EXPECT_EQ(client.get("/api/stats/chat/conversations/" + id, *other_).status, 404);
  auto others = client.get("/api/conversations?pageSize=1000", *other_).json();
  for (auto& row : others["data"]) EXPECT_NE(row["id"], id);

  // Update with If-Match: the current ETag works once, then it is stale.
  Headers h = *user_;
  h.emplace_back("If-Match", etag);
  auto upd = client.request("PATCH", "/api/conversations/" + id,
                            json{{"title", "Core switch upgrade (night)"}, {"status", "archived"},
                                 {"metadata", {{"ticket", nullptr}, {"site", "HQ"}}}}
                                .dump(),
                            h);
  ASSERT_EQ(upd.status, 200) << upd.body;
  EXPECT_EQ(upd.json()["status"], "archived");
  EXPECT_FALSE(upd.json()["metadata"].contains("ticket"));  // null deletes a key
  EXPECT_EQ(upd.json()["metadata"]["site"], "HQ");
  EXPECT_EQ(client.request("PATCH", "/api/conversations/" + id, json{{"title", "again"}}.dump(), h).status, 412);

  // Lists: filter, search, sort, paging.
  auto list = client.get("/api/conversations?status=archived&search=switch%20upgrade", *user_).json();
  ASSERT_EQ(list["meta"]["total"], 1);
  EXPECT_EQ(list["data"][0]["id"], id);
  EXPECT_EQ(client.get("/api/conversations?sort=-bogus", *user_).status, 400);
  EXPECT_EQ(client.get("/api/conversations?status=deleted", *user_).status, 400);

  // An archived conversation takes no new messages until it is active again.
  auto archived = send({{"conversationId", id}, {"message", "hello"}, {"model", "mockc/echo"}});
  EXPECT_EQ(archived.status, 409) << archived.body;

  EXPECT_EQ(client.request("DELETE", "/api/conversations/" + id, "", *user_).status, 204);
  EXPECT_EQ(client.get("/api/conversations/" + id, *user_).status, 404);
  EXPECT_EQ(sql("SELECT count(*) FROM audit_logs WHERE resource = 'conversation:" + id + "'"), "3");
}

TEST_F(Chat, BadInputIsRefusedWithEveryFieldNamed) {
  auto r = send({{"message", ""}, {"temperature", 3}, {"maxTokens", 0}, {"conversationId", "nope"}, {"model", "bad model"},
                 {"systemPromt", "typo"}});
  ASSERT_EQ(r.status, 400) << r.body;
  std::set<std::string> fields;
  auto body = r.json();  // named: a range-for over part of a temporary would dangle
  for (auto& d : body["error"]["details"]["errors"]) fields.insert(d["field"].get<std::string>());
  for (const char* f : {"message", "temperature", "maxTokens", "conversationId", "model", "systemPromt"})
    EXPECT_TRUE(fields.count(f)) << f << " in " << r.body;
  EXPECT_EQ(send(json::object()).status, 400);
  EXPECT_EQ(send({{"message", "hi"}, {"conversationId", "00000000-0000-4000-8000-000000000000"}}).status, 404);
  EXPECT_EQ(client.post("/api/chat/messages", {{"message", "hi"}}).status, 401);
  EXPECT_EQ(client.post("/api/conversations", {{"metadata", {{"summary", "forged"}}}}, *user_).status, 400);
  EXPECT_EQ(client.get("/api/conversations/not-a-uuid", *user_).status, 400);
}

TEST_F(Chat, FirstMessageCreatesTheConversationAndEveryFigureIsStored) {
  std::string rid = unique_id("chat1");
  Headers h = *user_;
  h.emplace_back("X-Request-Id", rid);
  const std::string question = "How do I back up the running config of core-sw-01?\nIt is a Catalyst 9300.";
  auto r = send({{"message", question}, {"model", "mockc/echo"}}, h);
  ASSERT_EQ(r.status, 200) << r.body;
  auto a = r.json();
  EXPECT_EQ(a["message"], question);  // echo
  EXPECT_EQ(a["model"], "mockc/echo");
  EXPECT_EQ(a["provider"], "mockc");
  std::string conv = a["conversationId"];

  auto c = client.get("/api/conversations/" + conv, *user_).json();
  EXPECT_EQ(c["title"], "How do I back up the running config of core-sw-01?");
  EXPECT_EQ(c["messageCount"], 2);
  EXPECT_EQ(c["model"], "mockc/echo");

  // usage = the mock's deterministic counts = the usage_logs row of the call.
  long long prompt = ceil4(question.size()) + 3, completion = ceil4(question.size());
  EXPECT_EQ(a["usage"]["promptTokens"], prompt);
  EXPECT_EQ(a["usage"]["completionTokens"], completion);
  EXPECT_EQ(a["usage"]["totalTokens"], prompt + completion);
  EXPECT_EQ(a["usage"]["cost"], cost_text(prompt, completion));
  auto rows = env_->usage(rid);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["cost"], cost_text(prompt, completion));
  EXPECT_EQ(sql("SELECT conversation_id FROM usage_logs WHERE request_id = '" + rid + "'"), conv);

  auto msgs = messages(conv);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0]["role"], "user");
  EXPECT_EQ(msgs[0]["id"], a["userMessageId"]);
  EXPECT_EQ(msgs[0]["tokenCount"], ceil4(question.size()));
  EXPECT_EQ(msgs[1]["role"], "assistant");
  EXPECT_EQ(msgs[1]["id"], a["messageId"]);
  EXPECT_EQ(msgs[1]["model"], "mockc/echo");
  EXPECT_EQ(msgs[1]["provider"], "mockc");
  EXPECT_EQ(msgs[1]["promptTokens"], prompt);
  EXPECT_EQ(msgs[1]["completionTokens"], completion);
  EXPECT_EQ(msgs[1]["tokenCount"], completion);
  EXPECT_EQ(msgs[1]["cost"], cost_text(prompt, completion));
  EXPECT_EQ(msgs[1]["latencyMs"], a["latencyMs"]);
}

TEST_F(Chat, ContextCarriesHistoryAndTheRememberedSystemPrompt) {
  auto first = send({{"message", "first question"}, {"model", "mockc/echo"}, {"systemPrompt", "You are a NOC assistant."}});
  ASSERT_EQ(first.status, 200);
  std::string conv = first.json()["conversationId"];
  auto r = send({{"conversationId", conv}, {"message", "second question"}, {"model", "mockc/inspect"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json expected = json::array({{{"role", "system"}, {"content", "You are a NOC assistant."}},
                               {{"role", "user"}, {"content", "first question"}},
                               {{"role", "assistant"}, {"content", "first question"}},
                               {{"role", "user"}, {"content", "second question"}}});
  EXPECT_EQ(transcript(r), expected);
  // The conversation's default model did not change: the message named its own.
  EXPECT_EQ(client.get("/api/conversations/" + conv, *user_).json()["model"], "mockc/echo");
}

TEST_F(Chat, ContextIsTrimmedToTheModelsWindow) {
  // 8 history messages of 12 tokens each; mockc/inspect-small has a 100-token window, 25 reserved for the
  // answer: 75 tokens hold the newest 6 messages (the new one included).
  std::string conv = history(4, "trim");
  std::string question = text_of("trim question");
  auto r = send({{"conversationId", conv}, {"message", question}, {"model", "mockc/inspect-small"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto t = transcript(r);
  ASSERT_EQ(t.size(), 6u) << t.dump();
  EXPECT_EQ(t[0], (json{{"role", "assistant"}, {"content", text_of("trim 1")}}));
  EXPECT_EQ(t[1], (json{{"role", "user"}, {"content", text_of("trim 2")}}));
  EXPECT_EQ(t[5], (json{{"role", "user"}, {"content", question}}));
  auto msgs = messages(conv);
  EXPECT_EQ(msgs.back()["metadata"]["context"]["cut"], 3);
  EXPECT_EQ(msgs.back()["metadata"]["context"]["contextWindow"], 100);

  // A message that cannot fit at all is refused before anything is stored.
  auto count = client.get("/api/conversations/" + conv, *user_).json()["messageCount"];
  auto big = send({{"conversationId", conv}, {"message", std::string(1000, 'x')}, {"model", "mockc/inspect-small"}});
  EXPECT_EQ(big.status, 422) << big.body;
  EXPECT_EQ(client.get("/api/conversations/" + conv, *user_).json()["messageCount"], count);
}

TEST_F(Chat, RoutingFailuresStoreNothingUpstreamFailuresKeepTheQuestion) {
  auto before = sql("SELECT count(*) FROM conversations");
  auto unknown = send({{"message", "hello"}, {"model", "nobody/nothing"}});
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_NE(unknown.json()["error"]["message"].get<std::string>().find("nobody/nothing"), std::string::npos);
  EXPECT_EQ(sql("SELECT count(*) FROM conversations"), before);

  auto failing = send({{"message", "will the upstream answer?"}, {"model", "mockc/fail-503-chat"}});
  EXPECT_EQ(failing.status, 502) << failing.body;
  // The user's message stays (the client may retry); no assistant message was made up.
  auto n = sql("SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id "
               "WHERE m.content = 'will the upstream answer?' AND m.role = 'user'");
  EXPECT_EQ(n, "1");
}

TEST_F(Chat, ContextCacheIsUsedRebuiltAfterAFlushAndNeverStale) {
  std::string conv = history(2, "cache");
  std::string key = "chat:context:" + conv;
  auto ttl = std::stoll(redis({"TTL", key}));
  EXPECT_GT(ttl, 1700);
  EXPECT_LE(ttl, 1800);
  json full = json::array();
  for (int i = 0; i < 2; ++i)
    for (const char* role : {"user", "assistant"}) full.push_back({{"role", role}, {"content", text_of("cache " + std::to_string(i))}});

  // After a flush the context is rebuilt from PostgreSQL: the whole history is still there.
  redis({"FLUSHDB"});
  auto r = send({{"conversationId", conv}, {"message", "after flush"}, {"model", "mockc/inspect"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json expected = full;
  expected.push_back({{"role", "user"}, {"content", "after flush"}});
  EXPECT_EQ(transcript(r), expected);
  EXPECT_EQ(redis({"EXISTS", key}), "1");

  // The cache is what is read: an entry at the conversation's current version is believed …
  auto version = sql("SELECT context_version FROM conversations WHERE id = '" + conv + "'");
  json forged = {{"v", std::stoll(version)}, {"complete", true}, {"messages", {{{"s", 1}, {"r", "user"}, {"c", "FORGED"}}}}};
  redis({"SET", key, forged.dump()});
  auto hit = send({{"conversationId", conv}, {"message", "q1"}, {"model", "mockc/inspect"}});
  EXPECT_EQ(transcript(hit)[0]["content"], "FORGED");
  // … and one of an older version (what a slow writer on another instance could leave) is not.
  forged["v"] = std::stoll(version);  // the conversation moved on by two messages since
  redis({"SET", key, forged.dump()});
  auto stale = send({{"conversationId", conv}, {"message", "q2"}, {"model", "mockc/inspect"}});
  EXPECT_EQ(transcript(stale)[0]["content"], text_of("cache 0"));
}

TEST_F(Chat, DeletedAndEditedMessagesLeaveTheContextAtOnce) {
  std::string conv = history(2, "edit");
  auto msgs = messages(conv);
  ASSERT_EQ(msgs.size(), 4u);
  // Delete the first answer, edit the second question.
  EXPECT_EQ(client.request("DELETE", "/api/conversations/" + conv + "/messages/" + msgs[1]["id"].get<std::string>(), "",
                           *user_)
                .status,
            204);
  auto edited = client.request("PATCH", "/api/conversations/" + conv + "/messages/" + msgs[2]["id"].get<std::string>(),
                               json{{"content", "edited question"}}.dump(), *user_);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_TRUE(edited.json()["metadata"].contains("editedAt"));
  // Answers are the model's: not editable.
  EXPECT_EQ(client.request("PATCH", "/api/conversations/" + conv + "/messages/" + msgs[3]["id"].get<std::string>(),
                           json{{"content", "x"}}.dump(), *user_)
                .status,
            409);
  EXPECT_EQ(client.request("DELETE", "/api/conversations/" + conv + "/messages/" + msgs[1]["id"].get<std::string>(), "",
                           *user_)
                .status,
            404);
  auto r = send({{"conversationId", conv}, {"message", "what now"}, {"model", "mockc/inspect"}});
  ASSERT_EQ(r.status, 200);
  json expected = json::array({{{"role", "user"}, {"content", text_of("edit 0")}},
                               {{"role", "user"}, {"content", "edited question"}},
                               {{"role", "assistant"}, {"content", text_of("edit 1")}},
                               {{"role", "user"}, {"content", "what now"}}});
  EXPECT_EQ(transcript(r), expected);
  EXPECT_EQ(client.get("/api/conversations/" + conv, *user_).json()["messageCount"], 5);
}

TEST_F(Chat, MessagesPageWithCursorsOldestFirst) {
  std::string conv = history(5, "page");  // 10 messages
  auto first = client.get("/api/conversations/" + conv + "/messages?limit=4", *user_).json();
  ASSERT_EQ(first["data"].size(), 4u);
  EXPECT_EQ(first["data"][0]["content"], text_of("page 0"));
  EXPECT_EQ(first["meta"]["hasMore"], true);
  EXPECT_EQ(first["meta"]["total"], 10);
  auto next = client.get("/api/conversations/" + conv + "/messages?limit=4&after=" +
                             first["meta"]["nextAfter"].get<std::string>(),
                         *user_)
                  .json();
  EXPECT_EQ(next["data"][0]["content"], text_of("page 2"));
  auto tail = client.get("/api/conversations/" + conv + "/messages?limit=3&tail=true", *user_).json();
  ASSERT_EQ(tail["data"].size(), 3u);
  EXPECT_EQ(tail["data"][2]["content"], text_of("page 4"));  // the last answer, newest last
  EXPECT_EQ(tail["data"][2]["role"], "assistant");
  auto before = client.get("/api/conversations/" + conv + "/messages?limit=200&before=" +
                               tail["data"][0]["id"].get<std::string>(),
                           *user_)
                    .json();
  EXPECT_EQ(before["data"].size(), 7u);
  EXPECT_EQ(before["meta"]["hasMore"], false);
  EXPECT_EQ(client.get("/api/conversations/" + conv + "/messages?limit=201", *user_).status, 400);
  EXPECT_EQ(client.get("/api/conversations/" + conv + "/messages?after=00000000-0000-4000-8000-000000000000", *user_).status,
            400);
}

TEST_F(Chat, StreamedTurnSendsDeltasAndStoresTheAnswer) {
  std::string rid = unique_id("chatstream");
  Headers h = *user_;
  h.emplace_back("X-Request-Id", rid);
  const std::string question = "Stream me the answer word by word, please.";
  auto r = send({{"message", question}, {"model", "mockc/echo"}, {"stream", true}}, h);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("content-type").find("text/event-stream"), std::string::npos);
  EXPECT_EQ(r.header("x-netops-model"), "mockc/echo");
  auto events = sse_events(r.body);
  ASSERT_GE(events.size(), 4u) << r.body;
  EXPECT_EQ(events.front().first, "start");
  EXPECT_EQ(events.back().first, "[DONE]");
  std::string text;
  for (auto& [type, data] : events)
    if (type == "delta") text += json::parse(data).value("content", "");
  EXPECT_EQ(text, question);
  auto done = json::parse(events[events.size() - 2].second);
  EXPECT_EQ(done["type"], "done");
  EXPECT_EQ(done["message"], question);
  long long prompt = ceil4(question.size()) + 3, completion = ceil4(question.size());
  EXPECT_EQ(done["usage"]["promptTokens"], prompt);
  EXPECT_EQ(done["usage"]["completionTokens"], completion);
  EXPECT_EQ(done["usage"]["cost"], cost_text(prompt, completion));
  auto msgs = messages(done["conversationId"]);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[1]["content"], question);
  EXPECT_EQ(msgs[1]["cost"], cost_text(prompt, completion));
  EXPECT_EQ(env_->usage(rid)[0]["cost"], cost_text(prompt, completion));
}

TEST_F(Chat, StreamKeepsGoingWhenTheClientLeavesAndStoresTheWholeAnswer) {
  std::string rid = unique_id("chatgone");
  std::string body = json{{"message", "tell me a long story"}, {"model", "mockc/long-300"}, {"stream", true}}.dump();
  std::string partial;
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket sock(ioc);
    sock.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(env_->server->port())});
    boost::asio::write(sock, boost::asio::buffer("POST /api/chat/messages HTTP/1.1\r\nHost: x\r\n" + (*user_)[0].first +
                                                 ": " + (*user_)[0].second + "\r\nX-Request-Id: " + rid +
                                                 "\r\nContent-Type: application/json\r\nContent-Length: " +
                                                 std::to_string(body.size()) + "\r\n\r\n" + body));
    char buf[4096];
    while (partial.find("\"delta\"") == std::string::npos) partial.append(buf, sock.read_some(boost::asio::buffer(buf)));
  }  // hang up after the first words of a ~1 s stream
  std::smatch m;
  ASSERT_TRUE(std::regex_search(partial, m, std::regex(R"re("conversationId":"([0-9a-f-]{36})")re"))) << partial;
  std::string conv = m[1];
  json msgs;
  ASSERT_TRUE(eventually(
      [&] {
        msgs = messages(conv);
        return msgs.size() == 2u;
      },
      10000));
  std::string answer = msgs[1]["content"];
  EXPECT_EQ(std::count(answer.begin(), answer.end(), ' '), 299) << answer;  // all 300 words
  EXPECT_EQ(answer.rfind("lorem ipsum dolor", 0), 0u);
  EXPECT_FALSE(msgs[1]["metadata"].contains("incomplete"));
  EXPECT_EQ(msgs[1]["completionTokens"], ceil4(answer.size()));
  auto rows = env_->usage(rid);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["status"], "success");
  EXPECT_EQ(rows[0]["completion"], ceil4(answer.size()));
  EXPECT_EQ(rows[0]["cost"], msgs[1]["cost"]);
}

TEST_F(Chat, ToolCallsAndResultsAreStoredAndSentBack) {
  json tools = json::array({{{"type", "function"},
                             {"function",
                              {{"name", "lookup_asset"},
                               {"description", "Find an asset by its code"},
                               {"parameters",
                                {{"type", "object"},
                                 {"required", {"assetCode"}},
                                 {"properties", {{"assetCode", {{"type", "string"}}}}}}}}}}});
  for (const char* model : {"mockc/tools", "mockant/tools"}) {  // OpenAI as is, Anthropic translated both ways
    SCOPED_TRACE(model);
    auto r = send({{"message", "where is SW-0042?"}, {"model", model}, {"tools", tools}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto a = r.json();
    ASSERT_TRUE(a.contains("toolCalls")) << r.body;
    EXPECT_EQ(a["finishReason"], "tool_calls");
    auto call = a["toolCalls"][0];
    EXPECT_EQ(call["function"]["name"], "lookup_asset");
    EXPECT_EQ(json::parse(call["function"]["arguments"].get<std::string>()), (json{{"assetCode", "example"}}));
    std::string conv = a["conversationId"];
    std::string call_id = call["id"];

    auto wrong = send({{"conversationId", conv}, {"toolResults", {{{"toolCallId", "call_nope"}, {"content", "x"}}}},
                       {"model", model}, {"tools", tools}});
    EXPECT_EQ(wrong.status, 422) << wrong.body;
    auto answered = send({{"conversationId", conv},
                          {"toolResults", {{{"toolCallId", call_id}, {"content", {{"status", "in_use"}}}}}},
                          {"model", model},
                          {"tools", tools}});
    ASSERT_EQ(answered.status, 200) << answered.body;
    EXPECT_EQ(answered.json()["message"], "Tool result: {\"status\":\"in_use\"}");

    auto msgs = messages(conv);
    ASSERT_EQ(msgs.size(), 4u);
    EXPECT_EQ(msgs[1]["toolCalls"][0]["id"], call_id);
    EXPECT_EQ(msgs[2]["role"], "tool");
    EXPECT_EQ(msgs[2]["toolCallId"], call_id);
    EXPECT_EQ(msgs[2]["content"], "{\"status\":\"in_use\"}");
    EXPECT_EQ(msgs[3]["role"], "assistant");
  }
}

TEST_F(Chat, AToolCallLeftUnansweredDoesNotBreakTheConversation) {
  json tools = json::array({{{"type", "function"},
                             {"function", {{"name", "ping_host"}, {"parameters", {{"type", "object"}, {"required", {"host"}},
                                                                                    {"properties", {{"host", {{"type", "string"}}}}}}}}}}});
  auto r = send({{"message", "is core-sw-01 up?"}, {"model", "mockc/tools"}, {"tools", tools}});
  ASSERT_EQ(r.status, 200) << r.body;
  std::string conv = r.json()["conversationId"];
  std::string call = r.json()["toolCalls"][0]["id"];
  // The client moves on without answering: the unanswered call stays out of the prompt.
  auto next = send({{"conversationId", conv}, {"message", "never mind, what time is it?"}, {"model", "mockc/inspect"}});
  ASSERT_EQ(next.status, 200) << next.body;
  EXPECT_EQ(transcript(next), (json::array({{{"role", "user"}, {"content", "is core-sw-01 up?"}},
                                            {{"role", "user"}, {"content", "never mind, what time is it?"}}})));
  // Results for it now come too late.
  auto late = send({{"conversationId", conv}, {"toolResults", {{{"toolCallId", call}, {"content", "up"}}}}});
  EXPECT_EQ(late.status, 422) << late.body;
  EXPECT_EQ(late.json()["error"]["details"]["openToolCalls"], json::array());
}

TEST_F(Chat, StatisticsAddUpToTheStoredMessages) {
  Headers stats_user = make_user();
  std::string uid = user_id(stats_user);
  std::string c1, c2;
  for (int i = 0; i < 3; ++i) {
    json b = {{"message", "stats question " + std::to_string(i)}, {"model", "mockc/echo"}};
    if (!c1.empty()) b["conversationId"] = c1;
    auto r = send(b, stats_user);
    ASSERT_EQ(r.status, 200);
    c1 = r.json()["conversationId"];
  }
  auto r2 = send({{"message", "another conversation, streamed"}, {"model", "mockc/echo"}, {"stream", true}}, stats_user);
  ASSERT_EQ(r2.status, 200);
  c2 = json::parse(sse_events(r2.body).front().second)["conversationId"];
  ASSERT_EQ(send({{"message", "tools please"}, {"model", "mockc/tools"}}, stats_user).status, 200);

  std::string msg_sums = sql("SELECT json_build_object('prompt', sum(m.prompt_tokens), 'completion', "
                             "sum(m.completion_tokens), 'cost', sum(m.cost)::numeric(14,6)::text, 'n', count(*))"
                             " FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.user_id = '" +
                             uid + "'");
  auto expect = json::parse(msg_sums);
  auto s = client.get("/api/stats/chat/user", stats_user);
  ASSERT_EQ(s.status, 200) << s.body;
  auto totals = s.json()["totals"];
  EXPECT_EQ(totals["messages"], expect["n"]);
  EXPECT_EQ(totals["messages"], 10);
  EXPECT_EQ(totals["assistantMessages"], 5);
  EXPECT_EQ(totals["conversations"], 3);
  EXPECT_EQ(totals["promptTokens"], expect["prompt"]);
  EXPECT_EQ(totals["completionTokens"], expect["completion"]);
  EXPECT_EQ(totals["cost"], expect["cost"]);

  // The accounting (usage_logs, written in batches) says the same.
  std::string usage_sum;
  ASSERT_TRUE(eventually([&] {
    usage_sum = sql("SELECT json_build_object('n', count(*), 'cost', sum(total_cost)::numeric(14,6)::text, 'prompt', "
                    "sum(prompt_tokens)) FROM usage_logs WHERE user_id = '" + uid + "'");
    return json::parse(usage_sum)["n"] == 5;
  }));
  EXPECT_EQ(json::parse(usage_sum)["cost"], expect["cost"]);
  EXPECT_EQ(json::parse(usage_sum)["prompt"], expect["prompt"]);

  // By model, daily, per conversation.
  auto by_model = s.json()["byModel"];
  ASSERT_EQ(by_model.size(), 2u);
  long long assistant = 0;
  for (auto& m : by_model) assistant += m["assistantMessages"].get<long long>();
  EXPECT_EQ(assistant, 5);
  auto daily = client.get("/api/stats/chat/daily?days=7", stats_user).json()["data"];
  ASSERT_EQ(daily.size(), 7u);
  EXPECT_EQ(daily[6]["messages"], 10);
  EXPECT_EQ(daily[6]["cost"], expect["cost"]);
  EXPECT_EQ(daily[0]["messages"], 0);
  auto conv = client.get("/api/stats/chat/conversations/" + c1, stats_user);
  ASSERT_EQ(conv.status, 200) << conv.body;
  EXPECT_EQ(conv.json()["messages"], 6);
  EXPECT_EQ(conv.json()["cost"], conv.json()["upstreamCalls"]["answers"]["cost"]);
  EXPECT_EQ(conv.json()["upstreamCalls"]["answers"]["calls"], 3);

  // user_token_stats: distinct conversations of the day per model (2 on echo, 1 on tools).
  ASSERT_TRUE(eventually([&] {
    auto g = client.get("/api/stats/chat/user", stats_user).json()["gatewayUsage"];
    long long echo = -1;
    for (auto& row : g)
      if (row["model"] == "mockc/echo") echo = row["conversations"];
    return echo == 2;
  }));
  EXPECT_EQ(sql("SELECT sum(conversation_count) FROM user_token_stats WHERE user_id = '" + uid + "'"), "3");

  // Admins may read anyone's statistics; users only their own.
  auto as_admin = client.get("/api/stats/chat/user?userId=" + uid, env_->admin());
  ASSERT_EQ(as_admin.status, 200);
  EXPECT_EQ(as_admin.json()["totals"], totals);
  EXPECT_EQ(client.get("/api/stats/chat/user?userId=" + uid, *other_).status, 403);
  EXPECT_EQ(client.get("/api/stats/chat/conversations/" + c2, env_->admin()).status, 200);
  EXPECT_EQ(client.get("/api/stats/chat/user?startDate=2026-13-01", stats_user).status, 400);
  EXPECT_EQ(client.get("/api/stats/chat/user?startDate=2026-12-10&endDate=2026-12-01", stats_user).status, 400);
  auto past = client.get("/api/stats/chat/user?startDate=2020-01-01&endDate=2020-01-31", stats_user).json();
  EXPECT_EQ(past["totals"]["messages"], 0);
  EXPECT_EQ(past["totals"]["cost"], "0.000000");
}

TEST_F(Chat, DeletingAUserDeletesTheirConversations) {
  Headers gone = make_user();
  std::string uid = user_id(gone);
  auto r = send({{"message", "remember me?"}, {"model", "mockc/echo"}}, gone);
  ASSERT_EQ(r.status, 200);
  std::string conv = r.json()["conversationId"];
  EXPECT_EQ(client.request("DELETE", "/api/admin/users/" + uid, "", env_->admin()).status, 204);
  EXPECT_EQ(sql("SELECT count(*) FROM conversations WHERE id = '" + conv + "'"), "0");
  EXPECT_EQ(sql("SELECT count(*) FROM messages WHERE conversation_id = '" + conv + "'"), "0");
}

TEST_F(Chat, RoutesAreDocumented) {
  auto doc = client.get("/docs/json").json();
  for (const char* p : {"/api/conversations", "/api/conversations/{id}", "/api/conversations/{id}/messages",
                        "/api/conversations/{id}/messages/{messageId}", "/api/chat/messages", "/api/stats/chat/user",
                        "/api/stats/chat/daily", "/api/stats/chat/conversations/{id}"})
    EXPECT_TRUE(doc["paths"].contains(p)) << p;
}

// Summaries need their own server: the suite above keeps them off so its contexts stay exact.
TEST(ChatSummary, OlderHistoryIsSummarisedAndStandsInForWhatIsCut) {
  GatewayEnv e;
  e.start("chatsum", {{"NETOPS_ACCOUNTING_FLUSH_MS", "50"}, {"NETOPS_CHAT_SUMMARY_TOKENS", "40"}});
  e.provider("mocks", e.mock_url() + "/v1", "bearer");
  e.model("mocks/echo", "mocks", 0, {{"priority", 1}});
  e.model("mocks/inspect-mid", "mocks", 0, {{"priority", 500}, {"contextWindow", 110}});
  HttpClient c(e.server->port());
  std::string conv;
  // Three exchanges of 9-token messages: 54 unsummarised tokens > 40 → the oldest four are summarised,
  // the newest two (18 ≤ 20 tokens) stay out of it.
  for (int i = 0; i < 3; ++i) {
    json b = {{"message", text_of("sum " + std::to_string(i))}, {"model", "mocks/echo"}};
    if (!conv.empty()) b["conversationId"] = conv;
    auto r = c.post("/api/chat/messages", b, e.admin());
    ASSERT_EQ(r.status, 200) << r.body;
    conv = r.json()["conversationId"];
  }
  json meta;
  ASSERT_TRUE(eventually([&] {
    meta = c.get("/api/conversations/" + conv, e.admin()).json()["metadata"];
    return meta.contains("summary");
  }));
  std::string summary = meta["summary"];
  EXPECT_NE(summary.find(text_of("sum 0")), std::string::npos);  // echo "summarises" by repeating its input
  EXPECT_EQ(summary.find(text_of("sum 2")), std::string::npos);
  EXPECT_EQ(meta["summaryModel"], "mocks/echo");  // tier:0
  auto seq = e.sql("SELECT seq FROM messages WHERE conversation_id = '" + conv + "' AND role = 'assistant' AND content = '" +
                   text_of("sum 1") + "'");
  EXPECT_EQ(std::to_string(meta["summaryThroughSeq"].get<long long>()), seq);
  // The summary call is accounted to the user and the conversation.
  ASSERT_TRUE(eventually([&] {
    return e.sql("SELECT count(*) FROM usage_logs WHERE conversation_id = '" + conv + "' AND request_id LIKE '%:summary'") == "1";
  }));

  // A 110-token window (83 for the prompt) cannot hold the 7 messages (84): the summary stands in for
  // what is cut, followed by as much recent history as fits.
  auto r = c.post("/api/chat/messages", {{"conversationId", conv}, {"message", text_of("sum 3")}, {"model", "mocks/inspect-mid"}},
                  e.admin());
  ASSERT_EQ(r.status, 200) << r.body;
  auto t = transcript(r);
  ASSERT_GE(t.size(), 2u);
  EXPECT_EQ(t[0]["role"], "system");
  EXPECT_EQ(t[0]["content"], "Summary of the earlier part of this conversation:\n" + summary);
  EXPECT_EQ(t.back(), (json{{"role", "user"}, {"content", text_of("sum 3")}}));
  EXPECT_LT(t.size(), 8u);
}
