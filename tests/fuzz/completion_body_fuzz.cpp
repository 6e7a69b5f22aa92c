// POST /v1/chat/completions bodies: the JSON parse with its depth limit (parse_json_object, as the route calls
// it), then the pure steps the gateway runs on the body before and while calling an upstream: the byte-level
// rewrite for OpenAI-compatible upstreams (wire.cpp), which must mean exactly what the JSON route means, the
// OpenAI and Anthropic request translations, token estimates and the routing heuristics.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "core/json.hpp"
#include "llm/anthropic.hpp"
#include "llm/openai.hpp"
#include "llm/pricing.hpp"
#include "modules/gateway/quality.hpp"
#include "modules/gateway/wire.hpp"
#include "support.hpp"

using namespace netops;
using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  json body;
  // parse_json_object lexes small bodies with simdjson: it must accept exactly what nlohmann accepts (within
  // the depth limit) and build the same value.
  json reference = json_depth_within(raw) ? json::parse(raw, nullptr, false) : json(json::value_t::discarded);
  try {
    body = parse_json_object(raw, "an OpenAI chat completion request");
  } catch (const AppError&) {
    fuzz::check(reference.is_discarded() || !reference.is_object(), "a body nlohmann accepts was refused");
    return 0;  // 400: nothing else runs
  }
  fuzz::check(!reference.is_discarded() && reference == body, "the body parsed differently from nlohmann's parse");
  fuzz::render_like_server(body);
  const json& messages = body.contains("messages") ? body["messages"] : json();
  (void)client_wants_usage(body);
  (void)estimate_prompt_tokens(messages);
  (void)gateway::complexity_tier(messages);
  auto q = gateway::quality_score("Sure, here is a list:\n- one\n- two", messages, "stop");
  fuzz::check(q >= 0 && q <= 1, "quality_score outside [0, 1]");

  for (bool stream : {false, true}) {
    json expected = openai_request(body, "upstream/model-1", stream);
    if (auto bytes = gateway::openai_body_bytes(raw, "upstream/model-1", stream)) {
      json got = parse_json(*bytes);
      // The rewritten bytes must be what the JSON route would have sent (same model, same everything).
      fuzz::check(got.is_object(), "openai_body_bytes produced malformed JSON");
      // By design (wire.hpp) a non-stream body keeps the client's "stream":false, which the JSON route drops.
      if (!stream && got.contains("stream") && got["stream"] == false) got.erase("stream");
      fuzz::check(got == expected, "openai_body_bytes differs from openai_request");
    }
    try {
      json a = anthropic_request(body, "claude-upstream", stream, 1024);
      fuzz::render_like_server(a);
    } catch (const AppError&) {
    }
  }
  if (auto swapped = gateway::with_model(raw, "client/model")) {
    json got = parse_json(*swapped);
    fuzz::check(got.is_object() && got["model"] == "client/model", "with_model did not set the model");
  }
  auto parsed = parse_openai_response(body, "client/model");
  fuzz::check(parsed.response["model"] == "client/model", "parse_openai_response kept the upstream model");
  (void)parsed.usage.total();
  return 0;
}
