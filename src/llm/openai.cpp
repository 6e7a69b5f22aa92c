#include "llm/openai.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/json.hpp"
#include "llm/adapter_util.hpp"
#include "llm/pricing.hpp"

namespace netops {

namespace {

using json = nlohmann::json;

using llm_detail::int_field;
using llm_detail::text_of;

std::string string_or_empty(const json& obj, const char* key) { return llm_detail::str_or(obj, key); }

constexpr std::size_t kMaxErrorChars = 300;

std::string cut(std::string s) {  // UTF-8 safe
  if (s.size() <= kMaxErrorChars) return s;
  std::size_t n = kMaxErrorChars;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // never split a code point
  s.resize(n);
  return s + "…";
}

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '*' ||
         c == '+' || c == '/' || c == '=';
}

bool looks_like_key(std::string_view w) {
  static constexpr std::array<std::string_view, 10> kPrefixes = {"sk-", "sk_", "nk_", "pk-", "rk_",
                                                                "xai-", "gsk_", "hf_", "AKIA", "key-"};
  for (auto p : kPrefixes)
    if (w.size() > p.size() && w.substr(0, p.size()) == p) return true;
  if (w.size() < 32) return false;
  bool letter = false, digit = false;
  for (char c : w) {
    letter = letter || std::isalpha(static_cast<unsigned char>(c));
    digit = digit || std::isdigit(static_cast<unsigned char>(c));
  }
  return letter && digit;
}

}  // namespace

bool client_wants_usage(const json& req) {
  if (!req.is_object()) return false;
  auto so = req.find("stream_options");
  if (so == req.end() || !so->is_object()) return false;
  auto iu = so->find("include_usage");
  return iu != so->end() && iu->is_boolean() && iu->get<bool>();
}

json openai_request(const json& client_request, const std::string& upstream_model, bool stream) {
  json req = client_request;
  req["model"] = upstream_model;
  if (stream) {
    req["stream"] = true;
    if (!req.contains("stream_options") || !req["stream_options"].is_object()) req["stream_options"] = json::object();
    req["stream_options"]["include_usage"] = true;
  } else {
    req.erase("stream");
    req.erase("stream_options");
  }
  return req;
}

Usage openai_usage(const json& u) {
  if (!u.is_object()) return Usage{};
  std::int64_t cached = 0, writes = 0;
  if (auto d = u.find("prompt_tokens_details"); d != u.end() && d->is_object()) {
    cached = llm_detail::token_count(*d, "cached_tokens");
    writes = llm_detail::token_count(*d, "cache_write_tokens");  // OpenRouter, for providers that bill writes
  }
  return openai_usage_counts(llm_detail::token_count(u, "prompt_tokens"),
                             llm_detail::token_count(u, "completion_tokens"), cached, writes);
}

Usage openai_usage_counts(std::int64_t prompt, std::int64_t completion, std::int64_t cached,
                          std::int64_t cache_writes) {
  auto bounded = [](std::int64_t n) { return std::clamp<std::int64_t>(n, 0, llm_detail::kMaxTokenCount); };
  Usage usage;
  usage.reported = true;
  prompt = bounded(prompt);
  usage.completion_tokens = bounded(completion);
  // Cached tokens are part of OpenAI's prompt_tokens; keep the three parts disjoint and never negative.
  usage.cache_read_tokens = std::clamp<std::int64_t>(cached, 0, prompt);
  usage.cache_write_tokens = std::clamp<std::int64_t>(cache_writes, 0, prompt - usage.cache_read_tokens);
  usage.prompt_tokens = prompt - usage.cache_read_tokens - usage.cache_write_tokens;
  return usage;
}

const json& ParsedResponse::object() {
  if (response.is_null() && !bytes.empty()) response = parse_json(bytes);
  return response;
}

ParsedResponse parse_openai_response(const json& body, const std::string& client_model) {
  ParsedResponse out;
  out.response = body;
  if (!out.response.is_object()) out.response = json::object();
  out.response["model"] = client_model;
  if (auto u = body.find("usage"); body.is_object() && u != body.end()) out.usage = openai_usage(*u);
  if (auto choices = body.find("choices");
      body.is_object() && choices != body.end() && choices->is_array() && !choices->empty()) {
    const auto& first = (*choices)[0];
    if (first.is_object()) {
      if (auto m = first.find("message"); m != first.end() && m->is_object() && m->contains("content"))
        out.text = text_of((*m)["content"]);
      out.finish_reason = string_or_empty(first, "finish_reason");
    }
  }
  return out;
}

std::string sse_frame(std::string_view event, std::string_view data) {
  std::string out;
  out.reserve(data.size() + event.size() + 16);
  if (!event.empty() && event != "message") out.append("event: ").append(event).append("\n");
  std::size_t pos = 0;
  while (true) {
    auto nl = data.find('\n', pos);
    out.append("data: ").append(data.substr(pos, nl == std::string_view::npos ? nl : nl - pos)).append("\n");
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  out.append("\n");
  return out;
}

std::string OpenAiStream::feed(std::string_view event, std::string_view data) {
  if (data == "[DONE]") {
    done_ = true;
    return sse_frame(event, data);
  }
  json chunk = parse_json(data);
  if (!chunk.is_object()) return sse_frame(event, data);  // not ours to judge; the client may understand it
  if (auto e = chunk.find("error"); e != chunk.end() && !e->is_null()) {
    failed_ = true;
    error_ = e->is_object() ? safe_error_text(string_or_empty(*e, "message"))
                            : e->is_string() ? safe_error_text(e->get<std::string>()) : std::string();
    if (error_.empty()) error_ = "upstream stream error";
    return sse_frame(event, data);
  }
  bool has_choices = false;
  if (auto choices = chunk.find("choices"); choices != chunk.end() && choices->is_array()) {
    for (const auto& c : *choices) {
      if (!c.is_object()) continue;
      has_choices = true;
      bool first = int_field(c, "index") == 0;
      if (auto fr = c.find("finish_reason"); first && fr != c.end() && fr->is_string()) finish_reason_ = fr->get<std::string>();
      auto delta = c.find("delta");
      if (delta == c.end() || !delta->is_object()) continue;
      if (auto content = delta->find("content"); content != delta->end() && content->is_string()) {
        if (first) text_ += content->get_ref<const std::string&>();
        streamed_ += content->get_ref<const std::string&>();
      }
      if (auto calls = delta->find("tool_calls"); calls != delta->end() && calls->is_array())
        for (const auto& call : *calls)
          if (call.is_object() && call.contains("function") && call["function"].is_object()) {
            streamed_ += string_or_empty(call["function"], "name");
            streamed_ += string_or_empty(call["function"], "arguments");
          }
    }
  }
  if (auto u = chunk.find("usage"); u != chunk.end() && u->is_object()) {
    usage_ = openai_usage(*u);
    // choices: [] (OpenAI), null or absent (some vLLM versions): the trailing usage-only chunk.
    if (!has_choices && !client_wants_usage_) return {};
  }
  return sse_frame(event, data);
}

std::int64_t OpenAiStream::estimated_completion_tokens() const { return estimate_tokens(streamed_); }

std::string redact_secrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool redact_next = false;  // the word after "Bearer" is a credential whatever it looks like
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_key_char(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_key_char(text[j])) ++j;
    std::string_view word = text.substr(i, j - i);
    if (redact_next || looks_like_key(word)) {
      out += "[redacted]";
    } else {
      out += word;
    }
    redact_next = word == "Bearer" || word == "bearer";
    i = j;
  }
  return out;
}

std::string safe_error_text(std::string_view text) { return cut(redact_secrets(text)); }

nlohmann::ordered_json openai_usage_json(const Usage& u) {
  return {{"prompt_tokens", u.prompt_total()},
          {"completion_tokens", u.completion_tokens},
          {"total_tokens", u.total()},
          {"prompt_tokens_details", {{"cached_tokens", u.cache_read_tokens}}}};
}

std::string error_message(int status, const std::string& body) {
  json j = parse_json(body);
  std::string msg;
  if (j.is_object()) {
    if (auto e = j.find("error"); e != j.end()) {
      if (e->is_object()) msg = string_or_empty(*e, "message");
      else if (e->is_string()) msg = e->get<std::string>();
    }
    if (msg.empty()) msg = string_or_empty(j, "message");
    if (msg.empty()) msg = string_or_empty(j, "detail");
  }
  if (msg.empty()) return "upstream returned HTTP " + std::to_string(status);
  return safe_error_text(msg);
}

}  // namespace netops
