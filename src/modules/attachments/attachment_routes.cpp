// HTTP shape of generic attachments.
#include "http/listing.hpp"
#include "http/multipart.hpp"
#include "modules/assets/assets_settings.hpp"
#include "modules/attachments/module.hpp"

namespace netops::attachments {

using http::Request;
using http::Response;

namespace {

constexpr std::size_t kMultipartOverhead = 64u << 10;  // part headers and boundaries around the file

const nlohmann::json kAttachment = {
    {"type", "object"},
    {"properties",
     {{"id", {{"type", "string"}}}, {"fileName", {{"type", "string"}}}, {"mimeType", {{"type", "string"}}},
      {"sizeBytes", {{"type", "integer"}}}, {"version", {{"type", "integer"}}}, {"sha256", {{"type", "string"}}}}}};

void routes_for(AppContext& ctx, std::shared_ptr<AttachmentService> files, const std::string& base,
                const std::string& entity_type, const std::string& tag, Exists exists) {
  ctx.router
      .get(base + "/{id}/attachments", Role::user,
           [files, entity_type, exists](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");  // named: GCC 12 mishandles temporaries in co_await
             co_await exists(id);
             auto p = http::paging(req);
             auto page = co_await files->list(entity_type, id, p);
             co_return http::page(page, [](const nlohmann::json& j) { return j; });
           })
      .summary("Attachments of a " + entity_type + ", newest first")
      .tag(tag)
      .query("page", "integer", "")
      .query("pageSize", "integer", "at most 1000");
  ctx.router
      .post(base + "/{id}/attachments", Role::admin,
            [files, entity_type, exists](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              co_await exists(id);  // 404 before any file is written
              auto by = req.caller();
              auto ct = std::string(req.header("content-type").value_or(""));
              auto out = co_await files->upload(entity_type, id, ct, req.body, req.body_file, by);
              co_return Response::json(std::move(out), 201);
            })
      .summary("Upload an attachment (multipart/form-data field file; size limit NETOPS_ATTACHMENT_LIMIT; MIME type "
               "sniffed; a file name uploaded again gets the next version)")
      .tag(tag)
      .body_limit(files->limit() + kMultipartOverhead)
      .body_to_file(files->spool_dir())
      .response(kAttachment, 201);
  ctx.router
      .get(base + "/{id}/attachments/{attachmentId}/download", Role::user,
           [files, entity_type](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto attachment_id = req.path_uuid("attachmentId");
             auto d = co_await files->download(entity_type, id, attachment_id);
             auto res = Response::text(std::move(d.bytes), d.mime_type);
             res.header("Content-Disposition", http::content_disposition(d.file_name));
             res.header("X-Content-Type-Options", "nosniff");
             co_return res;
           })
      .summary("Download an attachment's bytes")
      .tag(tag);
  ctx.router
      .del(base + "/{id}/attachments/{attachmentId}", Role::admin,
           [files, entity_type](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto attachment_id = req.path_uuid("attachmentId");
             auto by = req.caller();
             co_await files->remove(entity_type, id, attachment_id, by);
             co_return Response::no_content();
           })
      .summary("Delete an attachment (row and file)")
      .tag(tag)
      .response(nullptr, 204);
}

}  // namespace

Module<AttachmentService> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService>,
                                          std::shared_ptr<ops_events::OpsEventService> ops,
                                          std::shared_ptr<warehouse::DocumentService> documents,
                                          std::shared_ptr<repair::RepairService> repairs) {
  auto limit = load_section(ctx.config, assets::assets_section()).attachment_limit;
  auto files = std::make_shared<AttachmentService>(ctx, ops, limit);
  routes_for(ctx, files, "/api/v1/warehouse/documents", "stock_document", "warehouse",
             [documents](const std::string& id) -> Task<void> { co_await documents->require(id); });
  routes_for(ctx, files, "/api/v1/maintenance/repair-orders", "repair_order", "maintenance",
             [repairs](const std::string& id) -> Task<void> { co_await repairs->require(id); });
  return {files, {}};
}

}  // namespace netops::attachments
