#pragma once
// Token counts of one upstream call, in the shape accounting and pricing need.
#include <cstdint>

namespace netops {

// Every field counts a disjoint set of tokens so that pricing can charge each set at its own rate:
//   prompt_tokens      input tokens billed at the normal input price (NOT including cached tokens);
//   cache_read_tokens  input tokens served from the provider's prompt cache;
//   cache_write_tokens input tokens written to the prompt cache (Anthropic cache_creation_input_tokens).
// OpenAI reports cached tokens as a subset of its prompt_tokens, Anthropic as separate counts; the
// adapters normalise both to this disjoint form. Use prompt_total() for the "prompt tokens" a client or a
// usage_logs row expects (what OpenAI calls prompt_tokens).
struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t cache_read_tokens = 0;
  std::int64_t cache_write_tokens = 0;
  bool reported = false;  // false → counted by us (estimate), the usage_logs row is marked estimated

  std::int64_t prompt_total() const { return prompt_tokens + cache_read_tokens + cache_write_tokens; }
  std::int64_t total() const { return prompt_total() + completion_tokens; }
};

}  // namespace netops
