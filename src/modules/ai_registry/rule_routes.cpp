// HTTP shape of /api/orchestration: path/query/body → typed input, RuleService, typed result → JSON.
#include "core/error.hpp"
#include "http/crud.hpp"
#include "modules/ai_registry/rule_service.hpp"
#include "modules/ai_registry/schemas.hpp"

namespace netops::ai_registry {

using http::Request;
using http::Response;
using http::Role;

namespace {
const http::ListSpec kList{
    .filters = {{"strategy", "string", "fallback | load_balance | cost_optimize | quality_first | escalation"},
                {"enabled", "boolean", ""}},
    .sorts = {{"priority", "priority"}, {"name", "name"}, {"createdAt", "created_at"}, {"updatedAt", "updated_at"}},
    .default_sort = "priority",
    .default_descending = false,
    .default_page_size = 50,
};

}  // namespace

void register_rule_routes(AppContext& ctx, std::shared_ptr<RuleService> svc) {
  http::crud(ctx.router, svc,
             http::CrudSpec<RuleInput, RuleFilter>{
                 .base = "/api/orchestration",
                 .noun = "orchestration rule",
                 .tag = "orchestration",
                 .item_schema = schema::rule(),
                 .input_schema = schema::rule_write(true),
                 .list = kList,
                 .filter = [](const Request& req) { return RuleFilter{req.query("strategy"), req.query_bool("enabled")}; },
                 .parse = parse_rule,
                 .delete_summary = "",
                 .summaries = {.list = "List orchestration rules, by priority (the order `auto` tries them; filters "
                                       "strategy, enabled)",
                               .get = "",
                               .create = "Create a rule (unknown models in modelSequence → 422; bad pattern or "
                                         "unknown condition → 400)",
                               .update = "Update a rule (fields present are changed, then the whole rule is "
                                         "validated; If-Match honoured)"},
                 .list_schema = schema::page_of(schema::rule()),
                 .update_schema = schema::rule_write(false),
             });
}

}  // namespace netops::ai_registry
