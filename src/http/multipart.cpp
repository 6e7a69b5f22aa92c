#include "http/multipart.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"

namespace netops::http {

namespace {

constexpr std::size_t kMaxParts = 100;
constexpr std::size_t kMaxHeaderBlock = 16 * 1024;

[[noreturn]] void malformed(const std::string& why) { throw ValidationError("body", "malformed multipart/form-data: " + why); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool bchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// Header parameters: `type; key=value; key="quoted \" value"` → type and (lower-cased key, value) pairs.
struct Params {
  std::string type;
  std::vector<std::pair<std::string, std::string>> values;
  std::optional<std::string> get(std::string_view key) const {
    for (auto& [k, v] : values)
      if (k == key) return v;
    return std::nullopt;
  }
};

std::optional<Params> parse_params(std::string_view s) {
  Params p;
  auto semi = s.find(';');
  p.type = lower(trim(s.substr(0, semi)));
  s = semi == std::string_view::npos ? std::string_view{} : s.substr(semi + 1);
  while (!trim(s).empty()) {
    s = trim(s);
    auto eq = s.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string key = lower(trim(s.substr(0, eq)));
    s = trim(s.substr(eq + 1));
    std::string value;
    if (!s.empty() && s.front() == '"') {
      std::size_t i = 1;
      for (; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value.push_back(s[i]);
      }
      if (i >= s.size()) return std::nullopt;  // unterminated quoted string
      s = trim(s.substr(i + 1));
    } else {
      auto end = s.find(';');
      value = std::string(trim(s.substr(0, end)));
      s = s.substr(end == std::string_view::npos ? s.size() : end);
    }
    if (!s.empty()) {
      if (s.front() != ';') return std::nullopt;
      s.remove_prefix(1);
    }
    p.values.emplace_back(std::move(key), std::move(value));
  }
  return p;
}

// RFC 5987 ext-value: UTF-8'lang'percent-encoded.
std::optional<std::string> decode_ext_value(std::string_view v) {
  auto q1 = v.find('\'');
  if (q1 == std::string_view::npos) return std::nullopt;
  auto q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos || lower(v.substr(0, q1)) != "utf-8") return std::nullopt;
  std::string out;
  for (std::size_t i = q2 + 1; i < v.size(); ++i) {
    if (v[i] != '%') {
      out.push_back(v[i]);
      continue;
    }
    if (i + 2 >= v.size() || !std::isxdigit(static_cast<unsigned char>(v[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(v[i + 2])))
      return std::nullopt;
    out.push_back(static_cast<char>(std::stoi(std::string(v.substr(i + 1, 2)), nullptr, 16)));
    i += 2;
  }
  return out;
}

std::string base_name(std::string name) {
  auto slash = name.find_last_of("/\\");  // some clients send a full local path
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

bool utf8_text(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) return false;
      ++i;
      continue;
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len == 0 || c > 0xF4) return false;
    if (i + len > s.size()) return true;  // cut off by the sniffing window
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += len;
  }
  return true;
}

bool looks_like_csv(std::string_view s) {
  std::vector<std::size_t> commas;
  while (!s.empty() && commas.size() < 5) {
    auto nl = s.find('\n');
    if (nl == std::string_view::npos) break;  // the last (maybe cut) line is not judged
    auto line = s.substr(0, nl);
    s.remove_prefix(nl + 1);
    if (trim(line).empty() || trim(line) == "\r") continue;
    commas.push_back(static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')));
  }
  return commas.size() >= 2 && commas.front() > 0 &&
         std::all_of(commas.begin(), commas.end(), [&](std::size_t n) { return n == commas.front(); });
}

}  // namespace

bool is_multipart(std::string_view content_type) {
  auto p = parse_params(content_type);
  return p && p->type == "multipart/form-data";
}

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto p = parse_params(content_type);
  if (!p || p->type != "multipart/form-data") return std::nullopt;
  auto b = p->get("boundary");
  if (!b || b->empty() || b->size() > 70 || b->back() == ' ' || !std::all_of(b->begin(), b->end(), bchar))
    return std::nullopt;
  return b;
}

std::vector<Part> parse_multipart(std::string_view body, std::string_view boundary) {
  const std::string delim = "--" + std::string(boundary);
  const std::string next_delim = "\r\n" + delim;
  std::size_t pos;
  if (body.substr(0, delim.size()) == delim) {
    pos = 0;
  } else {  // a preamble before the first delimiter line is allowed and ignored
    pos = body.find(next_delim);
    if (pos == std::string_view::npos) malformed("the boundary does not occur in the body");
    pos += 2;
  }
  std::vector<Part> parts;
  for (;;) {
    std::size_t after = pos + delim.size();
    if (body.substr(after, 2) == "--") break;  // close delimiter; the epilogue is ignored
    while (after < body.size() && (body[after] == ' ' || body[after] == '\t')) ++after;  // transport padding
    if (body.substr(after, 2) != "\r\n") malformed("a delimiter line must end with CRLF");
    std::size_t headers_start = after + 2;
    auto headers_end = body.find("\r\n\r\n", headers_start);
    if (body.substr(headers_start, 2) == "\r\n") malformed("a part has no headers (Content-Disposition is required)");
    if (headers_end == std::string_view::npos || headers_end - headers_start > kMaxHeaderBlock)
      malformed("part headers are not terminated by an empty line");
    Part part;
    bool disposition = false;
    std::string_view block = body.substr(headers_start, headers_end - headers_start);
    while (!block.empty()) {
      auto eol = block.find("\r\n");
      auto line = block.substr(0, eol);
      block = eol == std::string_view::npos ? std::string_view{} : block.substr(eol + 2);
      auto colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0 || line.front() == ' ' || line.front() == '\t')
        malformed("bad part header line");
      auto name = lower(line.substr(0, colon));
      auto value = trim(line.substr(colon + 1));
      if (name == "content-disposition") {
        auto p = parse_params(value);
        if (!p || p->type != "form-data" || !p->get("name")) malformed("Content-Disposition must be form-data with a name");
        disposition = true;
        part.name = *p->get("name");
        if (auto ext = p->get("filename*")) {
          auto decoded = decode_ext_value(*ext);
          if (!decoded) malformed("bad filename* parameter");
          part.filename = base_name(*decoded);
        } else if (auto fn = p->get("filename")) {
          part.filename = base_name(*fn);
        }
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    if (!disposition) malformed("a part has no Content-Disposition");
    std::size_t body_start = headers_end + 4;
    // A delimiter is the boundary followed by "--", padding or CRLF; "--abcd" is content for boundary "abc".
    auto end = body.find(next_delim, body_start);
    while (end != std::string_view::npos && end + next_delim.size() < body.size() &&
           std::string_view("- \t\r").find(body[end + next_delim.size()]) == std::string_view::npos)
      end = body.find(next_delim, end + 1);
    if (end == std::string_view::npos) malformed("the closing boundary is missing");
    part.body = body.substr(body_start, end - body_start);
    parts.push_back(std::move(part));
    if (parts.size() > kMaxParts) malformed("more than " + std::to_string(kMaxParts) + " parts");
    pos = end + 2;
  }
  if (parts.empty()) malformed("no parts");
  return parts;
}

const Part* find_part(const std::vector<Part>& parts, std::string_view name) {
  for (auto& p : parts)
    if (p.name == name) return &p;
  return nullptr;
}

std::string sniff_mime(std::string_view b) {
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts("\xFF\xD8\xFF")) return "image/jpeg";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (starts("%PDF-")) return "application/pdf";
  if (starts(std::string_view("PK\x03\x04", 4)) || starts(std::string_view("PK\x05\x06", 4))) {
    // OOXML documents are zip files whose entries name their part (local headers and central directory).
    if (b.find("word/document.xml") != std::string_view::npos)
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (b.find("xl/workbook.xml") != std::string_view::npos)
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (b.find("ppt/presentation.xml") != std::string_view::npos)
      return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    return "application/zip";
  }
  if (starts("\x1F\x8B")) return "application/gzip";
  if (b.empty()) return "application/octet-stream";
  auto window = b.substr(b.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0, 64 * 1024);
  if (utf8_text(window)) return looks_like_csv(window) ? "text/csv" : "text/plain";
  return "application/octet-stream";
}

std::string content_disposition(std::string_view filename) {
  std::string ascii, encoded;
  static constexpr std::string_view kAttrChars = "!#$&+-.^_`|~";
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : filename) {
    auto c = static_cast<unsigned char>(ch);
    ascii.push_back(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? ch : '_');
    if (std::isalnum(c) || kAttrChars.find(ch) != std::string_view::npos) {
      encoded.push_back(ch);
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 15]);
    }
  }
  if (ascii.empty()) ascii = encoded = "download";
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace netops::http
