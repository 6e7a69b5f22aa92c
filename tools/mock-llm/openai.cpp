// OpenAI Chat Completions: POST /v1/chat/completions, GET /v1/models, and OpenAI's error body.
#include <algorithm>

#include "common.hpp"

namespace mockllm {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

// A content field: a string, or an array of parts whose text parts are concatenated.
std::string content_text(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (!content.is_array()) return out;
  for (auto& part : content) {
    if (!part.is_object()) continue;
    auto type = part.find("type");
    auto text = part.find("text");
    if (type != part.end() && *type == "text" && text != part.end() && text->is_string())
      out += text->get_ref<const std::string&>();
  }
  return out;
}

std::string_view role_of(const json& message) {
  auto role = message.find("role");
  return role != message.end() && role->is_string() ? std::string_view(role->get_ref<const std::string&>())
                                                    : std::string_view();
}

std::optional<long> max_tokens_of(const json& body) {
  for (auto key : {"max_completion_tokens", "max_tokens"})
    if (auto it = body.find(key); it != body.end() && it->is_number_integer()) return it->get<long>();
  return std::nullopt;
}

Conversation read_conversation(const json& body) {
  Conversation c;
  const auto& messages = body["messages"];
  for (auto& m : messages) {
    if (!m.is_object()) continue;
    ++c.messages;
    std::string text;
    if (auto content = m.find("content"); content != m.end()) text = content_text(*content);
    c.prompt_chars += utf8_length(text);
    c.transcript.emplace_back(std::string(role_of(m)), text);
    auto calls = m.find("tool_calls");
    if (calls == m.end() || !calls->is_array()) continue;
    for (auto& call : *calls) {
      auto fn = call.find("function");
      if (fn == call.end() || !fn->is_object()) continue;
      for (auto key : {"name", "arguments"})
        if (auto v = fn->find(key); v != fn->end() && v->is_string())
          c.prompt_chars += utf8_length(v->get_ref<const std::string&>());
    }
  }
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    if (it->is_object() && role_of(*it) == "user") {
      if (auto content = it->find("content"); content != it->end()) c.last_user_text = content_text(*content);
      break;
    }
  }
  for (auto it = messages.rbegin(); it != messages.rend(); ++it)
    if (it->is_object() && role_of(*it) == "user" && it->contains("content")) {
      c.last_instruction = content_text((*it)["content"]);
      if (!c.last_instruction.empty()) break;
    }
  // Parallel tool calls end the conversation with several tool messages: report them all, in order.
  std::vector<std::string> results;
  for (auto it = messages.rbegin(); it != messages.rend() && it->is_object() && role_of(*it) == "tool"; ++it)
    results.push_back(it->contains("content") ? content_text((*it)["content"]) : std::string());
  if (!results.empty()) {
    std::reverse(results.begin(), results.end());
    std::string joined;
    for (auto& r : results) joined += (joined.empty() ? "" : "\n") + r;
    c.tool_result = std::move(joined);
  }
  if (auto tools = body.find("tools"); tools != body.end() && tools->is_array()) {
    for (auto& tool : *tools) {
      auto fn = tool.find("function");
      if (fn == tool.end() || !fn->is_object()) continue;
      auto name = fn->find("name");
      if (name == fn->end() || !name->is_string()) continue;
      c.offered_tools.push_back(name->get<std::string>());
      if (c.tool_name) continue;
      c.tool_name = name->get<std::string>();
      if (auto params = fn->find("parameters"); params != fn->end()) c.tool_schema = *params;
    }
  }
  // tool_choice "none": the tools are defined but may not be called (agent answers in text).
  if (auto tc = body.find("tool_choice"); tc != body.end() && *tc == "none") c.offered_tools.clear();
  c.max_tokens = max_tokens_of(body);
  return c;
}

ojson usage_json(const Answer& a) {
  return {{"prompt_tokens", a.prompt_tokens},
          {"completion_tokens", a.completion_tokens},
          {"total_tokens", a.prompt_tokens + a.completion_tokens},
          {"prompt_tokens_details", {{"cached_tokens", 0}}},
          {"completion_tokens_details", {{"reasoning_tokens", 0}}}};
}

const char* finish_reason(const Answer& a) {
  if (a.type == Answer::Type::tool_call) return "tool_calls";
  return a.truncated ? "length" : "stop";
}

Reply full_reply(const Answer& a, const std::string& model) {
  ojson message = {{"role", "assistant"}};
  if (a.type == Answer::Type::tool_call) {
    message["content"] = nullptr;
    message["tool_calls"] = ojson::array({ojson{
        {"id", random_id("call_", 24)},
        {"type", "function"},
        {"function", {{"name", a.tool_name}, {"arguments", a.tool_arguments}}},
    }});
    for (const auto& [name, args] : a.more_calls)
      message["tool_calls"].push_back(ojson{{"id", random_id("call_", 24)},
                                            {"type", "function"},
                                            {"function", {{"name", name}, {"arguments", args}}}});
  } else {
    message["content"] = a.text;
  }
  message["refusal"] = nullptr;
  ojson body = {
      {"id", random_id("chatcmpl-", 29)},
      {"object", "chat.completion"},
      {"created", unix_now()},
      {"model", model},
      {"choices", ojson::array({ojson{{"index", 0},
                                      {"message", std::move(message)},
                                      {"logprobs", nullptr},
                                      {"finish_reason", finish_reason(a)}}})},
  };
  if (a.usage) body["usage"] = usage_json(a);
  body["system_fingerprint"] = "mock";
  return json_reply(200, body);
}

// Chunks are assembled by hand around the one part that changes (the delta): long streams stay cheap.
Reply stream_reply(const Answer& a, const std::string& model, bool include_usage) {
  Reply r;
  r.stream = true;
  r.content_type = std::string(kEventStream);
  r.headers.emplace_back("Cache-Control", "no-cache");
  const std::string id = random_id("chatcmpl-", 29);
  const long created = unix_now();
  const bool usage = include_usage && a.usage;
  const std::string head =
      "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + std::to_string(created) +
      ",\"model\":" + json_string(model) + ",\"system_fingerprint\":\"mock\",\"choices\":[{\"index\":0,\"delta\":";
  const std::string tail = std::string(usage ? "}],\"usage\":null}\n\n" : "}]}\n\n");
  auto chunk = [&](std::string_view delta, std::string_view finish = "null") {
    std::string e;
    e.reserve(head.size() + delta.size() + tail.size() + 48);
    e.append(head).append(delta).append(",\"logprobs\":null,\"finish_reason\":").append(finish).append(tail);
    r.events.push_back(std::move(e));
  };
  if (a.type == Answer::Type::tool_call) {
    chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"" + random_id("call_", 24) +
          "\",\"type\":\"function\",\"function\":{\"name\":" + json_string(a.tool_name) +
          ",\"arguments\":\"\"}}],\"refusal\":null}");
    for (auto frag : split_fragments(a.tool_arguments))
      chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + json_string(frag) + "}}]}");
    for (std::size_t k = 0; k < a.more_calls.size(); ++k) {
      const std::string index = std::to_string(k + 1);
      chunk("{\"tool_calls\":[{\"index\":" + index + ",\"id\":\"" + random_id("call_", 24) +
            "\",\"type\":\"function\",\"function\":{\"name\":" + json_string(a.more_calls[k].first) +
            ",\"arguments\":\"\"}}]}");
      for (auto frag : split_fragments(a.more_calls[k].second))
        chunk("{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":" + json_string(frag) + "}}]}");
    }
  } else {
    chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}");
    auto pieces = split_pieces(a.text);
    r.events.reserve(pieces.size() + 4);
    for (auto piece : pieces) chunk("{\"content\":" + json_string(piece) + "}");
  }
  chunk("{}", std::string("\"") + finish_reason(a) + "\"");
  if (usage) {
    ojson last = {{"id", id},
                  {"object", "chat.completion.chunk"},
                  {"created", created},
                  {"model", model},
                  {"system_fingerprint", "mock"},
                  {"choices", ojson::array()},
                  {"usage", usage_json(a)}};
    r.events.push_back("data: " + last.dump() + "\n\n");
  }
  r.events.emplace_back("data: [DONE]\n\n");
  return r;
}

}  // namespace

Reply openai_error(int status, std::string_view message, const char* param, std::string_view code) {
  auto kind = openai_error_kind(status);
  ojson error = {{"message", message},
                 {"type", kind.type},
                 {"param", param ? ojson(param) : ojson(nullptr)},
                 {"code", code.empty() ? kind.code : code}};
  Reply r = json_reply(status, ojson{{"error", std::move(error)}});
  if (status == 429) r.headers.emplace_back("Retry-After", "1");
  return r;
}

Reply openai_chat(const Incoming& in, Context& ctx) {
  if (!ctx.opts.require_key.empty()) {
    if (in.authorization.empty())
      return openai_error(401,
                          "You didn't provide an API key. You need to provide your API key in an Authorization "
                          "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
    if (in.authorization != "Bearer " + ctx.opts.require_key)
      return openai_error(401, "Incorrect API key provided. You can find your API key in your account settings.");
  }
  auto body = json::parse(in.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return openai_error(400,
                        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using "
                        "your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not "
                        "valid JSON.)",
                        nullptr, "invalid_json");
  auto model_it = body.find("model");
  if (model_it == body.end() || !model_it->is_string())
    return openai_error(400, "you must provide a model parameter", "model", "missing_required_parameter");
  auto messages = body.find("messages");
  if (messages == body.end() || !messages->is_array())
    return openai_error(400, "Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  if (messages->empty())
    return openai_error(400, "Invalid 'messages': empty array. Expected an array with minimum length 1.", "messages",
                        "empty_array");
  if (auto max = max_tokens_of(body); max && *max < 1)
    return openai_error(400, "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1.", "max_tokens",
                        "integer_below_min_value");

  const std::string model = model_it->get<std::string>();
  Conversation conversation = read_conversation(body);
  long prior = ctx.stats.record(model);
  Behaviour behaviour = parse_behaviour(model);
  Answer answer = decide(behaviour, conversation, prior);
  Reply r;
  if (answer.type == Answer::Type::error) {
    r = openai_error(answer.status, answer.error_message);
  } else if (bool_field(body, "stream")) {
    bool include_usage = false;
    if (auto so = body.find("stream_options"); so != body.end() && so->is_object())
      include_usage = bool_field(*so, "include_usage");
    r = stream_reply(answer, model, include_usage);
    if (behaviour.kind == Kind::long_text) r.event_delay_us = ctx.opts.chunk_delay_us;
  } else {
    r = full_reply(answer, model);
  }
  r.headers.emplace_back("x-request-id", random_id("req_", 24));
  r.delay_ms = answer.delay_ms;
  r.model = model;
  return r;
}

Reply openai_models() {
  static constexpr std::string_view kIds[] = {"echo",     "tools",     "hedge",   "nousage",
                                              "long-200", "slow-1000", "flaky-1", "fail-500"};
  auto data = ojson::array();
  for (auto id : kIds)
    data.push_back({{"id", id}, {"object", "model"}, {"created", 1700000000}, {"owned_by", "mock-llm"}});
  return json_reply(200, {{"object", "list"}, {"data", std::move(data)}});
}

}  // namespace mockllm
