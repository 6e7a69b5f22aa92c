// HTTP shape of GET /api/usage/logs.
#include "core/error.hpp"
#include "http/listing.hpp"
#include "modules/ai_registry/schemas.hpp"
#include "modules/ai_registry/usage_service.hpp"

namespace netops::ai_registry {

using http::Request;
using http::Response;
using http::Role;

namespace {
// Newest first, no other order.
const http::ListSpec kList{
    .filters = {{"userId", "string", ""},
                {"modelId", "string", ""},
                {"provider", "string", ""},
                {"status", "string", "success | error"},
                {"from", "string", "ISO 8601 date/time, inclusive"},
                {"to", "string", "ISO 8601 date/time, exclusive"}},
    .sorts = {},
    .default_sort = "",
    .default_descending = true,
    .default_page_size = 50,
};
}  // namespace

void register_usage_routes(AppContext& ctx, std::shared_ptr<UsageService> svc) {
  ctx.router
      .get("/api/usage/logs", Role::admin,
           [svc](Request& req) -> Task<Response> {
             UsageFilter f{req.query("userId"), req.query("modelId"), req.query("provider"),
                           req.query("status"), req.query("from"),    req.query("to")};
             if (f.status && *f.status != "success" && *f.status != "error")
               throw ValidationError("status", "must be success or error");
             auto p = http::paging(req, kList.default_page_size);
             auto page = co_await svc->list(f, p);
             co_return http::page(page, [](const UsageLog& u) { return to_json(u); });
           })
      .summary("Usage log of completion calls, newest first (filters userId, modelId, provider, status, from, to)")
      .tag("usage")
      .list(kList)
      .response(schema::page_of(schema::usage_log()));
}

}  // namespace netops::ai_registry
