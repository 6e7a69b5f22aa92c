// HTTP shape of MCP: POST /mcp (one JSON-RPC message), DELETE /mcp (end the session). GET has no route, so
// the router answers 405 (this server sends no server-initiated messages).
#include "core/error.hpp"
#include "core/json.hpp"
#include "modules/mcp/module.hpp"

namespace netops::mcp {

using http::Request;
using http::Response;
using http::Role;
using nlohmann::json;

namespace {

Response to_response(Reply r) {
  Response out = r.body.is_null() ? (r.status == 204 ? Response::no_content() : Response::text("", "text/plain", r.status))
                                  : Response::json(r.body, r.status);
  for (auto& [k, v] : r.headers) out.header(k, v);
  return out;
}

std::optional<std::string> header(const Request& req, std::string_view name) {
  auto h = req.header(name);
  if (!h) return std::nullopt;
  return std::string(*h);
}

// 403 for a foreign Origin (DNS rebinding), before anything else is looked at.
std::optional<Response> refuse_origin(const Request& req, const McpService& svc) {
  auto origin = header(req, "origin");
  const auto& allowed = svc.settings().mcp_allowed_origins;
  // The server's own origin (a client may send the URL it was given) — as seen directly or through a proxy.
  if (!origin || origin_allowed(*origin, header(req, "host"), allowed) ||
      origin_allowed(*origin, header(req, "x-forwarded-host"), allowed))
    return std::nullopt;
  return Response::json(rpc_error(nullptr, -32600, "origin not allowed: " + origin->substr(0, 200)), 403);
}

}  // namespace

Module<McpService> register_module(AppContext& ctx, std::shared_ptr<tools::Registry> registry) {
  auto svc = std::make_shared<McpService>(ctx, std::move(registry));

  ctx.router
      .post("/mcp", Role::user,
            [svc](Request& req) -> Task<Response> {
              if (auto refused = refuse_origin(req, *svc)) co_return std::move(*refused);
              json msg = parse_json(req.body);
              if (msg.is_discarded())
                co_return Response::json(rpc_error(nullptr, -32700, "parse error: the body is not JSON"), 400);
              if (msg.is_array())
                co_return Response::json(rpc_error(nullptr, -32600, "JSON-RPC batches are not supported"), 400);
              if (string_member(msg, "jsonrpc") != "2.0")
                co_return Response::json(rpc_error(nullptr, -32600, "not a JSON-RPC 2.0 message"), 400);
              Caller by = req.caller();
              auto sid = header(req, "mcp-session-id");
              auto version = header(req, "mcp-protocol-version");
              auto reply = co_await svc->post(msg, sid, version, by);
              co_return to_response(std::move(reply));
            })
      .summary("MCP (Model Context Protocol, Streamable HTTP, 2025-11-25 / 2025-06-18 / 2025-03-26): one JSON-RPC "
               "message — initialize (answers Mcp-Session-Id), notifications/initialized, ping, tools/list, "
               "tools/call. Requests answer application/json, notifications and responses 202. Then Mcp-Session-Id "
               "is required (missing 400, unknown/expired 404). Foreign Origin 403. GET answers 405")
      .tag("mcp")
      .body_limit(1u << 20)
      .request({{"type", "object"},
                {"required", {"jsonrpc"}},
                {"properties",
                 {{"jsonrpc", {{"type", "string"}, {"enum", {"2.0"}}}},
                  {"id", {{"type", {"string", "integer"}}}},
                  {"method", {{"type", "string"}}},
                  {"params", {{"type", "object"}}}}}})
      .response({{"type", "object"}, {"description", "the JSON-RPC response"}});

  ctx.router
      .del("/mcp", Role::user,
           [svc](Request& req) -> Task<Response> {
             if (auto refused = refuse_origin(req, *svc)) co_return std::move(*refused);
             Caller by = req.caller();
             auto sid = header(req, "mcp-session-id");
             auto reply = co_await svc->end(sid, by);
             co_return to_response(std::move(reply));
           })
      .summary("End an MCP session (header Mcp-Session-Id): 204; missing header 400; unknown session 404")
      .tag("mcp")
      .response(nullptr, 204);

  return {svc, {}};
}

}  // namespace netops::mcp
