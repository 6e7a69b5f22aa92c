// multipart/form-data (attachment uploads, CSV import as a form): the Content-Type's boundary, the strict part
// parser, the MIME sniffing of each part and the Content-Disposition of its file name on download. The input's
// first line is the Content-Type value, the rest the body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "http/multipart.hpp"
#include "support.hpp"

using namespace netops;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto nl = in.find('\n');
  std::string_view content_type = in.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
  (void)http::is_multipart(content_type);
  auto boundary = http::multipart_boundary(content_type);
  if (!boundary) boundary = "XyZ";  // the parser itself is fuzzed whatever the header says
  fuzz::check(!boundary->empty() && boundary->size() <= 70, "a boundary of a bad length");
  std::vector<http::Part> parts;
  try {
    parts = http::parse_multipart(body, *boundary);
  } catch (const AppError& e) {
    fuzz::check(e.status() == 400, "a malformed body is not a 400");
    return 0;
  }
  fuzz::check(!parts.empty() && parts.size() <= 100, "part count outside 1..100");
  for (auto& p : parts) {
    fuzz::check(p.body.data() >= body.data() && p.body.data() + p.body.size() <= body.data() + body.size(),
                "a part's body is not inside the request body");
    (void)http::sniff_mime(p.body);
    if (p.filename) {
      fuzz::check(p.filename->find_first_of("/\\") == std::string::npos, "a file name keeps a path");
      auto cd = http::content_disposition(*p.filename);
      for (unsigned char c : cd) fuzz::check(c >= 0x20 && c < 0x7f, "Content-Disposition holds a byte unsafe in a header");
    }
  }
  (void)http::find_part(parts, "file");
  return 0;
}
