#pragma once
// The tool registry: the one list of tools (builtin.cpp fills it at start-up, then it is read-only), who
// may use which (Tool::min_role), and the one way to run a tool — arguments validated against the schema,
// the role checked, a timeout, an audit row (tool.invoked, with the request id) whatever the outcome.
// REST (/api/tools), MCP (/mcp) and chat's tool loop all run tools through invoke().
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/caller.hpp"
#include "core/error.hpp"
#include "core/task.hpp"
#include "kit/context.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/tools/schema.hpp"
#include "modules/tools/tool.hpp"
#include "modules/tools/tools_settings.hpp"

namespace netops::tools {

// What running a tool gave.
struct Outcome {
  enum class Status { ok, invalid_arguments, failed, timed_out } status = Status::ok;
  nlohmann::json result;             // ok: the tool's object
  std::vector<SchemaError> errors;   // invalid_arguments
  std::string code, message;         // failed / timed_out: the error code (NOT_FOUND, …) and text
  ErrorCode error = ErrorCode::internal;  // failed: the service's error, as its REST route answers it
  nlohmann::json details = nlohmann::json::object();
  int duration_ms = 0;
  bool ok() const { return status == Status::ok; }
  // What a model is shown: the result, or {"error": {code, message, errors?}}.
  nlohmann::json for_model() const;
};

class Registry {
 public:
  Registry(AppContext& ctx, ToolsSettings settings, std::shared_ptr<audit::AuditService> audit);

  // Start-up only (builtin.cpp): throws std::logic_error on a duplicate or malformed tool.
  void add(Tool t);

  const Tool* find(const std::string& name) const;
  bool allowed(const Tool& t, const Caller& by) const { return by.at_least(t.min_role); }
  // The tools the caller may use, in registration order.
  std::vector<const Tool*> visible(const Caller& by) const;
  const ToolsSettings& settings() const { return settings_; }

  // Validates, runs with the tool's timeout and audits (action tool.invoked, resource tool:<name>, details:
  // via rest|mcp|chat, outcome, duration). The caller's role must already have been checked (allowed()).
  // Never throws for the tool's own failures: they are in the Outcome.
  Task<Outcome> invoke(const Tool& t, nlohmann::json args, const Caller& by, std::string via);

  // {name, title, description, inputSchema, outputSchema?, minRole, readOnly, timeoutMs}
  nlohmann::json describe(const Tool& t) const;
  // The OpenAI function definition offered to a model.
  static nlohmann::json function_definition(const Tool& t);

 private:
  AppContext& ctx_;
  ToolsSettings settings_;
  std::shared_ptr<audit::AuditService> audit_;
  std::vector<std::unique_ptr<Tool>> tools_;
};

}  // namespace netops::tools
