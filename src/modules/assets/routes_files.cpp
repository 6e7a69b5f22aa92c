#include <stdexcept>

#include "core/error.hpp"
#include "modules/assets/attachments.hpp"
#include "modules/assets/import_service.hpp"
#include "modules/assets/multipart.hpp"
#include "modules/assets/routes_detail.hpp"

namespace netops::assets {

using http::Request;
using http::Response;
using http::Role;

namespace {

constexpr std::size_t kMultipartOverhead = 64u << 10;  // part headers and boundaries around the file

ImportOptions import_options(const Request& req) {
  ImportOptions o;
  o.dry_run = req.query_bool("dryRun").value_or(false);
  auto mode = req.query("mode").value_or("atomic");
  if (mode != "atomic" && mode != "skipInvalid") throw ValidationError("mode", "must be atomic or skipInvalid");
  o.skip_invalid = mode == "skipInvalid";
  auto upsert = req.query("upsertBy");
  if (upsert && !upsert->empty() && *upsert != "assetCode") throw ValidationError("upsertBy", "only assetCode is supported");
  o.upsert = upsert && *upsert == "assetCode";
  return o;
}

// The CSV text of an import request: a text/csv body, or the "file" field of a multipart form.
std::string csv_text(const Request& req) {
  auto ct = std::string(req.header("content-type").value_or("text/csv"));
  if (is_multipart(ct)) {
    auto boundary = multipart_boundary(ct);
    if (!boundary) throw ValidationError("body", "multipart/form-data needs a valid boundary parameter");
    auto parts = parse_multipart(req.body, *boundary);
    auto* file = find_part(parts, "file");
    if (!file) throw ValidationError("file", "a form field named \"file\" carrying the CSV is required");
    return std::string(file->body);
  }
  std::string type = ct.substr(0, ct.find(';'));
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  type.erase(type.find_last_not_of(" \t") + 1);
  if (type != "text/csv" && type != "application/csv" && type != "text/plain" && type != "application/vnd.ms-excel")
    throw AppError(ErrorCode::unsupported_media, "send the CSV as text/csv or as multipart/form-data field \"file\"");
  return req.body;
}

const nlohmann::json kAttachment = {
    {"type", "object"},
    {"properties",
     {{"id", {{"type", "string"}}}, {"fileName", {{"type", "string"}}}, {"mimeType", {{"type", "string"}}},
      {"sizeBytes", {{"type", "integer"}}}, {"version", {{"type", "integer"}}}, {"sha256", {{"type", "string"}}}}}};

}  // namespace

void register_file_routes(AppContext& ctx, std::shared_ptr<AssetsService> svc) {
  auto files = std::make_shared<AttachmentsService>(ctx, ctx.config.attachment_limit);
  auto imports = std::make_shared<ImportService>(ctx, svc);
  const std::size_t import_limit = ctx.config.import_limit;

  ctx.router
      .post("/api/v1/assets/import", Role::admin,
            [imports](Request& req) -> Task<Response> {
              auto opts = import_options(req);
              auto text = csv_text(req);
              if (text.empty()) throw ValidationError("body", "a CSV file with a header row is required");
              auto who = who_of(req);
              auto result = co_await imports->import_csv(text, opts, who);
              if (!result.ok)
                throw Unprocessable(result.report["errorCount"].dump() + " error(s): nothing was imported", result.report);
              co_return Response::json(result.report);
            })
      .summary("Import assets from CSV (text/csv or multipart field file): ?dryRun=true, mode=atomic|skipInvalid, "
               "upsertBy=assetCode. 200 with the report; atomic with errors: 422 with the report in error.details")
      .tag("assets")
      .body_limit(import_limit)
      .query("dryRun", "boolean", "validate and apply inside a transaction that is rolled back")
      .query("mode", "string", "atomic (default: nothing written if any row fails) | skipInvalid")
      .query("upsertBy", "string", "assetCode: update the assets that exist")
      .response({{"type", "object"},
                 {"properties",
                  {{"dryRun", {{"type", "boolean"}}}, {"mode", {{"type", "string"}}}, {"rows", {{"type", "integer"}}},
                   {"created", {{"type", "integer"}}}, {"updated", {{"type", "integer"}}},
                   {"unchanged", {{"type", "integer"}}}, {"skipped", {{"type", "integer"}}},
                   {"errors", {{"type", "array"}}}}}});

  auto& exp = ctx.router.get("/api/v1/assets/export", Role::user, [imports](Request& req) -> Task<Response> {
    auto f = filter_of(req);
    co_return co_await imports->export_csv(f);
  });
  exp.summary("CSV export (the import's columns; model/vendor/location by name or path) of the assets matching the "
              "list filters, streamed")
      .tag("assets");
  for (const char* q : {"status", "locationId", "categoryId", "modelId", "vendorId", "warrantyBefore", "search"})
    exp.query(q, "string", "as in GET /api/v1/assets");

  ctx.router
      .get("/api/v1/assets/{id}/attachments", Role::user,
           [files](Request& req) -> Task<Response> {
             auto p = http::paging(req);
             auto [rows, total] = co_await files->list(req.path_uuid("id"), p);
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
              auto who = who_of(req);
              auto ct = std::string(req.header("content-type").value_or(""));
              auto out = co_await files->upload(id, ct, req.body, req.body_file, who);
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
             auto d = co_await files->download(req.path_uuid("id"), req.path_uuid("attachmentId"));
             auto res = Response::text(std::move(d.bytes), d.mime_type);
             res.header("Content-Disposition", content_disposition(d.file_name));
             res.header("X-Content-Type-Options", "nosniff");
             co_return res;
           })
      .summary("Download the stored bytes (Content-Type as sniffed at upload)")
      .tag("assets");

  ctx.router
      .del("/api/v1/assets/{id}/attachments/{attachmentId}", Role::admin,
           [files](Request& req) -> Task<Response> {
             auto who = who_of(req);
             co_await files->remove(req.path_uuid("id"), req.path_uuid("attachmentId"), who);
             co_return Response::no_content();
           })
      .summary("Delete an attachment (row and file)")
      .tag("assets")
      .response(nullptr, 204);
}

}  // namespace netops::assets
