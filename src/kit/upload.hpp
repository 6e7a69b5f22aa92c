#pragma once
// The one upload path of attachment files (asset attachments, generic attachments of repair orders and
// stock documents): the multipart body (field "file", possibly spooled to disk while it arrived) is
// parsed, checked against the size limit, its MIME type sniffed from the bytes, its SHA-256 taken, and the
// bytes written to the FileStore under a random key. Blocking work: run it through ctx.blocking.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "kit/file_store.hpp"

namespace netops {

struct StoredUpload {
  std::string file_name, mime_type, sha256, storage_key;
  long long size_bytes = 0;
};

// Throws 400 (no "file" field), 413 (over the limit), or what clean_name throws for a bad file name.
StoredUpload store_upload(const FileStore& files, std::string_view boundary, const std::string& body,
                          const std::string& body_file, std::size_t limit,
                          const std::function<std::string(const std::optional<std::string>&)>& clean_name);

}  // namespace netops
