#include <stdexcept>

// HTTP shape of the CSV import and export.
#include "core/error.hpp"
#include "http/multipart.hpp"
#include "modules/assets/assets_settings.hpp"
#include "modules/assets/asset_routes.hpp"
#include "modules/assets/import_service.hpp"

namespace netops::assets {

using http::Request;
using http::Response;
using http::Role;

namespace {

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
  if (http::is_multipart(ct)) {
    auto boundary = http::multipart_boundary(ct);
    if (!boundary) throw ValidationError("body", "multipart/form-data needs a valid boundary parameter");
    auto parts = http::parse_multipart(req.body, *boundary);
    auto* file = http::find_part(parts, "file");
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

}  // namespace

void register_import_routes(AppContext& ctx, std::shared_ptr<AssetService> svc) {
  auto imports = std::make_shared<ImportService>(ctx, svc);
  const std::size_t import_limit = load_section(ctx.config, assets_section()).import_limit;

  ctx.router
      .post("/api/v1/assets/import", Role::admin,
            [imports](Request& req) -> Task<Response> {
              auto opts = import_options(req);
              auto text = csv_text(req);
              if (text.empty()) throw ValidationError("body", "a CSV file with a header row is required");
              auto by = req.caller();
              auto result = co_await imports->import_csv(text, opts, by);
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
    auto csv = std::make_shared<CsvExport>(co_await imports->export_csv(f));
    auto producer = [csv](http::StreamWriter& w) -> Task<void> {
      for (;;) {
        auto chunk = co_await csv->next();
        if (!chunk) co_return;
        bool sent = co_await w.write(*chunk);
        if (!sent) co_return;  // the client went away
      }
    };
    auto res = Response::streamed("text/csv; charset=utf-8", std::move(producer));
    res.header("Content-Disposition", "attachment; filename=\"assets.csv\"");
    co_return res;
  });
  exp.summary("CSV export (the import's columns; model/vendor/location by name or path) of the assets matching the "
              "list filters, streamed")
      .tag("assets");
  for (const char* q : {"status", "locationId", "categoryId", "modelId", "vendorId", "warrantyBefore", "search", "ids"})
    exp.query(q, "string", "as in GET /api/v1/assets");
}

}  // namespace netops::assets
