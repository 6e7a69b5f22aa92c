#pragma once
// One tool the model (chat), an MCP client or a script (REST) may run. A tool is a thin adapter: its
// arguments (already validated against input_schema) become the typed input of a module's service, called
// with the caller's Caller — the same service, roles, rules and audit as the module's REST route.
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "core/caller.hpp"
#include "core/task.hpp"

namespace netops::tools {

struct Tool {
  std::string name;         // ^[a-z][a-z0-9_]{0,63}$ — what the model calls
  std::string title;        // short, for people (MCP "title")
  std::string description;  // written for a model: what it answers, when to use it, what the arguments mean
  nlohmann::json input_schema;                   // JSON Schema (schema.hpp subset), type object
  nlohmann::json output_schema;                  // null, or the schema of the object it returns
  Role min_role = Role::user;                    // as the REST route the tool stands for
  bool read_only = true;                         // false: it changes data (MCP destructiveHint, REST docs)
  std::chrono::milliseconds timeout{0};          // 0: the registry's default (NETOPS_TOOLS_TIMEOUT_MS)
  // Runs the tool: returns a JSON object, or throws AppError (NotFound, Forbidden, ValidationError, …),
  // which becomes the tool error the model sees.
  std::function<Task<nlohmann::json>(const nlohmann::json& args, const Caller& by)> run;
};

}  // namespace netops::tools
