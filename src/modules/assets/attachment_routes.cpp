// HTTP shape of an asset's attachments.
#include "http/listing.hpp"
#include "http/multipart.hpp"
#include "modules/assets/assets_settings.hpp"
#include "modules/assets/asset_routes.hpp"
#include "modules/assets/attachment_service.hpp"

namespace netops::assets {

using http::Request;
using http::Response;
using http::Role;

namespace {

constexpr std::size_t kMultipartOverhead = 64u << 10;  // part headers and boundaries around the file

const nlohmann::json kAttachment = {
    {"type", "object"},
    {"properties",
     {{"id", {{"type", "string"}}}, {"fileName", {{"type", "string"}}}, {"mimeType", {{"type", "string"}}},
      {"sizeBytes", {{"type", "integer"}}}, {"version", {{"type", "integer"}}}, {"sha256", {{"type", "string"}}}}}};

}  // namespace

void register_attachment_routes(AppContext& ctx) {
  auto files = std::make_shared<AttachmentService>(ctx, load_section(ctx.config, assets_section()).attachment_limit);

  ctx.router
      .get("/api/v1/assets/{id}/attachments", Role::user,
           [files](Request& req) -> Task<Response> {
             auto p = http::paging(req);
             auto id = req.path_uuid("id");  // named: GCC 12 mishandles temporaries in co_await
             auto [rows, total] = co_await files->list(id, p);
             co_return http::page(std::move(rows), p.page, p.page_size, total);
           })
      .summary("Attachments of an asset, newest version first")
      .tag("assets")
      .query("page", "integer", "")
      .query("pageSize", "integer", "at most 1000");

  ctx.router
      .post("/api/v1/assets/{id}/attachments", Role::admin,
            [files](Request& req) -> Task<Response> {
              auto id = req.path_uuid("id");
              auto by = req.caller();
              auto ct = std::string(req.header("content-type").value_or(""));
              auto out = co_await files->upload(id, ct, req.body, req.body_file, by);
              co_return Response::json(std::move(out), 201);
            })
      .summary("Upload an attachment (multipart/form-data field file; size limit NETOPS_ATTACHMENT_LIMIT, default "
               "25 MiB; MIME type sniffed from the content)")
      .tag("assets")
      .body_limit(files->limit() + kMultipartOverhead)
      .body_to_file(files->spool_dir())  // written to disk as it arrives, not held in memory
      .response(kAttachment, 201);

  ctx.router
      .get("/api/v1/assets/{id}/attachments/{attachmentId}/download", Role::user,
           [files](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto attachment_id = req.path_uuid("attachmentId");
             auto d = co_await files->download(id, attachment_id);
             auto res = Response::text(std::move(d.bytes), d.mime_type);
             res.header("Content-Disposition", http::content_disposition(d.file_name));
             res.header("X-Content-Type-Options", "nosniff");
             co_return res;
           })
      .summary("Download the stored bytes (Content-Type as sniffed at upload)")
      .tag("assets");

  ctx.router
      .del("/api/v1/assets/{id}/attachments/{attachmentId}", Role::admin,
           [files](Request& req) -> Task<Response> {
             auto id = req.path_uuid("id");
             auto attachment_id = req.path_uuid("attachmentId");
             auto by = req.caller();
             co_await files->remove(id, attachment_id, by);
             co_return Response::no_content();
           })
      .summary("Delete an attachment (row and file)")
      .tag("assets")
      .response(nullptr, 204);
}

}  // namespace netops::assets
