#pragma once
// What a call costs: tokens × the model's per-1k prices, in exact decimal arithmetic (SPEC §4.2).
#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "llm/decimal.hpp"
#include "llm/usage.hpp"

namespace netops {

// Per-1,000-token prices in dollars (model_configs columns). An absent price charges nothing for that part;
// absent cache prices fall back to the input price (a provider that does not discount caching).
struct Prices {
  std::optional<Decimal> per_1k_input;
  std::optional<Decimal> per_1k_output;
  std::optional<Decimal> per_1k_cache_read;
  std::optional<Decimal> per_1k_cache_write;
};

// (prompt×in + completion×out + cache_read×read + cache_write×write) / 1000, multiplied in 128 bits and
// divided once (rounded half away from zero to the pico-dollar), so splitting a call's tokens differently
// never changes its cost by more than one pico-dollar. Usage::prompt_tokens excludes cached tokens.
Decimal cost(const Usage& usage, const Prices& prices);

// Upper-bound cost for cost_optimize routing: the prompt at the input price plus the most the answer may
// cost (max_completion_tokens at the output price).
Decimal estimate_cost(std::int64_t prompt_tokens, std::int64_t max_completion_tokens, const Prices& prices);

// ceil(code points / 4): the usual rule of thumb for English text with BPE tokenisers. Used when an
// upstream reports no usage (the usage_logs row is then marked estimated) and for routing decisions.
std::int64_t estimate_tokens(std::string_view utf8_text);

// Σ over OpenAI-format messages of estimate_tokens(text parts + tool-call names and arguments) + 3 per
// message (role and framing overhead, as OpenAI's own counting guide assumes) + 85 per image part (the
// low-detail image charge; a floor, high-detail images cost more).
std::int64_t estimate_prompt_tokens(const nlohmann::json& openai_messages);

}  // namespace netops
