#include "modules/mcp/mcp_service.hpp"

#include <algorithm>

#include "core/ids.hpp"
#include "core/json.hpp"

namespace netops::mcp {

using nlohmann::json;

namespace {

std::string key_of(const std::string& id) { return "mcp:session:" + id; }

bool valid_session_id(const std::string& s) {
  if (s.empty() || s.size() > 128) return false;
  for (unsigned char c : s)
    if (c < 0x21 || c > 0x7E) return false;
  return true;
}

std::string credential_of(const Caller& by) {
  if (!by.api_key_id.empty()) return "key:" + by.api_key_id;
  if (!by.session_id.empty()) return "session:" + by.session_id;
  return "user:" + by.user_id;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool valid_id(const json& id) { return id.is_string() || id.is_number_integer(); }

json tool_json(const tools::Tool& t) {
  json j = {{"name", t.name},
            {"title", t.title},
            {"description", t.description},
            {"inputSchema", t.input_schema},
            {"annotations",
             {{"title", t.title},
              {"readOnlyHint", t.read_only},
              {"destructiveHint", !t.read_only},
              {"idempotentHint", t.read_only},
              {"openWorldHint", false}}}};
  if (!t.output_schema.is_null()) j["outputSchema"] = t.output_schema;
  return j;
}

Reply rpc(int status, json body) { return Reply{status, std::move(body), {}}; }

}  // namespace

const std::vector<std::string>& supported_versions() {
  static const std::vector<std::string> v = {"2025-11-25", "2025-06-18", "2025-03-26"};
  return v;
}

std::string negotiate(const std::string& requested) {
  const auto& v = supported_versions();
  return std::find(v.begin(), v.end(), requested) != v.end() ? requested : std::string(kLatestVersion);
}

bool origin_allowed(const std::string& origin_in, const std::optional<std::string>& host,
                    const std::vector<std::string>& allowed) {
  std::string origin = lower(origin_in);
  while (!origin.empty() && origin.back() == '/') origin.pop_back();
  for (const auto& a : allowed)
    if (lower(a) == origin) return true;
  std::string rest;
  if (origin.rfind("http://", 0) == 0) rest = origin.substr(7);
  else if (origin.rfind("https://", 0) == 0) rest = origin.substr(8);
  else return false;  // "null", file://, anything else
  if (rest.empty() || rest.find_first_of("/?#@") != std::string::npos) return false;
  // host[:port]; IPv6 in brackets
  std::string hostname = rest;
  if (hostname[0] == '[') {
    auto close = hostname.find(']');
    if (close == std::string::npos) return false;
    hostname = hostname.substr(0, close + 1);
  } else if (auto colon = hostname.find(':'); colon != std::string::npos) {
    hostname = hostname.substr(0, colon);
  }
  if (hostname == "localhost" || hostname == "127.0.0.1" || hostname == "[::1]") return true;
  if (host && lower(*host) == rest) return true;  // same origin as the server's own Host
  return false;
}

json rpc_error(const json& id, int code, const std::string& message, const json& data) {
  json e = {{"code", code}, {"message", message}};
  if (!data.is_null()) e["data"] = data;
  return {{"jsonrpc", "2.0"}, {"id", valid_id(id) ? id : json()}, {"error", std::move(e)}};
}

McpService::McpService(AppContext& ctx, std::shared_ptr<tools::Registry> registry)
    : ctx_(ctx), registry_(std::move(registry)) {}

Task<std::optional<Session>> McpService::load(const std::string& id, const Caller& by) {
  if (!valid_session_id(id)) co_return std::nullopt;
  std::string key = key_of(id);
  auto stored = co_await ctx_.redis.get(key);
  if (!stored) co_return std::nullopt;
  json j = parse_json(*stored);
  if (!j.is_object() || j.value("u", "") != by.user_id) co_return std::nullopt;  // someone else's: as unknown
  Session s{id, j.value("u", ""), j.value("c", ""), j.value("v", std::string(kLatestVersion))};
  // Idle expiry: every request renews the TTL.
  std::string value = *stored;
  co_await ctx_.redis.set(key, value, settings().mcp_session_ttl_s);
  co_return s;
}

Task<Reply> McpService::post(const json& msg, const std::optional<std::string>& session_id,
                             const std::optional<std::string>& protocol_header, const Caller& by) {
  json id = msg.contains("id") ? msg["id"] : json();
  if (msg.contains("id") && !valid_id(id))
    co_return rpc(400, rpc_error(nullptr, -32600, "id must be a string or an integer"));
  const bool has_method = msg.contains("method");
  if (has_method && !msg["method"].is_string())
    co_return rpc(400, rpc_error(id, -32600, "method must be a string"));
  const bool is_response = !has_method && (msg.contains("result") || msg.contains("error"));
  if (!has_method && !is_response) co_return rpc(400, rpc_error(id, -32600, "not a JSON-RPC request, notification or response"));
  const std::string method = has_method ? msg["method"].get<std::string>() : "";
  const bool is_request = has_method && msg.contains("id");
  json params = msg.contains("params") ? msg["params"] : json::object();
  if (!params.is_object()) co_return rpc(400, rpc_error(id, -32602, "params must be an object"));

  if (method == "initialize") {
    if (!is_request) co_return rpc(400, rpc_error(id, -32600, "initialize is a request: it needs an id"));
    std::string asked = params.contains("protocolVersion") && params["protocolVersion"].is_string()
                            ? params["protocolVersion"].get<std::string>()
                            : "";
    std::string version = negotiate(asked);
    std::string sid = random_token(24);
    json stored = {{"u", by.user_id}, {"c", credential_of(by)}, {"v", version}};
    if (params.contains("clientInfo") && params["clientInfo"].is_object())
      stored["client"] = std::string(string_member(params["clientInfo"], "name").substr(0, 100));
    std::string key = key_of(sid), value = stored.dump();
    co_await ctx_.redis.set(key, value, settings().mcp_session_ttl_s);
    json result = {
        {"protocolVersion", version},
        {"capabilities", {{"tools", {{"listChanged", false}}}}},
        {"serverInfo", {{"name", "netops-gateway"}, {"title", "NetOpsAI Gateway"}, {"version", "1.0.0"}}},
        {"instructions",
         "Tools over the NetOpsAI operations data (assets, locations, your AI usage). Results are live data; "
         "what you may see and do is what your API key's owner may do through the REST API."}};
    Reply r = rpc(200, {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
    r.headers.emplace_back("Mcp-Session-Id", sid);
    co_return r;
  }

  if (!session_id || session_id->empty())
    co_return rpc(400, rpc_error(id, -32600, "the Mcp-Session-Id header is required (initialize first)"));
  auto session = co_await load(*session_id, by);
  if (!session) co_return rpc(404, rpc_error(id, -32001, "session not found (unknown, expired or ended): initialize again"));
  if (protocol_header) {
    const auto& v = supported_versions();
    if (std::find(v.begin(), v.end(), *protocol_header) == v.end() || *protocol_header != session->version)
      co_return rpc(400, rpc_error(id, -32600, "unsupported MCP-Protocol-Version: this session uses " + session->version,
                                   {{"supported", v}, {"session", session->version}}));
  }
  if (!is_request) co_return Reply{202, nullptr, {}};  // notifications (initialized, cancelled, …) and responses

  if (method == "ping") co_return rpc(200, {{"jsonrpc", "2.0"}, {"id", id}, {"result", json::object()}});
  if (method == "tools/list") {
    json list = json::array();
    for (const auto* t : registry_->visible(by)) list.push_back(tool_json(*t));
    co_return rpc(200, {{"jsonrpc", "2.0"}, {"id", id}, {"result", {{"tools", std::move(list)}}}});
  }
  if (method == "tools/call") {
    auto body = co_await call_tool(id, params, by);
    co_return rpc(200, std::move(body));
  }
  co_return rpc(200, rpc_error(id, -32601, "method not found: " + method.substr(0, 100)));
}

Task<json> McpService::call_tool(const json& id, const json& params, const Caller& by) {
  if (!params.contains("name") || !params["name"].is_string())
    co_return rpc_error(id, -32602, "params.name must be the name of a tool");
  std::string name = params["name"].get<std::string>();
  const tools::Tool* t = registry_->find(name);
  if (!t || !registry_->allowed(*t, by)) co_return rpc_error(id, -32602, "unknown tool: " + name.substr(0, 64));
  json args = params.contains("arguments") ? params["arguments"] : json::object();
  if (args.is_null()) args = json::object();
  if (!args.is_object()) co_return rpc_error(id, -32602, "params.arguments must be an object");
  std::string via = "mcp";
  auto out = co_await registry_->invoke(*t, args, by, via);
  json result;
  if (out.ok()) {
    std::string text = out.result.dump(-1, ' ', false, json::error_handler_t::replace);
    result = {{"content", json::array({{{"type", "text"}, {"text", std::move(text)}}})},
              {"structuredContent", std::move(out.result)},
              {"isError", false}};
  } else {
    std::string text = out.message;
    if (out.status == tools::Outcome::Status::invalid_arguments) {
      text = "Invalid arguments for " + t->name + ":";
      for (const auto& e : out.errors) text += "\n- " + e.path + ": " + e.message;
    }
    result = {{"content", json::array({{{"type", "text"}, {"text", std::move(text)}}})}, {"isError", true}};
  }
  co_return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

Task<Reply> McpService::end(const std::optional<std::string>& session_id, const Caller& by) {
  if (!session_id || session_id->empty())
    co_return rpc(400, rpc_error(nullptr, -32600, "the Mcp-Session-Id header is required"));
  auto session = co_await load(*session_id, by);
  if (!session) co_return rpc(404, rpc_error(nullptr, -32001, "session not found"));
  std::vector<std::string> keys = {key_of(session->id)};
  co_await ctx_.redis.del(keys);
  co_return Reply{204, nullptr, {}};
}

}  // namespace netops::mcp
