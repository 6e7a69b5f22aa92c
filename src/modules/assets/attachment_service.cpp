#include "modules/assets/attachment_service.hpp"

#include <exception>
#include <optional>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "http/multipart.hpp"
#include "kit/upload.hpp"
#include "modules/assets/asset_rules.hpp"

namespace netops::assets {

using http::find_part;
using http::multipart_boundary;
using http::parse_multipart;
using http::Part;
using http::sniff_mime;

std::string clean_file_name(const std::optional<std::string>& sent) {
  std::string name;
  for (char c : sent.value_or(""))
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) name.push_back(c);
  static const Column kFileName{"file", "file_name", "file_name", Kind::text, 255, ""};
  auto checked = check_value(kFileName, name);
  if (!checked.ok()) throw ValidationError("file", "the file name " + checked.error);
  return checked.value.empty() ? "attachment" : checked.value;
}

Task<void> AttachmentService::require_asset(const std::string& asset_id) {
  auto found = co_await assets_.find(asset_id);
  if (!found) throw NotFound("asset");
}

Task<nlohmann::json> AttachmentService::upload(const std::string& asset_id, std::string_view content_type,
                                                const std::string& body, const std::string& body_file,
                                                const Caller& who) {
  auto boundary = multipart_boundary(content_type);
  if (!boundary)
    throw AppError(ErrorCode::unsupported_media, "upload the file as multipart/form-data (field \"file\")");
  co_await require_asset(asset_id);  // 404 before any file is written

  NewAttachment row;
  row.asset_id = asset_id;
  row.uploaded_by = who.user_id;
  row.correlation_id = who.request_id;
  // Parsing, hashing and the durable write are CPU and disk work: off the event loop.
  auto store = [this, &body, &body_file, b = *boundary, &row]() -> bool {
    auto stored = store_upload(files_, b, body, body_file, limit_, clean_file_name);  // kit/upload.hpp
    row.file_name = stored.file_name;
    row.size_bytes = stored.size_bytes;
    row.mime_type = stored.mime_type;
    row.sha256 = stored.sha256;
    row.storage_key = stored.storage_key;
    return true;
  };
  co_await ctx_.blocking.run(std::move(store));

  nlohmann::json out;
  std::exception_ptr failure;
  try {
    auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
      auto locked = co_await assets_.lock(tx, asset_id);  // also serializes the version numbers
      if (!locked) throw NotFound("asset");
      out = co_await repo_.insert(tx, row);
      nlohmann::json payload = {{"attachment", out}};
      co_await assets_.add_event(tx, asset_id, "ATTACHMENT_ADDED", payload, who);
    };
    co_await ctx_.db.transaction(in_tx);
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {  // no file without its row
    auto drop = [this, key = row.storage_key] { return files_.remove(key); };
    co_await ctx_.blocking.run(std::move(drop));
    std::rethrow_exception(failure);
  }
  co_return out;
}

Task<std::pair<nlohmann::json, long long>> AttachmentService::list(const std::string& asset_id, const http::Paging& p) {
  co_await require_asset(asset_id);
  co_return co_await repo_.list(asset_id, p);
}

Task<Download> AttachmentService::download(const std::string& asset_id, const std::string& id) {
  auto a = co_await repo_.find(asset_id, id);
  if (!a) throw NotFound("attachment");
  auto read = [this, key = a->storage_key] { return files_.read(key); };
  Download d;
  d.bytes = co_await ctx_.blocking.run(std::move(read));
  d.file_name = a->file_name;
  d.mime_type = a->mime_type;
  co_return d;
}

Task<void> AttachmentService::remove(const std::string& asset_id, const std::string& id, const Caller& who) {
  std::string key;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto locked = co_await assets_.lock(tx, asset_id);
    if (!locked) throw NotFound("asset");
    auto removed = co_await repo_.remove(tx, asset_id, id);
    if (!removed) throw NotFound("attachment");
    key = removed->storage_key;
    nlohmann::json payload = {{"attachment", removed->json}};
    co_await assets_.add_event(tx, asset_id, "ATTACHMENT_REMOVED", payload, who);
  };
  co_await ctx_.db.transaction(in_tx);
  // After the commit: a rolled-back delete must still find its file.
  auto drop = [this, key] { return files_.remove(key); };
  co_await ctx_.blocking.run(std::move(drop));
}

}  // namespace netops::assets
