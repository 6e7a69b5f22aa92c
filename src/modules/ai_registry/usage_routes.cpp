// HTTP shape of GET /api/usage/logs and GET /api/usage/daily.
#include <chrono>

#include "core/dates.hpp"
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
                {"to", "string", "ISO 8601 date/time, exclusive"},
                {"requestId", "string",
                 "exact x-request-id of the call (indexed: any age)"},
                {"after", "string",
                 "keyset cursor: meta.nextCursor of the previous page; the next page of the same filters, "
                 "bounded work however deep (page is then ignored)"}},
    .sorts = {},
    .default_sort = "",
    .default_descending = true,
    .default_page_size = 50,
};
// ?page= beyond this many rows is refused: an OFFSET reads every row it skips; deep pages use ?after=.
constexpr long long kMaxOffset = 100'000;

nlohmann::json page_schema() {
  auto s = schema::page_of(schema::usage_log());
  auto& meta = s["properties"]["meta"]["properties"];
  meta["totalExact"] = {{"type", "boolean"},
                        {"description", "false: more than 10,000 matches, total is that lower bound"}};
  meta["nextCursor"] = {{"type", "string"},
                        {"nullable", true},
                        {"description", "pass as ?after= for the next page; null on the last page"}};
  return s;
}

nlohmann::json daily_schema() {
  auto str = [](const char* d = "") {
    nlohmann::json j = {{"type", "string"}};
    if (*d) j["description"] = d;
    return j;
  };
  nlohmann::json integer = {{"type", "integer"}};
  nlohmann::json row = {
      {"type", "object"},
      {"properties",
       {{"date", str("UTC day, YYYY-MM-DD")},
        {"key", {{"type", "string"}, {"nullable", true}, {"description", "model id or provider (groupBy only)"}}},
        {"requests", integer},
        {"successes", integer},
        {"errors", integer},
        {"tokens", integer},
        {"promptTokens", integer},
        {"completionTokens", integer},
        {"cost", str("exact decimal sum of total_cost, 6 places")}}}};
  return {{"type", "object"},
          {"properties",
           {{"days", integer},
            {"groupBy", {{"type", "string"}, {"nullable", true}}},
            {"since", str("first day of the window, YYYY-MM-DD")},
            {"data", {{"type", "array"}, {"items", row}}}}}};
}
}  // namespace

void register_usage_routes(AppContext& ctx, std::shared_ptr<UsageService> svc) {
  ctx.router
      .get("/api/usage/logs", Role::admin,
           [svc](Request& req) -> Task<Response> {
             UsageFilter f{req.query("userId"), req.query("modelId"), req.query("provider"),
                           req.query("status"), req.query("from"),    req.query("to"),
                           req.query("requestId")};
             if (f.request_id && (f.request_id->empty() || f.request_id->size() > 100))
               throw ValidationError("requestId", "must be 1-100 characters");
             if (f.status && *f.status != "success" && *f.status != "error")
               throw ValidationError("status", "must be success or error");
             std::optional<UsageCursor> after;
             if (auto a = req.query("after")) {
               after = UsageCursor::parse(*a);
               if (!after) throw ValidationError("after", "must be a meta.nextCursor of this list");
             }
             auto p = http::paging(req, kList.default_page_size);
             if (!after && p.offset() > kMaxOffset)
               throw ValidationError("page", "pages beyond 100,000 rows are read with ?after=<meta.nextCursor>");
             auto result = co_await svc->list(f, p, after);
             nlohmann::json data = nlohmann::json::array();
             for (const auto& u : result.page.items) data.push_back(to_json(u));
             nlohmann::json meta = {{"page", result.page.page},
                                    {"pageSize", result.page.page_size},
                                    {"total", result.page.total},
                                    {"totalExact", result.page.total_exact.value_or(true)},
                                    {"nextCursor", result.next ? nlohmann::json(result.next->text()) : nlohmann::json()}};
             co_return Response::json({{"data", std::move(data)}, {"meta", std::move(meta)}});
           })
      .summary("Usage log of completion calls, newest first (filters userId, modelId, provider, status, from, to, "
               "requestId; keyset paging with ?after=<meta.nextCursor>)")
      .tag("usage")
      .list(kList)
      .response(page_schema());

  ctx.router
      .get("/api/usage/daily", Role::admin,
           [svc](Request& req) -> Task<Response> {
             auto days = static_cast<int>(req.query_int("days", 30, 1, 366));
             std::string group_by = req.query("groupBy").value_or("");
             if (!group_by.empty() && group_by != "model" && group_by != "provider")
               throw ValidationError("groupBy", "must be model or provider");
             co_return Response::json(to_json(co_await svc->daily(days, group_by)));
           })
      .summary("All users' tokens and cost per UTC day over the last `days` days (today included), from the "
               "daily roll-up usage_model_daily (never the raw log). Without groupBy one row per day, days "
               "without calls as zeros; with groupBy=model|provider one row per day and key that had calls "
               "(provider: the model's current provider, null key when the model was deleted)")
      .tag("usage")
      .query("days", "integer", "1–366, default 30")
      .query("groupBy", "string", "model | provider (absent: one total per day)")
      .response(daily_schema());
}

}  // namespace netops::ai_registry
