#pragma once
// multipart/form-data (RFC 7578 over RFC 2046 framing), strict: the body must be a sequence of parts
// between "--boundary" delimiter lines ending with the close delimiter, each part with CRLF-terminated
// headers and a Content-Disposition: form-data naming it. A malformed body is a 400 naming "body",
// never a guess. Parts are views into the request body (no copy of a 25 MiB upload).
// Also: MIME sniffing from magic bytes and the Content-Disposition of downloads.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netops::http {

struct Part {
  std::string name;                     // form field name
  std::optional<std::string> filename;  // as sent (filename* decoded from UTF-8), path stripped
  std::string content_type;             // as sent; informative only, never trusted
  std::string_view body;
};

// The boundary parameter of a multipart/form-data Content-Type, unquoted; nullopt when the value is not
// multipart/form-data or has no valid boundary (1–70 characters of RFC 2046 bchars).
std::optional<std::string> multipart_boundary(std::string_view content_type);
bool is_multipart(std::string_view content_type);

// Throws AppError VALIDATION_ERROR (field "body") on malformed input; at most 100 parts.
std::vector<Part> parse_multipart(std::string_view body, std::string_view boundary);
// The first part named `name`, or nullptr.
const Part* find_part(const std::vector<Part>& parts, std::string_view name);

// The type of content by its first bytes: image/png, image/jpeg, image/gif, application/pdf,
// the OOXML types (docx/xlsx/pptx) or application/zip, application/gzip, text/csv, text/plain,
// else application/octet-stream.
std::string sniff_mime(std::string_view bytes);

// attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded> — safe for any name
// (quotes, backslashes, control characters and non-ASCII never reach the quoted form).
std::string content_disposition(std::string_view filename);

}  // namespace netops::http
