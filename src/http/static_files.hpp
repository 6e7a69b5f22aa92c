#pragma once
// The web console's files (build/web/), served at "/" by the pipeline's fallback: a request that matches
// no route. Every file is read into memory once at start-up (bounded by count and bytes), so serving never
// touches the disk and never blocks an event loop, and a request path is only ever a key into that map:
// no path from a client reaches the file system (no traversal by construction).
//
// Rules:
// - GET/HEAD only; never for the API's prefixes (/api, /v1, /mcp, /docs, /metrics, /health): those keep
//   their JSON 404/405.
// - A known file is served; an unknown path whose last segment has no dot is a client route and gets
//   index.html (SPA fallback); an unknown path that looks like a file ("/x.js") is a 404.
// - Hashed build output (under /assets/) is `Cache-Control: public, max-age=31536000, immutable`; everything
//   else (index.html) is `no-cache` and revalidated by ETag (If-None-Match → 304).
// - `<file>.br` / `<file>.gz` beside a file are sent with Content-Encoding when the client accepts them.
// - Every answer carries a strict Content-Security-Policy (scripts, styles and connections from 'self' only).
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/request.hpp"
#include "http/response.hpp"

namespace netops::http {

struct StaticLimits {
  std::size_t max_files = 2000;
  std::size_t max_bytes = 64u << 20;  // all files with their compressed forms
};

inline constexpr std::string_view kConsoleCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

class StaticFiles {
 public:
  // Reads every regular file under dir (symbolic links are skipped). Throws std::runtime_error when the
  // directory has more than the limits allow; an absent directory gives an empty set.
  static std::shared_ptr<const StaticFiles> load(const std::string& dir, StaticLimits limits = {});

  // The answer for a request no route matched, or nullopt (the caller answers 404/405 as before).
  std::optional<Response> serve(const Request& req) const;

  std::size_t files() const { return files_.size(); }
  std::size_t bytes() const { return bytes_; }
  bool has_index() const { return files_.count("/index.html") != 0; }

 private:
  struct File {
    std::string body, gzip, brotli;
    std::string content_type;
    std::string etag;
    bool immutable = false;
  };
  Response answer(const Request& req, const File& f) const;
  std::unordered_map<std::string, File> files_;  // "/assets/app-1234.js" → file
  std::size_t bytes_ = 0;
};

// True for the paths the console never answers: /api, /v1, /mcp, /docs, /metrics, /health and below.
bool reserved_path(std::string_view path);
// The encoding to send ("br", "gzip" or "") for an Accept-Encoding header, given what exists.
std::string_view pick_encoding(std::string_view accept_encoding, bool have_br, bool have_gzip);

}  // namespace netops::http
