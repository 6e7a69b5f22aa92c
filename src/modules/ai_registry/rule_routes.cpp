// HTTP shape of /api/orchestration: path/query/body → typed input, RuleService, typed result → JSON.
#include "core/error.hpp"
#include "core/etag.hpp"
#include "http/listing.hpp"
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

Response tagged(const Rule& r) {
  auto j = to_json(r);
  auto etag = etag_of(j);
  return Response::json(j).header("ETag", etag);
}
}  // namespace

void register_rule_routes(AppContext& ctx, std::shared_ptr<RuleService> svc) {
  ctx.router
      .get("/api/orchestration", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto q = http::list_query(req, kList);
             RuleFilter f{req.query("strategy"), req.query_bool("enabled")};
             auto page = co_await svc->list(f, q.page, q.sort);
             co_return http::page(page, [](const Rule& r) { return to_json(r); });
           })
      .summary("List orchestration rules, by priority (the order `auto` tries them; filters strategy, enabled)")
      .tag("orchestration")
      .list(kList)
      .response(schema::page_of(schema::rule()));

  ctx.router
      .get("/api/orchestration/{id}", Role::user,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");  // named: GCC 12 mishandles temporaries in co_await
             auto r = co_await svc->get(id);
             co_return tagged(r);
           })
      .summary("One orchestration rule with an ETag for If-Match")
      .tag("orchestration")
      .response(schema::rule());

  ctx.router
      .post("/api/orchestration", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto in = parse_rule(req.json(), true);  // named: GCC 12 mishandles temporaries in co_await
              auto by = req.caller();
              auto r = co_await svc->create(in, by);
              co_return Response::json(to_json(r), 201);
            })
      .summary("Create a rule (unknown models in modelSequence → 422; bad pattern or unknown condition → 400)")
      .tag("orchestration")
      .request(schema::rule_write(true))
      .response(schema::rule(), 201);

  auto update = [svc](Request& req) -> Task<Response> {
    auto id = req.path_uuid("id");  // named: GCC 12 mishandles temporaries in co_await
    auto in = parse_rule(req.json(), false);
    auto expected = req.if_match();
    auto by = req.caller();
    auto r = co_await svc->update(id, in, expected, by);
    co_return tagged(r);
  };
  ctx.router.patch("/api/orchestration/{id}", Role::admin, update)
      .summary("Update a rule (fields present are changed, then the whole rule is validated; If-Match honoured)")
      .tag("orchestration")
      .request(schema::rule_write(false))
      .response(schema::rule());
  ctx.router.put("/api/orchestration/{id}", Role::admin, update)
      .summary("Same as PATCH")
      .tag("orchestration")
      .request(schema::rule_write(false))
      .response(schema::rule());

  ctx.router
      .del("/api/orchestration/{id}", Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");  // named: GCC 12 mishandles temporaries in co_await
             auto expected = req.if_match();
             auto by = req.caller();
             co_await svc->remove(id, expected, by);
             co_return Response::no_content();
           })
      .summary("Delete a rule")
      .tag("orchestration")
      .response(nullptr, 204);
}

}  // namespace netops::ai_registry
