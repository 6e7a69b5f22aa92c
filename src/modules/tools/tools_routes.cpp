// HTTP shape of the registry: the tools the caller may use, and running one directly.
#include "core/error.hpp"
#include "core/json.hpp"
#include "modules/tools/module.hpp"

namespace netops::tools {

using http::Request;
using http::Response;
using http::Role;
using nlohmann::json;

namespace {

const json kToolSchema = {
    {"type", "object"},
    {"properties",
     {{"name", {{"type", "string"}}},
      {"title", {{"type", "string"}}},
      {"description", {{"type", "string"}, {"description", "written for a model"}}},
      {"inputSchema", {{"type", "object"}, {"description", "JSON Schema of the arguments"}}},
      {"outputSchema", {{"type", "object"}, {"description", "JSON Schema of the result, when declared"}}},
      {"minRole", {{"type", "string"}, {"enum", {"user", "admin", "super_admin"}}}},
      {"readOnly", {{"type", "boolean"}}},
      {"timeoutMs", {{"type", "integer"}}}}}};

}  // namespace

Module<Registry> register_module(AppContext& ctx, const ToolDeps& deps) {
  auto registry = std::make_shared<Registry>(ctx, load_section(ctx.config, tools_section()), deps.audit);
  register_builtin_tools(*registry, deps);

  ctx.router
      .get("/api/tools", Role::user,
           [registry](Request& req) -> Task<Response> {
             const auto& by = req.actor_or_throw();
             json data = json::array();
             for (const auto* t : registry->visible(by)) data.push_back(registry->describe(*t));
             co_return Response::json({{"data", std::move(data)}});
           })
      .summary("The tools the caller may use (their role is at least the tool's minRole), with their schemas")
      .tag("tools")
      .scope("mcp")  // API keys with the mcp scope (a default) reach the same tools here as through /mcp
      .response({{"type", "object"}, {"properties", {{"data", {{"type", "array"}, {"items", kToolSchema}}}}}});

  ctx.router
      .post("/api/tools/{name}/invoke", Role::user,
            [registry](Request& req) -> Task<Response> {
              const auto& by = req.actor_or_throw();
              std::string name(req.path_param("name"));
              const Tool* t = registry->find(name);
              if (!t) throw NotFound("tool " + name.substr(0, 64));
              if (!registry->allowed(*t, by))
                throw Forbidden("the tool " + name + " requires the " + std::string(role_name(t->min_role)) + " role");
              json args = json::object();
              if (req.body.find_first_not_of(" \t\r\n") != std::string::npos) args = req.json();
              Caller caller = req.caller();
              std::string via = "rest";
              auto out = co_await registry->invoke(*t, args, caller, via);
              if (out.status == Outcome::Status::invalid_arguments) {
                Validation v;
                for (const auto& e : out.errors) v.add(e.path, e.message);
                v.throw_if_any("the arguments do not match the tool's input schema");
              }
              if (out.status == Outcome::Status::timed_out) throw AppError(ErrorCode::upstream_timeout, out.message);
              if (!out.ok()) throw AppError(out.error, out.message, out.details);
              co_return Response::json({{"tool", t->name}, {"result", std::move(out.result)}, {"durationMs", out.duration_ms}});
            })
      .summary("Run one tool with the body as its arguments (a JSON object): 400 with the schema errors, 403 when "
               "the role is below the tool's minRole, 404 unknown tool; the tool's own errors answer as its REST "
               "route would (404, 409, …), a timeout 504. Audited as tool.invoked")
      .tag("tools")
      .scope("mcp")
      .request({{"type", "object"}, {"description", "the tool's arguments (see its inputSchema)"}})
      .response({{"type", "object"},
                 {"properties",
                  {{"tool", {{"type", "string"}}}, {"result", {{"type", "object"}}}, {"durationMs", {{"type", "integer"}}}}}});

  return {registry, {}};
}

}  // namespace netops::tools
