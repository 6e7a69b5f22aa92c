#include <memory>

#include "core/ids.hpp"
#include "modules/audit/module.hpp"
#include "modules/audit/service.hpp"

namespace netops::audit {

using http::Request;
using http::Response;
using http::Role;

void register_routes(AppContext& ctx) {
  auto svc = std::make_shared<AuditService>(ctx.db);
  ctx.router
      .get("/api/admin/audit-logs", Role::admin,
           [svc](Request& req) -> Task<Response> {
             Filter f;
             f.user_id = req.query("userId");
             f.action = req.query("action");
             f.resource = req.query("resource");
             f.from = req.query("from");
             f.to = req.query("to");
             auto p = http::paging(req);
             auto [rows, total] = co_await svc->list(f, p);
             co_return http::page(std::move(rows), p.page, p.page_size, total);
           })
      .summary("Audit log, newest first (filters: userId, action, resource, from, to as ISO dates)")
      .tag("admin")
      .query("userId", "string", "actor user id")
      .query("action", "string", "e.g. auth.login, auth.login_failed, user.updated, apikey.created")
      .query("resource", "string", "e.g. user:<id>")
      .query("from", "string", "ISO 8601 date/time, inclusive")
      .query("to", "string", "ISO 8601 date/time, exclusive")
      .query("page", "integer", "page number, from 1")
      .query("pageSize", "integer", "rows per page, at most 1000");
}

}  // namespace netops::audit
