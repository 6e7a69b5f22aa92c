#pragma once
// Server-Sent Events framing (WHATWG HTML, "event stream interpretation") for upstream LLM streams.
// The parser is fed raw bytes as they arrive, split anywhere (inside a line, a "\r\n" pair or a UTF-8
// sequence), and returns the events completed by those bytes — the same events as for the whole stream.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace netops::llm {

struct SseEvent {
  std::string event;  // the "event" field; "message" when the event had none (as EventSource reports it)
  std::string data;   // "data" lines joined with '\n'
  std::string id;     // the last event id seen so far in the stream (it persists across events)
  bool operator==(const SseEvent&) const = default;
};

class SseParser {
 public:
  // A line or an event's data longer than max_event_bytes throws std::length_error: an upstream cannot
  // make the gateway buffer without bound.
  explicit SseParser(std::size_t max_event_bytes = 16u << 20) : max_(max_event_bytes) {}

  std::vector<SseEvent> feed(std::string_view bytes);
  // Appends to `out` instead of returning a new vector (no allocation when nothing completes).
  void feed(std::string_view bytes, std::vector<SseEvent>& out);

  // What the stream left unfinished: an event without its blank line is discarded at end of stream.
  bool has_partial_event() const { return !line_.empty() || !data_.empty() || !event_.empty(); }
  const std::string& last_event_id() const { return last_id_; }

 private:
  void line(std::string_view l, std::vector<SseEvent>& out);
  void dispatch(std::vector<SseEvent>& out);

  std::size_t max_;
  std::string line_;   // the current line, until its end arrives
  std::string data_;   // data buffer (each line followed by '\n')
  std::string event_;  // event type buffer
  std::string last_id_;
  bool after_cr_ = false;       // the previous byte ended a line with '\r': a following '\n' belongs to it
  std::size_t bom_checked_ = 0;  // bytes of a leading UTF-8 BOM matched so far; 3 + 1 once decided
};

}  // namespace netops::llm
