#include "http/static_files.hpp"

#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace netops::http {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 6> kReserved = {"/api", "/v1", "/mcp", "/docs", "/metrics", "/health"};

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string content_type_of(std::string_view name) {
  auto dot = name.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"},   {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"}, {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},           {"webmanifest", "application/manifest+json"},
      {"map", "application/json"},            {"svg", "image/svg+xml"},
      {"png", "image/png"},                   {"jpg", "image/jpeg"},
      {"ico", "image/x-icon"},                {"woff2", "font/woff2"},
      {"txt", "text/plain; charset=utf-8"},   {"wav", "audio/wav"}};
  for (auto& [e, t] : kTypes)
    if (ext == e) return std::string(t);
  return "application/octet-stream";
}

// FNV-1a 64: enough to tell two builds' files apart for revalidation.
std::string etag_of_bytes(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}


}  // namespace

bool reserved_path(std::string_view path) {
  for (auto p : kReserved)
    if (path.substr(0, p.size()) == p && (path.size() == p.size() || path[p.size()] == '/')) return true;
  return false;
}

std::string_view pick_encoding(std::string_view accept, bool have_br, bool have_gzip) {
  bool br = false, gz = false;
  while (!accept.empty()) {
    auto comma = accept.find(',');
    auto item = trim(accept.substr(0, comma));
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    auto semi = item.find(';');
    auto name = trim(item.substr(0, semi));
    bool refused = false;
    if (semi != std::string_view::npos) {
      auto params = item.substr(semi + 1);
      auto q = params.find("q=");
      if (q != std::string_view::npos) {
        auto v = trim(params.substr(q + 2));
        refused = !v.empty() && v.find_first_not_of("0.") == std::string_view::npos;  // q=0, q=0.0, q=0.000
      }
    }
    if (refused) continue;
    if (iequals(name, "br")) br = true;
    if (iequals(name, "gzip")) gz = true;
  }
  if (br && have_br) return "br";
  if (gz && have_gzip) return "gzip";
  return "";
}

std::shared_ptr<const StaticFiles> StaticFiles::load(const std::string& dir, StaticLimits limits) {
  auto out = std::make_shared<StaticFiles>();
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return out;
  const fs::path root = fs::canonical(dir);
  std::vector<fs::path> compressed;
  std::size_t seen = 0;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::none); it != fs::end(it); ++it) {
    const auto st = it->symlink_status();
    if (!fs::is_regular_file(st)) continue;  // directories are walked; links and devices are skipped
    if (++seen > limits.max_files)
      throw std::runtime_error("the console directory " + root.string() + " has more than " +
                               std::to_string(limits.max_files) + " files");
    auto size = it->file_size();
    if (size > limits.max_bytes || out->bytes_ + size > limits.max_bytes)
      throw std::runtime_error("the console directory " + root.string() + " holds more than " +
                               std::to_string(limits.max_bytes) + " bytes");
    out->bytes_ += size;
    const auto ext = it->path().extension();
    if (ext == ".gz" || ext == ".br") {
      compressed.push_back(it->path());
      continue;
    }
    std::string key = "/" + fs::relative(it->path(), root).generic_string();
    File f;
    f.body = read_all(it->path());
    f.content_type = content_type_of(key);
    f.etag = etag_of_bytes(f.body);
    f.immutable = key.rfind("/assets/", 0) == 0;
    out->files_.emplace(std::move(key), std::move(f));
  }
  for (auto& p : compressed) {
    auto base = p;
    base.replace_extension();
    auto found = out->files_.find("/" + fs::relative(base, root).generic_string());
    if (found == out->files_.end()) continue;  // a compressed file without its original is not served
    (p.extension() == ".br" ? found->second.brotli : found->second.gzip) = read_all(p);
  }
  return out;
}

Response StaticFiles::answer(const Request& req, const File& f) const {
  Response r;
  r.content_type = f.content_type;
  r.header("Cache-Control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.header("ETag", f.etag);
  r.header("Vary", "Accept-Encoding");
  r.header("Content-Security-Policy", std::string(kConsoleCsp));
  r.header("X-Content-Type-Options", "nosniff");
  r.header("Referrer-Policy", "no-referrer");
  r.header("X-Frame-Options", "DENY");
  if (auto inm = req.header("if-none-match"); inm && inm->find(f.etag) != std::string_view::npos) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  auto enc = pick_encoding(req.header("accept-encoding").value_or(""), !f.brotli.empty(), !f.gzip.empty());
  if (enc == "br") {
    r.body = f.brotli;
    r.header("Content-Encoding", "br");
  } else if (enc == "gzip") {
    r.body = f.gzip;
    r.header("Content-Encoding", "gzip");
  } else {
    r.body = f.body;
  }
  return r;
}

std::optional<Response> StaticFiles::serve(const Request& req) const {
  if (req.method != "GET" && req.method != "HEAD") return std::nullopt;
  const std::string& path = req.path;
  if (path.empty() || path.front() != '/' || reserved_path(path)) return std::nullopt;
  if (path.find('\0') != std::string::npos) return std::nullopt;
  // "/" and "/index.html" are the shell itself; a known file is served as it is.
  if (path != "/") {
    if (auto it = files_.find(path); it != files_.end()) return answer(req, it->second);
  }
  // Not a file: a client route (no dot in the last segment) gets the shell, anything else is a 404.
  auto last = path.substr(path.rfind('/') + 1);
  if (last.find('.') != std::string::npos) return std::nullopt;
  auto index = files_.find("/index.html");
  if (index == files_.end()) return std::nullopt;
  return answer(req, index->second);
}

}  // namespace netops::http
