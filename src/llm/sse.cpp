#include "llm/sse.hpp"

#include <cstring>
#include <stdexcept>

namespace netops::llm {
namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::size_t kBomDone = 4;

// The first '\r' or '\n' at or after i (npos: none). Two memchr calls: find_first_of("\r\n") compares
// every byte against the set one call at a time, which was most of the parser's time.
std::size_t line_end(std::string_view b, std::size_t i) {
  const char* p = b.data();
  const void* nl = std::memchr(p + i, '\n', b.size() - i);
  const std::size_t limit = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - p) : b.size();
  if (const void* cr = std::memchr(p + i, '\r', limit - i))
    return static_cast<std::size_t>(static_cast<const char*>(cr) - p);
  return nl ? limit : std::string_view::npos;
}
}  // namespace

std::vector<SseEvent> SseParser::feed(std::string_view bytes) {
  std::vector<SseEvent> out;
  feed(bytes, out);
  return out;
}

void SseParser::feed(std::string_view bytes, std::vector<SseEvent>& out) {
  // One leading byte order mark is skipped; its bytes may arrive in separate pieces, so a partial
  // match is remembered (a stream that merely starts like a BOM gets those bytes back as text).
  while (bom_checked_ < kBomDone && !bytes.empty()) {
    if (bytes.front() == kBom[bom_checked_]) {
      bytes.remove_prefix(1);
      if (++bom_checked_ == kBom.size()) bom_checked_ = kBomDone;
    } else {
      std::string_view matched = kBom.substr(0, bom_checked_);
      bom_checked_ = kBomDone;
      if (!matched.empty()) {
        std::string replay(matched);  // cannot contain a line end
        replay.append(bytes);
        return feed(replay, out);
      }
    }
  }
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (after_cr_) {
      after_cr_ = false;
      if (bytes[i] == '\n') {
        ++i;
        continue;
      }
    }
    std::size_t end = line_end(bytes, i);
    if (end == std::string_view::npos) {
      if (line_.size() + (bytes.size() - i) > max_) throw std::length_error("SSE line exceeds the limit");
      line_.append(bytes.substr(i));
      return;
    }
    after_cr_ = bytes[end] == '\r';
    if (line_.empty()) {
      line(bytes.substr(i, end - i), out);  // the common case: the whole line is in this piece
    } else {
      if (line_.size() + (end - i) > max_) throw std::length_error("SSE line exceeds the limit");
      line_.append(bytes.substr(i, end - i));
      std::string whole = std::move(line_);
      line_.clear();
      line(whole, out);
    }
    i = end + 1;
  }
}

void SseParser::line(std::string_view l, std::vector<SseEvent>& out) {
  if (l.empty()) return dispatch(out);
  if (l.front() == ':') return;  // comment (often a keep-alive)
  std::string_view field = l, value;
  if (auto colon = l.find(':'); colon != std::string_view::npos) {
    field = l.substr(0, colon);
    value = l.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (data_.size() + value.size() + 1 > max_) throw std::length_error("SSE event data exceeds the limit");
    data_.append(value);
    data_.push_back('\n');
  } else if (field == "event") {
    event_.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  }
  // "retry" and unknown fields are ignored: the gateway does not reconnect on its own.
}

void SseParser::dispatch(std::vector<SseEvent>& out) {
  if (data_.empty()) {
    event_.clear();
    return;
  }
  data_.pop_back();  // the '\n' after the last data line
  SseEvent ev;
  ev.event = event_.empty() ? std::string("message") : std::move(event_);
  ev.data = std::move(data_);
  ev.id = last_id_;
  out.push_back(std::move(ev));
  data_.clear();
  event_.clear();
}

}  // namespace netops::llm
