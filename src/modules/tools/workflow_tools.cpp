// Workflow: submit_workflow_request, a write tool — the body parsing of POST /api/v1/workflows
// (workflow::parse_new_request: type, asset, departments and the payload the type needs, every problem at
// once) and WorkflowService::submit with the caller (Role::user, as the route): the REQUEST_SUBMITTED asset
// event and the audit row carry the request id, exactly as the REST call.
#include "modules/tools/builtin.hpp"

namespace netops::tools {

using nlohmann::json;

void add_workflow_tools(Registry& r, const ToolDeps& d) {
  auto workflows = d.workflows;
  r.add(Tool{
      .name = "submit_workflow_request",
      .title = "Submit a workflow request",
      .description =
          "Submit a request that an administrator approves and executes (four eyes): assign an asset (payload "
          "assigneeType user|department|location, assigneeId, assigneeName, note), return it (payload.note), "
          "move it (payload.locationId), send it to repair or dispose of it (payload.note). Nothing changes on "
          "the asset until the request is approved and executed. Same rules and role as POST /api/v1/workflows.",
      .input_schema = {{"type", "object"},
                       {"properties",
                        {{"requestType", {{"type", "string"}, {"enum", {"assign", "return", "move", "repair", "dispose"}}}},
                         {"assetId", uuid_schema("the asset's id (see find_assets)")},
                         {"fromDept", {{"type", "string"}, {"maxLength", 255}}},
                         {"toDept", {{"type", "string"}, {"maxLength", 255}}},
                         {"payload", {{"type", "object"}, {"description", "what the request type needs (see above)"}}}}},
                       {"required", {"requestType", "assetId"}},
                       {"additionalProperties", false}},
      .output_schema = {{"type", "object"}, {"properties", {{"request", {{"type", "object"}}}}}, {"required", {"request"}}},
      .min_role = Role::user,
      .read_only = false,
      .run = [workflows](const json& a, const Caller& by) -> Task<json> {
        auto in = workflow::parse_new_request(a);
        auto req = co_await workflows->submit(in, by);
        co_return json{{"request", workflow::to_json(req)}};
      },
  });
}

}  // namespace netops::tools
