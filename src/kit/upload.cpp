#include "kit/upload.hpp"

#include "core/error.hpp"
#include "core/ids.hpp"
#include "http/multipart.hpp"

namespace netops {

StoredUpload store_upload(const FileStore& files, std::string_view boundary, const std::string& body,
                          const std::string& body_file, std::size_t limit,
                          const std::function<std::string(const std::optional<std::string>&)>& clean_name) {
  std::optional<MappedFile> spooled;  // the upload as it was written to disk while it arrived
  std::string_view data = body;
  if (!body_file.empty()) data = spooled.emplace(body_file).bytes();
  auto parts = http::parse_multipart(data, boundary);
  const http::Part* file = http::find_part(parts, "file");
  if (!file) throw ValidationError("file", "a form field named \"file\" carrying the file is required");
  if (file->body.size() > limit)
    throw AppError(ErrorCode::payload_too_large, "the file exceeds " + std::to_string(limit) + " bytes",
                   {{"limit", limit}});
  StoredUpload out;
  out.file_name = clean_name(file->filename);
  out.size_bytes = static_cast<long long>(file->body.size());
  out.mime_type = http::sniff_mime(file->body);
  out.sha256 = sha256_hex(file->body);
  out.storage_key = files.put(file->body);
  return out;
}

}  // namespace netops
