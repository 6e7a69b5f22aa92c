#include "http/listing.hpp"
#include "modules/audit/module.hpp"

namespace netops::audit {

using http::Request;
using http::Response;
using http::Role;

namespace {
const http::ListSpec kList{
    .filters = {{"userId", "string", "actor user id"},
                {"action", "string", "e.g. auth.login, auth.login_failed, user.updated, apikey.created"},
                {"resource", "string", "e.g. user:<id>"},
                {"from", "string", "ISO 8601 date/time, inclusive"},
                {"to", "string", "ISO 8601 date/time, exclusive"}},
    .sorts = {},  // always newest first
    .default_sort = "",
    .default_descending = true,
    .default_page_size = 50,
};
}  // namespace

Module<AuditService> register_module(AppContext& ctx) {
  auto svc = std::make_shared<AuditService>(ctx.db);
  ctx.router
      .get("/api/admin/audit-logs", Role::admin,
           [svc](Request& req) -> Task<Response> {
             Filter f{req.query("userId"), req.query("action"), req.query("resource"), req.query("from"),
                      req.query("to")};
             auto window = http::paging(req);
             auto page = co_await svc->list(f, window);
             co_return http::page(page, [](const LogEntry& e) { return to_json(e); });
           })
      .summary("Audit log, newest first (filters: userId, action, resource, from, to as ISO dates)")
      .tag("admin")
      .list(kList);
  return {svc, {}};
}

}  // namespace netops::audit
