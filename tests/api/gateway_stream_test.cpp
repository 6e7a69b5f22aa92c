// Streamed completions through the gateway: byte-exact OpenAI passthrough, Anthropic translation, failover
// before the first byte, usage accounting, and client disconnects that cancel the upstream.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <regex>

#include "gateway_fixture.hpp"

using namespace gwtest;

namespace {

// Ids and timestamps differ between two calls; everything else must not.
std::string normalise(std::string s) {
  s = std::regex_replace(s, std::regex(R"("id":"chatcmpl-[A-Za-z0-9]+")"), R"("id":"X")");
  return std::regex_replace(s, std::regex(R"("created":[0-9]+)"), R"("created":0)");
}

struct Assembled {
  std::string content, finish, arguments, tool_name;
  json usage;
  bool done = false;
};

Assembled assemble(const std::string& body) {
  Assembled a;
  for (auto& e : parse_sse(body)) {
    if (e.data == "[DONE]") {
      a.done = true;
      continue;
    }
    auto j = json::parse(e.data);
    if (j.contains("usage") && j["usage"].is_object()) a.usage = j["usage"];
    for (auto& c : j["choices"]) {
      auto& d = c["delta"];
      if (d.contains("content") && d["content"].is_string()) a.content += d["content"].get<std::string>();
      if (d.contains("tool_calls"))
        for (auto& t : d["tool_calls"]) {
          if (t["function"].contains("name")) a.tool_name = t["function"]["name"];
          if (t["function"].contains("arguments")) a.arguments += t["function"]["arguments"].get<std::string>();
        }
      if (c["finish_reason"].is_string()) a.finish = c["finish_reason"];
    }
  }
  return a;
}

}  // namespace

class GatewayStream : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new GatewayEnv();
    env_->start("gwstream", {{"NETOPS_UPSTREAM_RETRY_BASE_MS", "5"}, {"NETOPS_ACCOUNTING_FLUSH_MS", "50"}});
    auto& e = *env_;
    e.provider("mocka", e.mock_url() + "/v1", "bearer");
    e.provider("mockant", e.mock_url(), "x-api-key");
    e.model("mocka/echo", "mocka", 0, {{"priority", 1}});
    for (const char* id : {"mocka/nousage", "mocka/tools", "mocka/long-2000", "mocka/fail-503-s", "mocka/hedge"})
      e.model(id, "mocka", 0, {{"priority", 500}});
    e.model("mockant/echo", "mockant", 1);
    e.model("mockant/tools", "mockant", 1);
    e.model("mocka/echo-t2", "mocka", 2);
    e.rule("s/failover", "fallback", {"mocka/fail-503-s", "mocka/echo"}, {{"maxRetries", 0}});
    e.rule("s/escalate", "escalation", {"mocka/hedge", "mocka/echo-t2"});
  }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }
  HttpResponse stream(json body, std::string& rid) {
    rid = unique_id("st");
    body["stream"] = true;
    Headers h = env_->admin();
    h.emplace_back("X-Request-Id", rid);
    return client.post("/v1/chat/completions", body, h);
  }
  static GatewayEnv* env_;
  HttpClient client{env_->server->port()};
};
GatewayEnv* GatewayStream::env_ = nullptr;

TEST_F(GatewayStream, OpenAiStreamIsPassedThroughByteForByte) {
  const std::string text = "Stream these words through the gateway untouched, please.";
  std::string rid;
  auto r = stream({{"model", "mocka/echo"}, {"messages", {user_msg(text)}}}, rid);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("content-type").find("text/event-stream"), std::string::npos);
  EXPECT_EQ(r.header("x-netops-model"), "mocka/echo");
  EXPECT_EQ(r.header("x-netops-provider"), "mocka");
  // What the mock sends for the request the gateway made (include_usage injected), minus the usage chunk.
  HttpClient direct(env_->mock->port());
  json up = {{"model", "echo"}, {"stream", true}, {"stream_options", {{"include_usage", true}}}, {"messages", {user_msg(text)}}};
  auto d = direct.post("/v1/chat/completions", up, {{"Authorization", "Bearer " + kKey}});
  ASSERT_EQ(d.status, 200);
  std::string expected;
  for (auto& e : parse_sse(d.body))
    if (e.data.find("\"choices\":[]") == std::string::npos) expected += "data: " + e.data + "\n\n";
  EXPECT_EQ(normalise(r.body), normalise(expected));
  auto a = assemble(r.body);
  EXPECT_EQ(a.content, text);
  EXPECT_TRUE(a.done);
  EXPECT_TRUE(a.usage.is_null());  // the injected usage chunk stays hidden
  // Accounting still has the exact counts from that hidden chunk.
  auto rows = env_->usage(rid);
  ASSERT_EQ(rows.size(), 1u);
  long long prompt = ceil4(text.size()) + 3, completion = ceil4(text.size());
  EXPECT_EQ(rows[0]["prompt"], prompt);
  EXPECT_EQ(rows[0]["completion"], completion);
  EXPECT_EQ(rows[0]["cost"], cost_text(prompt, completion));
  EXPECT_EQ(rows[0]["estimated"], false);
  EXPECT_EQ(rows[0]["status"], "success");
}

TEST_F(GatewayStream, ClientThatAsksForUsageGetsTheUsageChunk) {
  std::string rid;
  auto r = stream({{"model", "mocka/echo"}, {"stream_options", {{"include_usage", true}}}, {"messages", {user_msg("usage please")}}},
                  rid);
  ASSERT_EQ(r.status, 200);
  auto a = assemble(r.body);
  ASSERT_TRUE(a.usage.is_object()) << r.body;
  EXPECT_EQ(a.usage["completion_tokens"], ceil4(12));
}

TEST_F(GatewayStream, AnthropicStreamIsTranslatedAndAccounted) {
  const std::string text = "Translate this stream from Anthropic events.";
  std::string rid;
  auto r = stream({{"model", "mockant/echo"}, {"messages", {user_msg(text)}}}, rid);
  ASSERT_EQ(r.status, 200) << r.body;
  auto a = assemble(r.body);
  EXPECT_EQ(a.content, text);
  EXPECT_EQ(a.finish, "stop");
  EXPECT_TRUE(a.done);
  auto first = json::parse(parse_sse(r.body).front().data);
  EXPECT_EQ(first["object"], "chat.completion.chunk");
  EXPECT_EQ(first["model"], "mockant/echo");
  auto rows = env_->usage(rid);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["provider"], "mockant");
  EXPECT_EQ(rows[0]["prompt"], ceil4(text.size()) + 3);
  EXPECT_EQ(rows[0]["completion"], ceil4(text.size()));
  EXPECT_EQ(rows[0]["estimated"], false);
}

TEST_F(GatewayStream, ToolCallsStreamInBothFormats) {
  json tool = {{"type", "function"},
               {"function", {{"name", "lookup_asset"},
                             {"parameters", {{"type", "object"}, {"properties", {{"tag", {{"type", "string"}}}}}, {"required", {"tag"}}}}}}};
  for (const char* model : {"mocka/tools", "mockant/tools"}) {
    std::string rid;
    auto r = stream({{"model", model}, {"messages", {user_msg("find it")}}, {"tools", {tool}}}, rid);
    ASSERT_EQ(r.status, 200) << r.body;
    auto a = assemble(r.body);
    EXPECT_EQ(a.tool_name, "lookup_asset") << model;
    EXPECT_EQ(json::parse(a.arguments), (json{{"tag", "example"}})) << model;
    EXPECT_EQ(a.finish, "tool_calls") << model;
    auto rows = env_->usage(rid);
    EXPECT_GT(rows[0]["completion"].get<int>(), 0) << model;
  }
}

TEST_F(GatewayStream, FailsOverBeforeTheFirstByte) {
  std::string rid;
  auto r = stream({{"model", "s/failover"}, {"messages", {user_msg("fail over")}}}, rid);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-netops-model"), "mocka/echo");
  EXPECT_EQ(r.header("x-netops-attempts"), "2");
  EXPECT_EQ(assemble(r.body).content, "fail over");
  auto rows = env_->usage(rid, 2);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["error"], "http_503");
  EXPECT_EQ(rows[1]["status"], "success");
}

TEST_F(GatewayStream, EscalationStreamsQualityFirst) {
  std::string rid;
  auto r = stream({{"model", "s/escalate"}, {"messages", {user_msg("escalate?")}}}, rid);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("x-netops-model"), "mocka/echo-t2");
  EXPECT_EQ(r.header("x-netops-escalated"), "false");
}

TEST_F(GatewayStream, MissingStreamUsageIsEstimated) {
  std::string rid;
  auto r = stream({{"model", "mocka/nousage"}, {"messages", {user_msg("no usage here")}}}, rid);
  ASSERT_EQ(r.status, 200);
  auto rows = env_->usage(rid);
  EXPECT_EQ(rows[0]["estimated"], true);
  EXPECT_EQ(rows[0]["completion"], ceil4(13));
}

// The same for a stream: its end is accounted although a content part's type is an object.
TEST_F(GatewayStream, MissingStreamUsageIsEstimatedWhateverTheContentParts) {
  std::string rid;
  json content = json::array({{{"type", {{"url", "x"}}}}, {{"type", "text"}, {"text", "no usage here"}}});
  auto r = stream({{"model", "mocka/nousage"}, {"messages", {{{"role", "user"}, {"content", content}}}}}, rid);
  ASSERT_EQ(r.status, 200);
  auto rows = env_->usage(rid);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["estimated"], true);
}

TEST_F(GatewayStream, ClientDisconnectCancelsTheUpstreamAndStillAccounts) {
  HttpClient mock(env_->mock->port());
  long long before = mock.get("/stats").json()["disconnects"];
  std::string rid = unique_id("gone");
  std::string body = json{{"model", "mocka/long-2000"}, {"stream", true}, {"messages", {user_msg("go")}}}.dump();
  auto start = std::chrono::steady_clock::now();
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket sock(ioc);
    sock.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(env_->server->port())});
    boost::asio::write(sock, boost::asio::buffer("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                                 env_->admin_token + "\r\nX-Request-Id: " + rid +
                                                 "\r\nContent-Type: application/json\r\nContent-Length: " +
                                                 std::to_string(body.size()) + "\r\n\r\n" + body));
    std::string partial;
    char buf[4096];
    while (partial.find("ipsum") == std::string::npos) partial.append(buf, sock.read_some(boost::asio::buffer(buf)));
    EXPECT_NE(partial.find("200 OK"), std::string::npos);
  }  // hang up after the first words of a ~6 s stream
  EXPECT_TRUE(eventually([&] { return mock.get("/stats").json()["disconnects"].get<long long>() > before; }, 3000));
  auto rows = env_->usage(rid);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["status"], "error");
  EXPECT_EQ(rows[0]["error"], "client_disconnected");
  EXPECT_EQ(rows[0]["estimated"], true);  // the usage chunk never came
  EXPECT_GT(rows[0]["completion"].get<int>(), 0);
  EXPECT_LT(rows[0]["completion"].get<int>(), 2000);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

// SIGTERM: what the accounting queue holds is written before the process exits.
TEST(GatewayShutdown, QueuedUsageIsWrittenOnSigterm) {
  MockLlmProcess mock({"--require-key", kKey});
  std::string db = create_database("gwflush");
  ServerOptions o;
  o.suite = "gwflush";
  o.database_url = db;
  o.env["NETOPS_ACCOUNTING_FLUSH_MS"] = "60000";  // nothing is written before the shutdown
  ServerProcess server(o);
  server.start();
  HttpClient c(server.port());
  Headers h = login_admin(server).auth();
  ASSERT_EQ(c.post("/api/providers", {{"id", "m"}, {"name", "m"}, {"apiEndpoint", mock.url() + "/v1"}, {"authType", "bearer"}, {"apiKey", kKey}}, h).status, 201);
  ASSERT_EQ(c.post("/api/models", {{"id", "m/echo"}, {"provider", "m"}, {"tier", 0}}, h).status, 201);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(c.post("/v1/chat/completions", {{"model", "m/echo"}, {"messages", {user_msg("flush me")}}}, h).status, 200);
  ASSERT_EQ(c.post("/v1/chat/completions", {{"model", "m/echo"}, {"stream", true}, {"messages", {user_msg("and me")}}}, h).status, 200);
  EXPECT_EQ(exec_sql(db, "SELECT count(*) FROM usage_logs"), "0");
  EXPECT_EQ(server.stop(SIGTERM), 0);
  EXPECT_EQ(exec_sql(db, "SELECT count(*) FROM usage_logs"), "4");
  EXPECT_EQ(exec_sql(db, "SELECT sum(message_count) FROM user_token_stats"), "4");
  drop_database(db);
}
