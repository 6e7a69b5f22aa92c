// HTTP shape of reminders.
#include "http/crud.hpp"
#include "modules/reminders/module.hpp"
#include "modules/reminders/reminder_rules.hpp"

namespace netops::reminders {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const std::string kBase = "/api/v1/reminders";
json str() { return {{"type", "string"}}; }
json nullable_str() { return {{"type", "string"}, {"nullable", true}}; }
const json kReminder = {
    {"type", "object"},
    {"properties",
     {{"id", str()},
      {"type", {{"type", "string"}, {"enum", {"warranty_expiring", "maintenance_due"}}}},
      {"assetId", str()},
      {"assetCode", str()},
      {"dueDate", str()},
      {"dueAt", str()},
      {"status", {{"type", "string"}, {"enum", {"pending", "sent", "canceled", "failed"}}}},
      {"channel", {{"type", "string"}, {"enum", {"ui", "webhook"}}}},
      {"read", {{"type", "boolean"}}},
      {"readAt", nullable_str()},
      {"sentAt", nullable_str()},
      {"canceledAt", nullable_str()},
      {"attempts", {{"type", "integer"}}},
      {"lastError", nullable_str()},
      {"nextAttemptAt", nullable_str()},
      {"details", {{"type", "object"}}},
      {"createdAt", str()},
      {"updatedAt", str()},
      {"correlationId", nullable_str()}}}};
const json kRunResult = {
    {"type", "object"},
    {"properties",
     {{"created",
       {{"type", "object"},
        {"properties", {{"warrantyExpiring", {{"type", "integer"}}}, {"maintenanceDue", {{"type", "integer"}}}}}}},
      {"canceled", {{"type", "integer"}}},
      {"listed", {{"type", "integer"}}},
      {"generated", {{"type", "boolean"}}}}}};

const http::ListSpec kList{
    .filters = {{"status", "string", "pending | sent | canceled | failed"},
                {"type", "string", "warranty_expiring | maintenance_due"},
                {"assetId", "string", "asset UUID"},
                {"channel", "string", "ui | webhook"},
                {"unread", "boolean", "true: not read and not canceled (the ui channel's inbox); false: read"}},
    .sorts = {{"createdAt", "r.created_at"}, {"dueAt", "r.due_at"}},
    .default_sort = "createdAt",
    .default_descending = true,
    .default_page_size = 50,
};

ReminderFilter filter_of(const Request& req) {
  ReminderFilter f;
  Validation v;
  if (auto s = req.query("status"); s && !s->empty()) {
    if (!valid_reminder_status(*s)) v.add("status", "must be one of pending, sent, canceled, failed");
    else f.status = *s;
  }
  if (auto s = req.query("type"); s && !s->empty()) {
    if (!valid_reminder_type(*s)) v.add("type", "must be warranty_expiring or maintenance_due");
    else f.type = *s;
  }
  if (auto s = req.query("channel"); s && !s->empty()) {
    if (*s != "ui" && *s != "webhook") v.add("channel", "must be ui or webhook");
    else f.channel = *s;
  }
  v.throw_if_any();
  f.asset_id = req.query_uuid("assetId");
  f.unread = req.query_bool("unread");
  return f;
}
}  // namespace

Module<ReminderService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit,
                                        std::shared_ptr<assets::AssetService>, llm::HttpClient& http) {
  auto svc = std::make_shared<ReminderService>(ctx, std::move(audit), http);
  register_reminder_routes(ctx, svc);
  Module<ReminderService> m{svc, {}};
  m.background.run.push_back([svc]() -> Task<void> { co_await svc->run(); });
  m.background.drain.push_back([svc]() -> Task<void> { co_await svc->drain(); });
  return m;
}

void register_reminder_routes(AppContext& ctx, std::shared_ptr<ReminderService> svc) {
  http::crud(ctx.router, svc,
             http::CrudSpec<int, ReminderFilter>{
                 .base = kBase,
                 .noun = "reminder",
                 .tag = "reminders",
                 .item_schema = kReminder,
                 .list = kList,
                 .filter = filter_of,
                 .read_role = Role::admin,
                 .with_create = false,
                 .with_update = false,
                 .with_delete = false,
                 .summaries = {.list = "List reminders (filters status, type, assetId, channel, unread; sort "
                                       "createdAt|dueAt); ?unread=true is the ui channel's inbox",
                               .get = "One reminder with its delivery state (attempts, lastError, nextAttemptAt) "
                                      "and an ETag"}});

  ctx.router
      .post(kBase + "/run", Role::admin,
            [svc](Request& req) -> Task<Response> {
              auto by = req.caller();
              auto r = co_await svc->run_now(by);
              co_return Response::json(to_json(r));
            })
      .summary("Run the reminder job now: create warranty_expiring / maintenance_due reminders (never twice for "
               "one asset, type and due date), cancel those of disposed assets, list ui ones; webhook deliveries "
               "follow in the background")
      .tag("reminders")
      .response(kRunResult);

  using IfMatch = std::optional<std::string>;
  http::action(ctx.router, kBase + "/{id}/read", Role::admin, http::if_match_of,
               [svc](const std::string& id, const IfMatch& expected, const Caller& by) {
                 return svc->mark_read(id, expected, by);
               })
      .summary("Mark a reminder read (idempotent: the first readAt stays)")
      .tag("reminders")
      .response(kReminder);

  http::action(ctx.router, kBase + "/{id}/cancel", Role::admin, http::if_match_of,
               [svc](const std::string& id, const IfMatch& expected, const Caller& by) {
                 return svc->cancel(id, expected, by);
               })
      .summary("Cancel a pending or failed reminder, or a listed ui one not read yet (409 otherwise)")
      .tag("reminders")
      .response(kReminder);
}

}  // namespace netops::reminders
