#pragma once
// Attachments of an asset (SPEC §4.4): multipart upload with a configurable size limit, MIME type
// sniffed from the bytes, SHA-256 kept, stored under a random key, versioned per asset.
// The file is written (off the event loop) before the row is inserted; if the insert fails the file is
// removed again, so there is never a row without its file nor (short of a crash) a file without a row.
#include <nlohmann/json.hpp>
#include <string>

#include "kit/context.hpp"
#include "http/listing.hpp"
#include "modules/assets/attachment_repo.hpp"
#include "modules/assets/asset_repo.hpp"
#include "kit/file_store.hpp"

namespace netops::assets {

struct Download {
  std::string file_name, mime_type, bytes;
};

class AttachmentService {
 public:
  AttachmentService(AppContext& ctx, std::size_t limit)
      : ctx_(ctx), assets_(ctx.db), repo_(ctx.db), files_(ctx.config.storage_dir), limit_(limit) {}
  // content_type: the request's; the multipart body (field "file") is the file body_file when that is
  // set (the route spools it to disk), else `body`.
  Task<nlohmann::json> upload(const std::string& asset_id, std::string_view content_type, const std::string& body,
                              const std::string& body_file, const Caller& who);
  std::string spool_dir() const { return files_.spool_dir(); }
  Task<std::pair<nlohmann::json, long long>> list(const std::string& asset_id, const http::Paging& p);
  Task<Download> download(const std::string& asset_id, const std::string& id);
  Task<void> remove(const std::string& asset_id, const std::string& id, const Caller& who);
  std::size_t limit() const { return limit_; }

 private:
  Task<void> require_asset(const std::string& asset_id);

  AppContext& ctx_;
  AssetRepo assets_;
  AttachmentRepo repo_;
  FileStore files_;
  std::size_t limit_;
};

// "report.pdf" from what a client sent: no path, no control characters, UTF-8, ≤ 255 bytes.
std::string clean_file_name(const std::optional<std::string>& sent);

}  // namespace netops::assets
