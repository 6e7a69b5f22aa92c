// Anthropic Messages: POST /v1/messages, the Anthropic model list, and Anthropic's error body.
#include "common.hpp"

namespace mockllm {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

bool is_type(const json& block, std::string_view type) {
  if (!block.is_object()) return false;
  auto t = block.find("type");
  return t != block.end() && t->is_string() && t->get_ref<const std::string&>() == type;
}

const std::string* string_field(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

// Text blocks (or a plain string) concatenated; other block types are not text.
std::string text_of(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (content.is_array())
    for (auto& block : content)
      if (is_type(block, "text"))
        if (auto t = string_field(block, "text")) out += *t;
  return out;
}

// Characters a block contributes to the prompt: text, tool calls (name + input) and tool results.
std::size_t content_chars(const json& content) {
  if (content.is_string()) return utf8_length(content.get_ref<const std::string&>());
  std::size_t n = 0;
  if (!content.is_array()) return n;
  for (auto& block : content) {
    if (is_type(block, "text")) {
      if (auto t = string_field(block, "text")) n += utf8_length(*t);
    } else if (is_type(block, "tool_use")) {
      if (auto name = string_field(block, "name")) n += utf8_length(*name);
      if (auto input = block.find("input"); input != block.end()) n += utf8_length(input->dump());
    } else if (is_type(block, "tool_result")) {
      if (auto inner = block.find("content"); inner != block.end()) n += utf8_length(text_of(*inner));
    }
  }
  return n;
}

bool has_cache_control(const json& blocks) {
  if (!blocks.is_array()) return false;
  for (auto& b : blocks)
    if (b.is_object())
      if (auto cc = b.find("cache_control"); cc != b.end() && !cc->is_null()) return true;
  return false;
}

struct Request {
  Conversation conversation;
  bool cached = false;  // some block carries cache_control
};

Request read_request(const json& body) {
  Request req;
  Conversation& c = req.conversation;
  if (auto system = body.find("system"); system != body.end() && !system->is_null()) {
    auto chars = content_chars(*system);
    if (chars > 0) {
      c.prompt_chars += chars;
      ++c.messages;
      c.transcript.emplace_back("system", text_of(*system));
    }
    req.cached = req.cached || has_cache_control(*system);
  }
  const auto& messages = body["messages"];
  for (auto& m : messages) {
    if (!m.is_object()) continue;
    ++c.messages;
    auto content = m.find("content");
    auto role = string_field(m, "role");
    c.transcript.emplace_back(role ? *role : std::string(), content != m.end() ? text_of(*content) : std::string());
    if (content == m.end()) continue;
    c.prompt_chars += content_chars(*content);
    req.cached = req.cached || has_cache_control(*content);
  }
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    auto role = it->is_object() ? string_field(*it, "role") : nullptr;
    if (!role || *role != "user") continue;
    if (auto content = it->find("content"); content != it->end()) c.last_user_text = text_of(*content);
    break;
  }
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    auto role = it->is_object() ? string_field(*it, "role") : nullptr;
    if (!role || *role != "user") continue;
    if (auto content = it->find("content"); content != it->end()) c.last_instruction = text_of(*content);
    if (!c.last_instruction.empty()) break;
  }
  if (!messages.empty() && messages.back().is_object()) {
    auto role = string_field(messages.back(), "role");
    auto content = messages.back().find("content");
    if (role && *role == "user" && content != messages.back().end() && content->is_array()) {
      std::optional<std::string> results;
      for (auto& block : *content) {
        if (!is_type(block, "tool_result")) continue;
        auto inner = block.find("content");
        std::string text = inner != block.end() ? text_of(*inner) : std::string();
        results = results ? *results + "\n" + text : text;
      }
      c.tool_result = std::move(results);
    }
  }
  if (auto tools = body.find("tools"); tools != body.end() && tools->is_array()) {
    req.cached = req.cached || has_cache_control(*tools);
    for (auto& tool : *tools) {
      auto name = tool.is_object() ? string_field(tool, "name") : nullptr;
      if (!name) continue;
      c.offered_tools.push_back(*name);
      if (c.tool_name) continue;
      c.tool_name = *name;
      if (auto schema = tool.find("input_schema"); schema != tool.end()) c.tool_schema = *schema;
    }
  }
  // tool_choice {"type": "none"}: the tools are defined but may not be called (agent answers in text).
  if (auto tc = body.find("tool_choice"); tc != body.end() && tc->is_object() && tc->value("type", "") == "none")
    c.offered_tools.clear();
  c.max_tokens = body["max_tokens"].get<long>();
  return req;
}

ojson usage_json(const Answer& a, bool cached, long output_tokens) {
  long read = cached ? a.prompt_tokens / 2 : 0;
  return {{"input_tokens", a.prompt_tokens - read},
          {"cache_creation_input_tokens", 0},
          {"cache_read_input_tokens", read},
          {"output_tokens", output_tokens}};
}

const char* stop_reason(const Answer& a) {
  if (a.type == Answer::Type::tool_call) return "tool_use";
  return a.truncated ? "max_tokens" : "end_turn";
}

ojson message_json(const std::string& model, ojson content) {
  return {{"id", random_id("msg_", 24)},   {"type", "message"},      {"role", "assistant"},     {"model", model},
          {"content", std::move(content)}, {"stop_reason", nullptr}, {"stop_sequence", nullptr}};
}

Reply full_reply(const Answer& a, const std::string& model, bool cached) {
  ojson block;
  if (a.type == Answer::Type::tool_call)
    block = {{"type", "tool_use"},
             {"id", random_id("toolu_", 24)},
             {"name", a.tool_name},
             {"input", ojson::parse(a.tool_arguments)}};
  else
    block = {{"type", "text"}, {"text", a.text}};
  ojson blocks = ojson::array({std::move(block)});
  for (const auto& [name, args] : a.more_calls)
    blocks.push_back({{"type", "tool_use"}, {"id", random_id("toolu_", 24)}, {"name", name}, {"input", ojson::parse(args)}});
  ojson body = message_json(model, std::move(blocks));
  body["stop_reason"] = stop_reason(a);
  if (a.usage) body["usage"] = usage_json(a, cached, a.completion_tokens);
  return json_reply(200, body);
}

Reply stream_reply(const Answer& a, const std::string& model, bool cached) {
  Reply r;
  r.stream = true;
  r.content_type = std::string(kEventStream);
  r.headers.emplace_back("Cache-Control", "no-cache");
  auto event = [&](std::string_view type, std::string_view data) {
    std::string e;
    e.reserve(type.size() + data.size() + 16);
    e.append("event: ").append(type).append("\ndata: ").append(data).append("\n\n");
    r.events.push_back(std::move(e));
  };
  ojson start = message_json(model, ojson::array());
  if (a.usage) start["usage"] = usage_json(a, cached, 1);
  event("message_start", ojson{{"type", "message_start"}, {"message", std::move(start)}}.dump());
  const bool tool = a.type == Answer::Type::tool_call;
  if (tool)
    event("content_block_start",
          R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":")" +
              random_id("toolu_", 24) + R"(","name":)" + json_string(a.tool_name) + R"(,"input":{}}})");
  else
    event("content_block_start",
          R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})");
  event("ping", R"({"type":"ping"})");
  if (tool) {
    event("content_block_delta",
          R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}})");
    for (auto frag : split_fragments(a.tool_arguments))
      event("content_block_delta",
            R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":)" +
                json_string(frag) + "}}");
  } else {
    auto pieces = split_pieces(a.text);
    r.events.reserve(pieces.size() + 8);
    for (auto piece : pieces)
      event("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":)" +
                                       json_string(piece) + "}}");
  }
  event("content_block_stop", R"({"type":"content_block_stop","index":0})");
  for (std::size_t k = 0; k < a.more_calls.size(); ++k) {
    const std::string index = std::to_string(k + 1);
    event("content_block_start", R"({"type":"content_block_start","index":)" + index +
                                     R"(,"content_block":{"type":"tool_use","id":")" + random_id("toolu_", 24) +
                                     R"(","name":)" + json_string(a.more_calls[k].first) + R"(,"input":{}}})");
    event("content_block_delta", R"({"type":"content_block_delta","index":)" + index +
                                     R"(,"delta":{"type":"input_json_delta","partial_json":""}})");
    for (auto frag : split_fragments(a.more_calls[k].second))
      event("content_block_delta", R"({"type":"content_block_delta","index":)" + index +
                                       R"(,"delta":{"type":"input_json_delta","partial_json":)" + json_string(frag) + "}}");
    event("content_block_stop", R"({"type":"content_block_stop","index":)" + index + "}");
  }
  std::string delta = R"({"type":"message_delta","delta":{"stop_reason":")" + std::string(stop_reason(a)) +
                      R"(","stop_sequence":null})";
  if (a.usage) delta += R"(,"usage":{"output_tokens":)" + std::to_string(a.completion_tokens) + "}";
  event("message_delta", delta + "}");
  event("message_stop", R"({"type":"message_stop"})");
  return r;
}

}  // namespace

Reply anthropic_error(int status, std::string_view message) {
  Reply r = json_reply(
      status, ojson{{"type", "error"}, {"error", {{"type", anthropic_error_type(status)}, {"message", message}}}});
  if (status == 429) r.headers.emplace_back("Retry-After", "1");
  return r;
}

Reply anthropic_messages(const Incoming& in, Context& ctx) {
  if (!ctx.opts.require_key.empty()) {
    if (in.api_key.empty()) return anthropic_error(401, "x-api-key header is required");
    if (in.api_key != ctx.opts.require_key) return anthropic_error(401, "invalid x-api-key");
  }
  if (!in.has_anthropic_version) return anthropic_error(400, "anthropic-version: header is required");
  auto body = json::parse(in.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return anthropic_error(400, "The request body is not valid JSON.");
  auto model_it = body.find("model");
  if (model_it == body.end() || !model_it->is_string()) return anthropic_error(400, "model: Field required");
  auto messages = body.find("messages");
  if (messages == body.end() || !messages->is_array()) return anthropic_error(400, "messages: Field required");
  if (messages->empty()) return anthropic_error(400, "messages: at least one message is required");
  auto max = body.find("max_tokens");
  if (max == body.end() || max->is_null()) return anthropic_error(400, "max_tokens: Field required");
  if (!max->is_number_integer() || max->get<long>() < 1)
    return anthropic_error(400, "max_tokens: Input should be a valid integer greater than or equal to 1");

  const std::string model = model_it->get<std::string>();
  Request req = read_request(body);
  long prior = ctx.stats.record(model);
  Behaviour behaviour = parse_behaviour(model);
  Answer answer = decide(behaviour, req.conversation, prior);
  Reply r;
  if (answer.type == Answer::Type::error) {
    r = anthropic_error(answer.status, answer.error_message);
  } else if (bool_field(body, "stream")) {
    r = stream_reply(answer, model, req.cached);
    if (behaviour.kind == Kind::long_text) r.event_delay_us = ctx.opts.chunk_delay_us;
  } else {
    r = full_reply(answer, model, req.cached);
  }
  r.headers.emplace_back("request-id", random_id("req_", 24));
  r.delay_ms = answer.delay_ms;
  r.model = model;
  return r;
}

Reply anthropic_models() {
  static constexpr std::string_view kIds[] = {"echo",     "tools",     "hedge",   "nousage",
                                              "long-200", "slow-1000", "flaky-1", "fail-529"};
  auto data = ojson::array();
  for (auto id : kIds)
    data.push_back({{"type", "model"},
                    {"id", id},
                    {"display_name", "Mock " + std::string(id)},
                    {"created_at", "2024-01-01T00:00:00Z"}});
  return json_reply(
      200,
      {{"data", std::move(data)}, {"has_more", false}, {"first_id", kIds[0]}, {"last_id", kIds[std::size(kIds) - 1]}});
}

}  // namespace mockllm
