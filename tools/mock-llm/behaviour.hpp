#pragma once
// The pure logic of the mock upstream: which behaviour a model name asks for, what the answer is and
// what it costs in tokens. Header-only and free of I/O so unit tests can include it without linking the
// mock; the wire formats (openai.cpp, anthropic.cpp) turn a Conversation into an Answer through decide().
#include <algorithm>
#include <cstddef>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mockllm {

enum class Kind { echo, slow, fail, flaky, tools, nousage, hedge, long_text, inspect, agent };

struct Behaviour {
  Kind kind = Kind::echo;
  long param = 0;  // slow: milliseconds, fail: HTTP status, flaky: failing calls, long: words
};

inline constexpr std::string_view kHedgeAnswer = "I'm not sure. It might be, maybe, but I cannot say for certain.";
inline constexpr long kMaxSlowMs = 600'000;
inline constexpr long kMaxLongWords = 1'000'000;

// "mock/echo" and "echo" name the same behaviour: only the part after the last '/' counts.
inline std::string_view model_leaf(std::string_view model) {
  auto slash = model.rfind('/');
  return slash == std::string_view::npos ? model : model.substr(slash + 1);
}

// The digits at the start of s ("250" of "250-x"); anything after them is ignored, so tests can make
// model names unique ("flaky-2-suiteA") and still get the behaviour.
inline std::optional<long> leading_number(std::string_view s) {
  long n = 0;
  std::size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (n > 100'000'000) return std::nullopt;
    n = n * 10 + (s[i] - '0');
  }
  if (i == 0) return std::nullopt;
  return n;
}

inline Behaviour parse_behaviour(std::string_view model) {
  auto leaf = model_leaf(model);
  auto number_after = [&](std::string_view prefix) -> std::optional<long> {
    if (leaf.substr(0, prefix.size()) != prefix) return std::nullopt;
    return leading_number(leaf.substr(prefix.size()));
  };
  if (leaf == "tools") return {Kind::tools, 0};
  if (leaf.substr(0, 10) == "agent-loop") return {Kind::agent, 1};
  if (leaf.substr(0, 5) == "agent") return {Kind::agent, 0};
  if (leaf == "nousage") return {Kind::nousage, 0};
  if (leaf == "hedge") return {Kind::hedge, 0};
  if (leaf.substr(0, 7) == "inspect") return {Kind::inspect, 0};
  if (auto n = number_after("slow-")) return {Kind::slow, std::min(*n, kMaxSlowMs)};
  if (auto n = number_after("fail-"); n && *n >= 400 && *n <= 599) return {Kind::fail, *n};
  if (auto n = number_after("flaky-")) return {Kind::flaky, *n};
  if (auto n = number_after("long-")) return {Kind::long_text, std::min(*n, kMaxLongWords)};
  return {Kind::echo, 0};
}

// ---- text and tokens -------------------------------------------------------------------------------

// Characters are UTF-8 code points (continuation bytes are not counted).
inline std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The longest prefix of s with at most max_chars code points.
inline std::string_view utf8_prefix(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars) return s.substr(0, i);
    ++chars;
  }
  return s;
}

// Byte offset <= at that does not split a code point (at least one code point when at > 0).
inline std::size_t utf8_cut(std::string_view s, std::size_t at) {
  if (at >= s.size()) return s.size();
  std::size_t cut = at;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  if (cut == 0) {  // one code point longer than `at`: take it whole
    cut = 1;
    while (cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) ++cut;
  }
  return cut;
}

inline long tokens_for_chars(std::size_t chars) { return static_cast<long>((chars + 3) / 4); }

// Stream pieces that look like tokens: a word with its leading whitespace, at most max_bytes long.
inline std::vector<std::string_view> split_pieces(std::string_view text, std::size_t max_bytes = 8) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = i;
    while (end < text.size() && (text[end] == ' ' || text[end] == '\n' || text[end] == '\t')) ++end;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n' && text[end] != '\t') ++end;
    auto piece = text.substr(i, end - i);
    if (piece.size() > max_bytes) piece = piece.substr(0, utf8_cut(piece, max_bytes));
    out.push_back(piece);
    i += piece.size();
  }
  return out;
}

// Fixed-size fragments (for tool-call arguments), never splitting a code point.
inline std::vector<std::string_view> split_fragments(std::string_view text, std::size_t max_bytes = 8) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    auto n = utf8_cut(text, max_bytes);
    out.push_back(text.substr(0, n));
    text.remove_prefix(n);
  }
  return out;
}

inline std::string lorem_words(long n) {
  static constexpr std::string_view kWords[] = {
      "lorem",   "ipsum",  "dolor",      "sit", "amet",   "consectetur", "adipiscing", "elit",  "sed",   "do",
      "eiusmod", "tempor", "incididunt", "ut",  "labore", "et",          "dolore",     "magna", "aliqua"};
  constexpr long kCount = static_cast<long>(std::size(kWords));
  std::string out;
  out.reserve(static_cast<std::size_t>(n) * 7);
  for (long i = 0; i < n; ++i) {
    if (i) out += ' ';
    out += kWords[i % kCount];
  }
  return out;
}

// ---- tool arguments ----------------------------------------------------------------------------------

inline nlohmann::ordered_json example_arguments(const nlohmann::json& schema, int depth = 0);

// A plausible value for one JSON-schema property: enum → first value, string → "example",
// number/integer → 1, boolean → true, object → its required properties, array → one item.
inline nlohmann::ordered_json example_value(const nlohmann::json& schema, int depth = 0) {
  if (!schema.is_object() || depth > 8) return "example";
  if (auto e = schema.find("enum"); e != schema.end() && e->is_array() && !e->empty()) return e->front();
  if (auto c = schema.find("const"); c != schema.end()) return *c;
  std::string type;
  if (auto t = schema.find("type"); t != schema.end()) {
    if (t->is_string()) type = t->get<std::string>();
    if (t->is_array())
      for (auto& one : *t)
        if (one.is_string() && one != "null") {
          type = one.get<std::string>();
          break;
        }
  }
  if (type.empty()) {
    for (auto key : {"anyOf", "oneOf", "allOf"})
      if (auto alt = schema.find(key); alt != schema.end() && alt->is_array() && !alt->empty())
        return example_value(alt->front(), depth + 1);
    if (schema.contains("properties")) type = "object";
  }
  if (type == "number" || type == "integer") return 1;
  if (type == "boolean") return true;
  if (type == "null") return nullptr;
  if (type == "object") return example_arguments(schema, depth + 1);
  if (type == "array") {
    auto items = schema.find("items");
    if (items == schema.end() || !items->is_object()) return nlohmann::ordered_json::array();
    return nlohmann::ordered_json::array({example_value(*items, depth + 1)});
  }
  return "example";
}

// An object holding every required property of an object schema (in the order `required` lists them).
inline nlohmann::ordered_json example_arguments(const nlohmann::json& schema, int depth) {
  auto out = nlohmann::ordered_json::object();
  if (!schema.is_object() || depth > 8) return out;
  auto required = schema.find("required");
  if (required == schema.end() || !required->is_array()) return out;
  static const nlohmann::json kNone = nlohmann::json::object();
  auto props = schema.find("properties");
  for (auto& name : *required) {
    if (!name.is_string()) continue;
    const nlohmann::json* prop = &kNone;
    if (props != schema.end() && props->is_object())
      if (auto p = props->find(name.get<std::string>()); p != props->end()) prop = &*p;
    out[name.get<std::string>()] = example_value(*prop, depth);
  }
  return out;
}

// ---- conversation → answer ---------------------------------------------------------------------------

// What both wire formats reduce a request to.
struct Conversation {
  std::size_t prompt_chars = 0;            // characters of every message's content, system prompt included
  std::size_t messages = 0;                // messages, a system prompt counting as one
  std::string last_user_text;              // text parts of the last user message, concatenated
  std::optional<std::string> tool_result;  // set when the conversation ends with tool results
  std::optional<std::string> tool_name;    // the first tool offered
  std::vector<std::string> offered_tools;  // every tool offered, in order
  std::string last_instruction;            // text of the last user message that has text (agent)
  nlohmann::json tool_schema = nlohmann::json::object();
  std::optional<long> max_tokens;
  // Every message as the upstream received it (system prompt first): role and text. `inspect` answers it.
  std::vector<std::pair<std::string, std::string>> transcript;

  long prompt_tokens() const { return tokens_for_chars(prompt_chars) + 3 * static_cast<long>(messages); }
};

struct Answer {
  enum class Type { text, tool_call, error } type = Type::text;
  std::string text;
  std::string tool_name;
  std::string tool_arguments;  // compact JSON object
  std::vector<std::pair<std::string, std::string>> more_calls;  // agent: further calls of the same turn
  bool truncated = false;      // cut at max_tokens
  int status = 200;            // for Type::error
  std::string error_message;
  bool usage = true;
  long delay_ms = 0;
  long prompt_tokens = 0;
  long completion_tokens = 0;
};

// ---- agent: tool calls scripted in the user's message -------------------------------------------------

// Lines "CALL <tool> <JSON object>" of a message, in order (at most 8); arguments default to {} and
// anything that is not a JSON object becomes {}.
inline std::vector<std::pair<std::string, std::string>> scripted_calls(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty() && out.size() < 8) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    if (line.substr(0, 5) != "CALL ") continue;
    line.remove_prefix(5);
    auto sp = line.find(' ');
    std::string name(line.substr(0, sp));
    std::string_view rest = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
    auto args = nlohmann::ordered_json::parse(rest.begin(), rest.end(), nullptr, false);
    if (name.empty()) continue;
    out.emplace_back(std::move(name), args.is_object() ? args.dump() : std::string("{}"));
  }
  return out;
}

// prior_calls: requests already served for this exact model name (flaky-<n> fails the first n).
inline Answer decide(const Behaviour& b, const Conversation& c, long prior_calls) {
  Answer a;
  a.prompt_tokens = c.prompt_tokens();
  auto fail = [&](int status, std::string message) {
    a.type = Answer::Type::error;
    a.status = status;
    a.error_message = std::move(message);
    return a;
  };
  switch (b.kind) {
    case Kind::fail:
      return fail(static_cast<int>(b.param),
                  "Mock upstream failure: HTTP " + std::to_string(b.param) + " requested by the model name.");
    case Kind::flaky:
      if (prior_calls < b.param)
        return fail(503, "Mock upstream is flaky: call " + std::to_string(prior_calls + 1) + " of the first " +
                             std::to_string(b.param) + " fails.");
      a.text = c.last_user_text;
      break;
    case Kind::tools:
      if (c.tool_result) {
        a.text = "Tool result: " + *c.tool_result;
      } else if (c.tool_name) {
        a.type = Answer::Type::tool_call;
        a.tool_name = *c.tool_name;
        a.tool_arguments = example_arguments(c.tool_schema).dump();
        a.completion_tokens = tokens_for_chars(utf8_length(a.tool_arguments) + utf8_length(a.tool_name));
        return a;
      } else {
        a.text = c.last_user_text;
      }
      break;
    case Kind::agent: {
      // agent: the calls scripted in the last user message, once (then "Tool result: …" like tools);
      // agent-loop: the same calls again after every result — it never stops by itself.
      auto calls = scripted_calls(c.last_instruction);
      if (!calls.empty() && !c.offered_tools.empty() && (!c.tool_result || b.param == 1)) {
        a.type = Answer::Type::tool_call;
        a.tool_name = calls[0].first;
        a.tool_arguments = calls[0].second;
        a.more_calls.assign(calls.begin() + 1, calls.end());
        std::size_t chars = 0;
        for (const auto& [n, args] : calls) chars += utf8_length(n) + utf8_length(args);
        a.completion_tokens = tokens_for_chars(chars);
        return a;
      }
      a.text = c.tool_result ? "Tool result: " + *c.tool_result : c.last_user_text;
      break;
    }
    case Kind::hedge:
      a.text = std::string(kHedgeAnswer);
      break;
    case Kind::long_text:
      a.text = lorem_words(b.param);
      break;
    case Kind::slow:
      a.delay_ms = b.param;
      a.text = c.last_user_text;
      break;
    case Kind::nousage:
      a.usage = false;
      a.text = c.last_user_text;
      break;
    case Kind::echo:
      a.text = c.last_user_text;
      break;
    case Kind::inspect: {
      auto list = nlohmann::json::array();
      for (const auto& [role, text] : c.transcript) list.push_back({{"role", role}, {"content", text}});
      a.text = list.dump();
      break;
    }
  }
  if (c.max_tokens && *c.max_tokens > 0) {
    auto limit = static_cast<std::size_t>(*c.max_tokens) * 4;
    if (utf8_length(a.text) > limit) {
      a.text = std::string(utf8_prefix(a.text, limit));
      a.truncated = true;
    }
  }
  a.completion_tokens = tokens_for_chars(utf8_length(a.text));
  return a;
}

// ---- provider error vocabularies -----------------------------------------------------------------

struct OpenAiErrorKind {
  std::string_view type;
  std::string_view code;
};

inline OpenAiErrorKind openai_error_kind(int status) {
  switch (status) {
    case 400:
      return {"invalid_request_error", "invalid_request_error"};
    case 401:
      return {"authentication_error", "invalid_api_key"};
    case 403:
      return {"permission_error", "permission_denied"};
    case 404:
      return {"not_found_error", "model_not_found"};
    case 405:
      return {"invalid_request_error", "method_not_allowed"};
    case 408:
      return {"server_error", "timeout"};
    case 409:
      return {"invalid_request_error", "conflict"};
    case 413:
      return {"invalid_request_error", "request_too_large"};
    case 422:
      return {"invalid_request_error", "unprocessable_entity"};
    case 429:
      return {"rate_limit_exceeded", "rate_limit_exceeded"};
    case 500:
      return {"server_error", "server_error"};
    case 502:
      return {"server_error", "bad_gateway"};
    case 503:
      return {"service_unavailable", "service_unavailable"};
    case 504:
      return {"server_error", "timeout"};
    default:
      return status < 500 ? OpenAiErrorKind{"invalid_request_error", "invalid_request_error"}
                          : OpenAiErrorKind{"server_error", "server_error"};
  }
}

inline std::string_view anthropic_error_type(int status) {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    default:
      return status < 500 ? "invalid_request_error" : "api_error";
  }
}

}  // namespace mockllm
