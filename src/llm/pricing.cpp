#include "llm/pricing.hpp"
#include "core/json.hpp"

#include <string>

namespace netops {

namespace {

constexpr std::int64_t kMessageOverhead = 3;
constexpr std::int64_t kImageTokens = 85;

__int128 part(std::int64_t tokens, const std::optional<Decimal>& price) {
  return price ? __int128(tokens) * price->raw() : 0;
}

const std::optional<Decimal>& or_input(const std::optional<Decimal>& price, const Prices& p) {
  return price ? price : p.per_1k_input;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // count every byte that is not a continuation byte
  return n;
}

}  // namespace

Decimal cost(const Usage& u, const Prices& p) {
  __int128 sum = part(u.prompt_tokens, p.per_1k_input) + part(u.completion_tokens, p.per_1k_output) +
                 part(u.cache_read_tokens, or_input(p.per_1k_cache_read, p)) +
                 part(u.cache_write_tokens, or_input(p.per_1k_cache_write, p));
  return decimal_from_wide_ratio(sum, 1000);
}

Decimal estimate_cost(std::int64_t prompt_tokens, std::int64_t max_completion_tokens, const Prices& prices) {
  Usage u;
  u.prompt_tokens = prompt_tokens;
  u.completion_tokens = max_completion_tokens;
  return cost(u, prices);
}

std::int64_t estimate_tokens(std::string_view text) {
  return static_cast<std::int64_t>((code_points(text) + 3) / 4);
}

std::int64_t estimate_prompt_tokens(const nlohmann::json& messages) {
  if (!messages.is_array()) return 0;
  std::int64_t total = 0;
  for (const auto& m : messages) {
    if (!m.is_object()) continue;
    total += kMessageOverhead;
    std::string text;
    if (auto c = m.find("content"); c != m.end()) {
      if (c->is_string()) {
        text += c->get_ref<const std::string&>();
      } else if (c->is_array()) {
        for (const auto& part : *c) {
          if (!part.is_object()) continue;
          auto type = string_member(part, "type");
          if (type == "text" && part.contains("text") && part["text"].is_string())
            text += part["text"].get_ref<const std::string&>();
          else if (type == "image_url" || type == "image")
            total += kImageTokens;
        }
      }
    }
    if (auto calls = m.find("tool_calls"); calls != m.end() && calls->is_array()) {
      for (const auto& call : *calls) {
        if (!call.is_object() || !call.contains("function") || !call["function"].is_object()) continue;
        const auto& fn = call["function"];
        if (fn.contains("name") && fn["name"].is_string()) text += fn["name"].get_ref<const std::string&>();
        if (fn.contains("arguments") && fn["arguments"].is_string())
          text += fn["arguments"].get_ref<const std::string&>();
      }
    }
    total += estimate_tokens(text);
  }
  return total;
}

}  // namespace netops
