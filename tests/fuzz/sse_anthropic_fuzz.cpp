// An Anthropic Messages event stream: SSE framing (split anywhere) → AnthropicStream, which translates every
// event into OpenAI chat.completion.chunk frames. What reaches the client must be well-formed SSE whose data
// is a JSON object or [DONE], once at most, last.
#include "core/json.hpp"
#include "llm/anthropic.hpp"
#include "sse_common.hpp"

using namespace netops;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto events = fuzz::sse_events(data, size);
  if (!events) return 0;
  for (bool wants_usage : {false, true}) {
    AnthropicStream s("client/model", wants_usage, 1700000000);
    bool done_sent = false;
    for (auto& e : *events) {
      auto out = s.feed(e);
      for (auto& f : fuzz::reparse(out)) {
        fuzz::check(!done_sent, "a frame after [DONE]");
        if (f.data == "[DONE]") {
          done_sent = true;
          continue;
        }
        auto j = parse_json(f.data);
        fuzz::check(j.is_object(), "a translated frame is not a JSON object");
        if (j.contains("choices")) fuzz::check(j["model"] == "client/model", "a chunk names another model");
      }
    }
    Usage u = s.usage();
    (void)u.total();
    (void)u.prompt_total();
    (void)s.estimated_completion_tokens();
  }
  return 0;
}
