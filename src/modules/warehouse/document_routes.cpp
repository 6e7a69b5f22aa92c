// HTTP shape of stock documents.
#include "http/crud.hpp"
#include "modules/ops_events/module.hpp"
#include "modules/warehouse/module.hpp"
#include "modules/warehouse/warehouse_body.hpp"

namespace netops::warehouse {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const json kStr = {{"type", "string"}};
const json kLine = {{"type", "object"},
                    {"properties",
                     {{"id", kStr}, {"partId", kStr}, {"partCode", kStr}, {"qty", {{"type", "integer"}}},
                      {"unitCost", {{"type", "number"}}}, {"serialNo", kStr}, {"note", kStr},
                      {"adjustDirection", {{"type", "string"}, {"enum", {"plus", "minus"}}}}}}};
const json kLineInput = {{"type", "object"},
                         {"required", {"partId", "qty"}},
                         {"properties",
                          {{"partId", kStr}, {"qty", {{"type", "integer"}, {"minimum", 1}}},
                           {"unitCost", {{"type", "number"}, {"minimum", 0}}}, {"serialNo", kStr}, {"note", kStr},
                           {"adjustDirection", {{"type", "string"}, {"enum", {"plus", "minus"}}}}}}};
const json kDocument = {
    {"type", "object"},
    {"properties",
     {{"id", kStr}, {"docType", {{"type", "string"}, {"enum", {"receipt", "issue", "adjust", "transfer"}}}},
      {"code", kStr}, {"status", {{"type", "string"}, {"enum", {"draft", "posted", "canceled"}}}},
      {"warehouseId", kStr}, {"targetWarehouseId", kStr}, {"docDate", kStr}, {"refType", kStr}, {"refId", kStr},
      {"note", kStr}, {"postedAt", kStr}, {"reversalOfId", kStr}, {"reversedById", kStr},
      {"lines", {{"type", "array"}, {"items", kLine}}}}}};
const json kDocumentInput = {{"type", "object"},
                             {"required", {"docType", "warehouseId"}},
                             {"properties",
                              {{"docType", {{"type", "string"}, {"enum", {"receipt", "issue", "adjust", "transfer"}}}},
                               {"code", kStr}, {"warehouseId", kStr}, {"targetWarehouseId", kStr}, {"docDate", kStr},
                               {"note", kStr}, {"refType", kStr}, {"refId", kStr},
                               {"lines", {{"type", "array"}, {"items", kLineInput}}}}}};
const http::ListSpec kList{
    .filters = {{"docType", "string", "receipt | issue | adjust | transfer"},
                {"status", "string", "draft | posted | canceled"},
                {"warehouseId", "string", "source or target warehouse (UUID)"},
                {"partId", "string", "documents with a line of this part (UUID)"},
                {"refType", "string", "e.g. repair_order"},
                {"refId", "string", "UUID"},
                {"from", "string", "docDate ≥ (YYYY-MM-DD)"},
                {"to", "string", "docDate ≤ (YYYY-MM-DD)"},
                {"search", "string", "in code and note"}},
    .sorts = {{"code", "d.code"}, {"docDate", "d.doc_date"}, {"createdAt", "d.created_at"}, {"status", "d.status"}},
    .default_sort = "createdAt",
    .default_descending = true,
    .default_page_size = 50,
};

std::optional<std::string> one_of(const Request& req, const char* name, std::initializer_list<const char*> allowed) {
  auto v = req.query(name);
  if (!v) return v;
  for (auto* a : allowed)
    if (*v == a) return v;
  std::string list;
  for (auto* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  throw ValidationError(name, "must be one of " + list);
}
}  // namespace

void register_document_routes(AppContext& ctx, std::shared_ptr<DocumentService> docs,
                              std::shared_ptr<ops_events::OpsEventService> ops) {
  const std::string base = "/api/v1/warehouse/documents";
  http::crud(ctx.router, docs,
             http::CrudSpec<DocumentInput, DocumentFilter>{
                 .base = base,
                 .noun = "stock document",
                 .tag = "warehouse",
                 .item_schema = kDocument,
                 .input_schema = kDocumentInput,
                 .list = kList,
                 .filter = [](const Request& req) {
                   DocumentFilter f;
                   f.doc_type = one_of(req, "docType", {"receipt", "issue", "adjust", "transfer"});
                   f.status = one_of(req, "status", {"draft", "posted", "canceled"});
                   f.warehouse_id = req.query_uuid("warehouseId");
                   f.part_id = req.query_uuid("partId");
                   f.ref_type = req.query("refType");
                   f.ref_id = req.query_uuid("refId");
                   f.from = req.query("from");
                   f.to = req.query("to");
                   f.search = req.query("search");
                   return f;
                 },
                 .parse = parse_document,
                 .with_create = false,
                 .delete_summary = "drafts only (409 for a posted or canceled document)",
             });

  ctx.router
      .post(base, Role::admin,
            [docs](Request& req) -> Task<Response> {
              auto in = parse_document(req.json(), true);
              bool post = req.query_bool("post").value_or(false);
              auto by = req.caller();
              auto doc = co_await docs->create(in, post, by);
              co_return http::tagged_json(to_json(doc), 201);
            })
      .summary("Create a stock document (draft, with lines; code SD-YYYY-NNNNNN unless given); ?post=true also "
               "posts it in the same transaction")
      .tag("warehouse")
      .query("post", "boolean", "post the new document at once (422 NOT_ENOUGH_STOCK leaves nothing behind)")
      .request(kDocumentInput)
      .response(kDocument, 201);

  ctx.router
      .post(base + "/{id}/lines", Role::admin,
            [docs](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto line = parse_line(req.json(), true);
              auto by = req.caller();
              auto out = co_await docs->add_line(id, line, by);
              co_return Response::json(out, 201);
            })
      .summary("Add a line to a draft (409 once posted or canceled)")
      .tag("warehouse")
      .request(kLineInput)
      .response(kLine, 201);
  ctx.router
      .patch(base + "/{id}/lines/{lineId}", Role::admin,
             [docs](Request& req) -> Task<Response> {
               auto id = req.path_uuid("id");
               auto line_id = req.path_uuid("lineId");
               auto line = parse_line(req.json(), false);
               auto by = req.caller();
               auto out = co_await docs->update_line(id, line_id, line, by);
               co_return Response::json(out);
             })
      .summary("Edit a line of a draft")
      .tag("warehouse")
      .request(kLineInput)
      .response(kLine);
  ctx.router
      .del(base + "/{id}/lines/{lineId}", Role::admin,
           [docs](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto line_id = req.path_uuid("lineId");
             auto by = req.caller();
             co_await docs->delete_line(id, line_id, by);
             co_return Response::no_content();
           })
      .summary("Remove a line of a draft")
      .tag("warehouse")
      .response(nullptr, 204);

  ctx.router
      .post(base + "/{id}/post", Role::admin,
            [docs](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto by = req.caller();
              auto doc = co_await docs->post(id, by);
              co_return http::tagged_json(to_json(doc));
            })
      .summary("Post a draft: every line in one transaction under row locks taken in (warehouse, part) order; 422 "
               "NOT_ENOUGH_STOCK naming part, warehouse, available and asked; 409 unless draft")
      .tag("warehouse")
      .response(kDocument);
  ctx.router
      .post(base + "/{id}/cancel", Role::admin,
            [docs](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto by = req.caller();
              auto doc = co_await docs->cancel(id, by);
              co_return http::tagged_json(to_json(doc));
            })
      .summary("Cancel a draft (409 unless draft)")
      .tag("warehouse")
      .response(kDocument);
  ctx.router
      .post(base + "/{id}/reverse", Role::admin,
            [docs](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto by = req.caller();
              auto doc = co_await docs->reverse(id, by);
              co_return http::tagged_json(to_json(doc), 201);
            })
      .summary("Reverse a posted document: a new posted document undoing its movements at their costs, linked both "
               "ways (409 unless posted and not yet reversed; 422 NOT_ENOUGH_STOCK if it would go negative)")
      .tag("warehouse")
      .response(kDocument, 201);
  ops_events::history_route(ctx, ops, base, "stock_document", "warehouse",
                            [docs](const std::string& id) -> Task<void> { co_await docs->require(id); });
}

}  // namespace netops::warehouse
