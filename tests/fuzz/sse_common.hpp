#pragma once
// The SSE framing both stream targets share: the input is fed to SseParser whole and again cut into pieces at
// positions the fuzzer picks (a network read can end anywhere: inside a line, a CRLF or a UTF-8 sequence); both
// must give the same events (sse.hpp promises it).
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "llm/sse.hpp"
#include "support.hpp"

namespace netops::fuzz {

// nullopt when the parser refused the stream (a line or event over the limit: the call fails cleanly).
inline std::optional<std::vector<llm::SseEvent>> sse_events(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kLimit = 64 * 1024;
  if (size == 0) return std::vector<llm::SseEvent>{};
  // First byte: the piece sizes' seed; the rest is the stream.
  unsigned seed = data[0];
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<llm::SseEvent> whole, pieces;
  bool whole_ok = true, pieces_ok = true;
  llm::SseParser a(kLimit), b(kLimit);
  try {
    a.feed(bytes, whole);
  } catch (const std::length_error&) {
    whole_ok = false;
  }
  try {
    std::size_t at = 0;
    while (at < bytes.size()) {
      seed = seed * 1103515245u + 12345u;
      std::size_t n = 1 + (seed >> 16) % 7;
      if (n > bytes.size() - at) n = bytes.size() - at;
      b.feed(bytes.substr(at, n), pieces);
      at += n;
    }
  } catch (const std::length_error&) {
    pieces_ok = false;
  }
  if (!whole_ok || !pieces_ok) return std::nullopt;
  check(whole == pieces, "SSE events depend on where the stream was cut");
  check(a.has_partial_event() == b.has_partial_event(), "partial-event state depends on the cuts");
  check(a.last_event_id() == b.last_event_id(), "last event id depends on the cuts");
  for (auto& e : whole) check(e.event.find_first_of("\r\n") == std::string::npos, "an event name holds a line end");
  return whole;
}

// Parses bytes the gateway writes to a client (whole, as the client may receive them) back into events.
inline std::vector<llm::SseEvent> reparse(std::string_view written) {
  llm::SseParser p;
  auto events = p.feed(written);
  check(!p.has_partial_event(), "the gateway wrote an unterminated SSE event");
  return events;
}

}  // namespace netops::fuzz
