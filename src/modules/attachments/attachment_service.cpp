#include "modules/attachments/attachment_service.hpp"

#include <exception>

#include "core/error.hpp"
#include "http/multipart.hpp"
#include "kit/upload.hpp"
#include "modules/assets/attachment_service.hpp"

namespace netops::attachments {

namespace q {
#define NETOPS_COLS                                                                                               \
  "json_build_object('id', id, 'entityType', entity_type, 'entityId', entity_id, 'fileName', file_name, "      \
  "'mimeType', mime_type, 'sizeBytes', size_bytes, 'version', version, 'sha256', sha256, 'uploadedBy', "       \
  "uploaded_by, 'correlationId', correlation_id, 'createdAt', to_char(created_at AT TIME ZONE 'UTC', "          \
  "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')) AS j, storage_key, file_name, mime_type"
// The advisory lock serializes uploads of one object, so two uploads of a file name get distinct versions.
constexpr db::Query kLock{"attachments.lock_entity", "SELECT pg_advisory_xact_lock(hashtext($1 || ':' || $2))"};
constexpr db::Query kInsert{
    "attachments.insert",
    "INSERT INTO attachments (entity_type, entity_id, file_name, mime_type, storage_key, size_bytes, version, "
    "uploaded_by, correlation_id, sha256) SELECT $1, $2, $3, $4, $5, $6, coalesce((SELECT max(version) FROM "
    "attachments WHERE entity_type = $1 AND entity_id = $2 AND file_name = $3), 0) + 1, $7, $8, $9 RETURNING " NETOPS_COLS};
constexpr db::Query kList{"attachments.list",
                          "SELECT " NETOPS_COLS ", count(*) OVER () AS total FROM attachments WHERE entity_type = $1 "
                          "AND entity_id = $2 ORDER BY created_at DESC, id LIMIT $3 OFFSET $4"};
constexpr db::Query kFind{"attachments.find",
                          "SELECT " NETOPS_COLS " FROM attachments WHERE entity_type = $1 AND entity_id = $2 AND id = $3"};
constexpr db::Query kDelete{"attachments.delete",
                            "DELETE FROM attachments WHERE entity_type = $1 AND entity_id = $2 AND id = $3 RETURNING "
                            NETOPS_COLS};
#undef NETOPS_COLS
}  // namespace q

Task<nlohmann::json> AttachmentService::upload(const std::string& entity_type, const std::string& entity_id,
                                               std::string_view content_type, const std::string& body,
                                               const std::string& body_file, const Caller& by) {
  auto boundary = http::multipart_boundary(content_type);
  if (!boundary)
    throw AppError(ErrorCode::unsupported_media, "upload the file as multipart/form-data (field \"file\")");
  StoredUpload stored;
  auto store = [this, &body, &body_file, b = *boundary, &stored]() -> bool {
    stored = store_upload(files_, b, body, body_file, limit_, assets::clean_file_name);
    return true;
  };
  co_await ctx_.blocking.run(std::move(store));
  nlohmann::json out;
  std::exception_ptr failure;
  try {
    auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
      co_await tx.query(q::kLock, db::Params(entity_type, entity_id));
      auto r = co_await tx.query(q::kInsert, db::Params(entity_type, entity_id, stored.file_name, stored.mime_type,
                                                        stored.storage_key, stored.size_bytes, by.user_id,
                                                        by.request_id, stored.sha256));
      out = r.front().get<nlohmann::json>("j");
      nlohmann::json payload = {{"attachment", out}};
      co_await ops_->record(tx, entity_type, entity_id, "attachment_added", payload, by);
    };
    co_await ctx_.db.transaction(in_tx);
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {  // no file without its row
    auto drop = [this, key = stored.storage_key] { return files_.remove(key); };
    co_await ctx_.blocking.run(std::move(drop));
    std::rethrow_exception(failure);
  }
  co_return out;
}

Task<db::Page<nlohmann::json>> AttachmentService::list(const std::string& entity_type, const std::string& entity_id,
                                                       const db::PageRequest& p) {
  auto rows = co_await ctx_.db.query(q::kList, db::Params(entity_type, entity_id, p.page_size, p.offset()));
  co_return db::page_of<nlohmann::json>(rows, p, [](const db::Row& r) { return r.get<nlohmann::json>("j"); });
}

Task<Download> AttachmentService::download(const std::string& entity_type, const std::string& entity_id,
                                           const std::string& id) {
  auto r = co_await ctx_.db.query(q::kFind, db::Params(entity_type, entity_id, id));
  if (r.empty()) throw NotFound("attachment");
  auto row = r.front();
  Download d;
  d.file_name = row.get<std::string>("file_name");
  d.mime_type = row.get<std::string>("mime_type");
  auto read = [this, key = row.get<std::string>("storage_key")] { return files_.read(key); };
  d.bytes = co_await ctx_.blocking.run(std::move(read));
  co_return d;
}

Task<void> AttachmentService::remove(const std::string& entity_type, const std::string& entity_id,
                                     const std::string& id, const Caller& by) {
  std::string key;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto r = co_await tx.query(q::kDelete, db::Params(entity_type, entity_id, id));
    if (r.empty()) throw NotFound("attachment");
    key = r.front().get<std::string>("storage_key");
    nlohmann::json payload = {{"attachment", r.front().get<nlohmann::json>("j")}};
    co_await ops_->record(tx, entity_type, entity_id, "attachment_removed", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  auto drop = [this, key] { return files_.remove(key); };  // after the commit
  co_await ctx_.blocking.run(std::move(drop));
}

}  // namespace netops::attachments
