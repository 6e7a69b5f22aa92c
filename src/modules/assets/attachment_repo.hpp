#pragma once
// SQL of asset_attachments, and nothing else.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/db.hpp"
#include "http/listing.hpp"

namespace netops::assets {

struct NewAttachment {
  std::string asset_id, file_name, mime_type, storage_key, sha256, uploaded_by, correlation_id;
  long long size_bytes = 0;
};

struct StoredAttachment {
  nlohmann::json json;  // attachment_json
  std::string storage_key, file_name, mime_type;
};

class AttachmentRepo {
 public:
  explicit AttachmentRepo(db::Db& db) : db_(db) {}
  // version = the asset's highest + 1; call with the asset row locked so two uploads cannot collide.
  Task<nlohmann::json> insert(db::Tx& tx, const NewAttachment& a);
  Task<std::pair<nlohmann::json, long long>> list(const std::string& asset_id, const http::Paging& p);
  Task<std::optional<StoredAttachment>> find(const std::string& asset_id, const std::string& id);
  // Deletes and returns the row; nullopt when there was none.
  Task<std::optional<StoredAttachment>> remove(db::Tx& tx, const std::string& asset_id, const std::string& id);

 private:
  db::Db& db_;
};

}  // namespace netops::assets
