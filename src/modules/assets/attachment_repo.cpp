#include "modules/assets/attachment_repo.hpp"

#include "modules/assets/types.hpp"

namespace netops::assets {

namespace q {
#define NETOPS_ATTACHMENT_COLS \
  "id, asset_id, file_name, mime_type, storage_key, size_bytes, version, uploaded_by, correlation_id, sha256, created_at"
constexpr db::Query kInsert{
    "assets.attachment_insert",
    "INSERT INTO asset_attachments (asset_id, file_name, mime_type, storage_key, size_bytes, version, uploaded_by, "
    "correlation_id, sha256) SELECT $1, $2, $3, $4, $5, "
    "COALESCE((SELECT max(version) FROM asset_attachments WHERE asset_id = $1), 0) + 1, $6, $7, $8 "
    "RETURNING " NETOPS_ATTACHMENT_COLS};
constexpr db::Query kList{"assets.attachment_list",
                          "SELECT " NETOPS_ATTACHMENT_COLS ", count(*) OVER () AS total FROM asset_attachments "
                          "WHERE asset_id = $1 ORDER BY version DESC LIMIT $2 OFFSET $3"};
constexpr db::Query kCount{"assets.attachment_count", "SELECT count(*) AS n FROM asset_attachments WHERE asset_id = $1"};
constexpr db::Query kFind{"assets.attachment_find",
                          "SELECT " NETOPS_ATTACHMENT_COLS " FROM asset_attachments WHERE asset_id = $1 AND id = $2"};
constexpr db::Query kDelete{"assets.attachment_delete",
                            "DELETE FROM asset_attachments WHERE asset_id = $1 AND id = $2 RETURNING " NETOPS_ATTACHMENT_COLS};
#undef NETOPS_ATTACHMENT_COLS
}  // namespace q

namespace {
std::optional<StoredAttachment> stored(const db::Result& r) {
  if (r.empty()) return std::nullopt;
  auto row = r.front();
  return StoredAttachment{attachment_json(row), row.get<std::string>("storage_key"),
                          row.opt<std::string>("file_name").value_or("attachment"),
                          row.opt<std::string>("mime_type").value_or("application/octet-stream")};
}
}  // namespace

Task<nlohmann::json> AttachmentRepo::insert(db::Tx& tx, const NewAttachment& a) {
  auto r = co_await tx.query(q::kInsert, db::Params(a.asset_id, a.file_name, a.mime_type, a.storage_key, a.size_bytes,
                                                    a.uploaded_by, a.correlation_id, a.sha256));
  co_return attachment_json(r.front());
}

Task<std::pair<nlohmann::json, long long>> AttachmentRepo::list(const std::string& asset_id, const http::Paging& p) {
  auto rows = co_await db_.query(q::kList, db::Params(asset_id, p.page_size, p.offset()));
  nlohmann::json out = nlohmann::json::array();
  long long total = 0;
  for (auto r : rows) {
    total = r.get<std::int64_t>("total");
    out.push_back(attachment_json(r));
  }
  if (rows.empty() && p.offset() > 0) {  // past the last page: count(*) OVER () saw no rows
    auto c = co_await db_.query(q::kCount, db::Params(asset_id));
    total = c.front().get<std::int64_t>("n");
  }
  co_return std::make_pair(std::move(out), total);
}

Task<std::optional<StoredAttachment>> AttachmentRepo::find(const std::string& asset_id, const std::string& id) {
  co_return stored(co_await db_.query(q::kFind, db::Params(asset_id, id)));
}

Task<std::optional<StoredAttachment>> AttachmentRepo::remove(db::Tx& tx, const std::string& asset_id,
                                                             const std::string& id) {
  co_return stored(co_await tx.query(q::kDelete, db::Params(asset_id, id)));
}

}  // namespace netops::assets
