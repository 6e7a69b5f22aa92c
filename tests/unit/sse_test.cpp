// SSE framing (WHATWG "event stream interpretation"): table-driven cases, then the property that the
// events never depend on where the byte stream was split.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "llm/sse.hpp"

namespace {
using netops::llm::SseEvent;
using netops::llm::SseParser;
using namespace std::string_literals;

std::vector<SseEvent> parse_whole(const std::string& s) {
  SseParser p;
  return p.feed(s);
}

std::vector<SseEvent> parse_pieces(const std::string& s, const std::vector<std::size_t>& cuts) {
  SseParser p;
  std::vector<SseEvent> out;
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    p.feed(std::string_view(s).substr(from, cut - from), out);
    from = cut;
  }
  p.feed(std::string_view(s).substr(from), out);
  return out;
}

std::string show(const std::vector<SseEvent>& evs) {
  std::string out;
  for (auto& e : evs) out += "{event=" + e.event + " data=" + e.data + " id=" + e.id + "}";
  return out;
}

struct Case {
  const char* name;
  std::string input;
  std::vector<SseEvent> expected;
};

SseEvent ev(std::string data, std::string event = "message", std::string id = "") {
  return SseEvent{std::move(event), std::move(data), std::move(id)};
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"one event", "data: hello\n\n", {ev("hello")}},
      {"data lines join with LF", "data: a\ndata: b\ndata: c\n\n", {ev("a\nb\nc")}},
      {"CRLF line ends", "data: a\r\ndata: b\r\n\r\n", {ev("a\nb")}},
      {"CR line ends", "data: a\rdata: b\r\r", {ev("a\nb")}},
      {"LF then CR is two line ends", "data: a\n\rdata: b\n\n", {ev("a"), ev("b")}},
      {"mixed line ends", "data: 1\r\n\rdata: 2\n\r\ndata: 3\r\r", {ev("1"), ev("2"), ev("3")}},
      {"no space after colon", "data:x\n\n", {ev("x")}},
      {"only one space stripped", "data:  x \n\n", {ev(" x ")}},
      {"colon in the value stays", "data: a: b:c\n\n", {ev("a: b:c")}},
      {"comment ignored", ": keep-alive\n\n: another\ndata: x\n\n", {ev("x")}},
      {"event type", "event: add\ndata: 1\n\n", {ev("1", "add")}},
      {"event type resets after dispatch", "event: add\ndata: 1\n\ndata: 2\n\n", {ev("1", "add"), ev("2")}},
      {"event without data is not dispatched and forgotten", "event: ping\n\ndata: x\n\n", {ev("x")}},
      {"blank lines alone dispatch nothing", "\n\n\r\n\r\r", {}},
      {"several blank lines after one event", "data: a\n\n\n\n", {ev("a")}},
      {"id persists across events", "id: 7\ndata: a\n\ndata: b\n\n", {ev("a", "message", "7"), ev("b", "message", "7")}},
      {"empty id resets", "id: 7\ndata: a\n\nid\ndata: b\n\n", {ev("a", "message", "7"), ev("b", "message", "")}},
      {"id with NUL ignored", "id: 1\ndata: a\n\nid: x\0y\ndata: b\n\n"s,
       {ev("a", "message", "1"), ev("b", "message", "1")}},
      {"id set by an undispatched event still counts", "id: 9\n\ndata: a\n\n", {ev("a", "message", "9")}},
      {"retry and unknown fields ignored", "retry: 1000\nfoo: bar\ndata: x\n\n", {ev("x")}},
      {"field name without colon", "data\n\n", {ev("")}},
      {"empty data line dispatches an empty event", "data:\n\n", {ev("")}},
      {"two empty data lines", "data\ndata\n\n", {ev("\n")}},
      {"field names are case sensitive", "Data: x\n\ndata: y\n\n", {ev("y")}},
      {"unterminated event at the end is dropped", "data: a\n\ndata: b\n", {ev("a")}},
      {"unterminated line at the end is dropped", "data: a\n\ndata: b", {ev("a")}},
      {"leading BOM skipped", "\xEF\xBB\xBF" "data: a\n\n", {ev("a")}},
      {"second BOM is part of the field name", "\xEF\xBB\xBF\xEF\xBB\xBF" "data: a\n\ndata: b\n\n", {ev("b")}},
      {"bytes that only start like a BOM are kept", "\xEF\xBB" "x\n\ndata: a\n\n", {ev("a")}},
      {"UTF-8 data", "data: h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80\n\n", {ev("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80")}},
      {"OpenAI-style stream",
       "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n",
       {ev("{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}"), ev("[DONE]")}},
      {"Anthropic-style stream",
       "event: message_start\ndata: {\"type\":\"message_start\"}\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n"
       "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
       {ev("{\"type\":\"message_start\"}", "message_start"), ev("{\"type\": \"ping\"}", "ping"),
        ev("{\"type\":\"message_stop\"}", "message_stop")}},
  };
  return all;
}

TEST(SseParser, Table) {
  for (auto& c : cases()) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(show(parse_whole(c.input)), show(c.expected));
  }
}

TEST(SseParser, EventsComeOutAsSoonAsTheirBlankLineArrives) {
  SseParser p;
  EXPECT_TRUE(p.feed("data: a\n").empty());
  EXPECT_TRUE(p.has_partial_event());
  auto evs = p.feed("\n");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "a");
  EXPECT_FALSE(p.has_partial_event());
}

TEST(SseParser, CrAtTheEndOfOnePieceAndLfAtTheStartOfTheNextAreOneLineEnd) {
  SseParser p;
  EXPECT_TRUE(p.feed("data: a\r").empty());
  EXPECT_TRUE(p.feed("\n").empty());  // the LF completes "\r\n", it is not a blank line
  auto evs = p.feed("\r\n");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "a");
}

TEST(SseParser, OverlongLineOrEventIsRefused) {
  SseParser small(64);
  EXPECT_THROW(small.feed(std::string(100, 'x')), std::length_error);
  SseParser split(64);
  split.feed(std::string(40, 'x'));
  EXPECT_THROW(split.feed(std::string(40, 'x')), std::length_error);
  SseParser data(64);
  EXPECT_THROW(
      {
        for (int i = 0; i < 10; ++i) data.feed("data: 0123456789\n");
      },
      std::length_error);
}

// Every case of the table, and one stream with all of them, split at every position, at every pair of
// positions, byte by byte, and at random: always the events of the whole.
std::string everything() {
  std::string all;
  for (auto& c : cases())
    if (c.input.rfind("\xEF\xBB\xBF", 0) != 0 && c.input.rfind("\xEF\xBB", 0) != 0) all += c.input + "\n\n";
  return all;
}

TEST(SseParser, SplitAtEveryPositionGivesTheSameEvents) {
  std::vector<std::string> inputs;
  for (auto& c : cases()) inputs.push_back(c.input);
  inputs.push_back(everything());
  for (auto& s : inputs) {
    auto whole = show(parse_whole(s));
    for (std::size_t i = 0; i <= s.size(); ++i) {
      std::vector<std::size_t> cuts{i};
      ASSERT_EQ(show(parse_pieces(s, cuts)), whole) << "split at " << i << " of " << s.size();
    }
  }
}

TEST(SseParser, SplitAtEveryPairOfPositionsGivesTheSameEvents) {
  for (auto& c : cases()) {
    auto whole = show(parse_whole(c.input));
    for (std::size_t i = 0; i <= c.input.size(); ++i)
      for (std::size_t j = i; j <= c.input.size(); ++j) {
        std::vector<std::size_t> cuts{i, j};
        ASSERT_EQ(show(parse_pieces(c.input, cuts)), whole) << c.name << ": splits " << i << ", " << j;
      }
  }
}

TEST(SseParser, ByteByByteGivesTheSameEvents) {
  auto s = everything();
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < s.size(); ++i) cuts.push_back(i);
  EXPECT_EQ(show(parse_pieces(s, cuts)), show(parse_whole(s)));
  for (auto& c : cases()) {
    std::vector<std::size_t> each;
    for (std::size_t i = 1; i < c.input.size(); ++i) each.push_back(i);
    EXPECT_EQ(show(parse_pieces(c.input, each)), show(c.expected)) << c.name;
  }
}

TEST(SseParser, RandomSplitsGiveTheSameEvents) {
  auto s = everything();
  auto whole = show(parse_whole(s));
  std::mt19937 rng(12345);
  for (int round = 0; round < 500; ++round) {
    std::vector<std::size_t> cuts;
    std::size_t at = 0;
    while (true) {
      at += 1 + rng() % 17;
      if (at >= s.size()) break;
      cuts.push_back(at);
    }
    ASSERT_EQ(show(parse_pieces(s, cuts)), whole) << "round " << round;
  }
}

TEST(SseParser, BomSplitAcrossPiecesIsStillSkipped) {
  std::string s = "\xEF\xBB\xBF" "data: a\n\n";
  for (std::size_t i = 0; i <= 4; ++i)
    for (std::size_t j = i; j <= 4; ++j) {
      std::vector<std::size_t> cuts{i, j};
      EXPECT_EQ(show(parse_pieces(s, cuts)), show({ev("a")})) << i << "," << j;
    }
}

}  // namespace
