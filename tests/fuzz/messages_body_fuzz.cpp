// POST /v1/messages bodies (the Anthropic Messages format in): the JSON parse with its depth limit, then
// `openai_from_anthropic` (the request translation, and its count_tokens form) and the token estimate of what
// it built. The same bytes are also read as an upstream's OpenAI answer translated back to Anthropic — a
// chat.completion (`anthropic_message`) and a stream chunk (`MessagesStreamEncoder`) — since those readers
// take untrusted JSON of the same shapes.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/json.hpp"
#include "llm/anthropic_in.hpp"
#include "llm/pricing.hpp"
#include "support.hpp"

using namespace netops;
using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  json body;
  try {
    body = parse_json_object(raw, "an Anthropic Messages request");
  } catch (const AppError&) {
    return 0;  // 400: nothing else runs
  }
  fuzz::render_like_server(body);
  for (bool for_count : {false, true}) {
    try {
      json out = openai_from_anthropic(body, for_count);
      fuzz::check(out.is_object() && out.contains("messages") && out["messages"].is_array(),
                  "an accepted request translated to something without messages");
      (void)out.dump();
      (void)estimate_prompt_tokens(out["messages"]);
    } catch (const AppError& e) {
      fuzz::check(e.status() == 400, "a refused request that is not a 400");
      fuzz::render_like_server(e.details());
    }
  }

  // The same value as an upstream's answer: translated, never thrown on.
  auto m = anthropic_message(body, Usage{}, "client/model");
  fuzz::check(m.contains("content") && m["content"].is_array(), "an Anthropic message without content");
  (void)m.dump();
  MessagesStreamEncoder enc("client/model", 1);
  try {
    std::string out = enc.feed("data: " + body.dump() + "\n\ndata: [DONE]\n\n");
    fuzz::check(out.find("message_stop") != std::string::npos, "a stream translated without message_stop");
  } catch (const std::length_error&) {
    // an oversized event: documented
  }
  return 0;
}
