// An OpenAI-compatible upstream's event stream: SSE framing (split anywhere) → OpenAiStream, which forwards
// every event to the client as its original data and reads usage, text and errors on the way. What reaches
// the client must re-parse to exactly the events the upstream sent (byte-exact passthrough).
#include "llm/openai.hpp"
#include "sse_common.hpp"

using namespace netops;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto events = fuzz::sse_events(data, size);
  if (!events) return 0;
  for (bool wants_usage : {false, true}) {
    OpenAiStream s(wants_usage);
    for (auto& e : *events) {
      auto out = s.feed(e);
      if (out.empty()) continue;
      auto back = fuzz::reparse(out);
      fuzz::check(back.size() == 1, "one upstream event became several");
      fuzz::check(back[0].data == e.data, "forwarded data differs from the upstream's");
      fuzz::check(back[0].event == e.event, "forwarded event name differs from the upstream's");
    }
    const Usage& u = s.usage();
    fuzz::check(u.prompt_tokens >= 0 && u.cache_read_tokens >= 0 && u.cache_write_tokens >= 0,
                "negative prompt token counts");
    (void)u.total();
    (void)s.estimated_completion_tokens();
    if (s.failed()) fuzz::check(!s.error().empty() && s.error().size() <= 310, "bad upstream error text");
  }
  return 0;
}
