#include "llm/anthropic.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/json.hpp"
#include "llm/adapter_util.hpp"

namespace netops {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

using llm_detail::int_field;
using llm_detail::member;
using llm_detail::str;
using llm_detail::str_or;
using llm_detail::unix_now_or;

// "data:image/png;base64,AAAA" → {type:base64, media_type, data}; http(s) → {type:url, url}.
json media_source(const std::string& url, const std::string& field) {
  if (url.rfind("data:", 0) == 0) {
    auto semi = url.find(";base64,");
    if (semi == std::string::npos) throw ValidationError(field, "data URL must be base64-encoded");
    return {{"type", "base64"}, {"media_type", url.substr(5, semi - 5)}, {"data", url.substr(semi + 8)}};
  }
  if (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0) return {{"type", "url"}, {"url", url}};
  throw ValidationError(field, "must be a data: or http(s) URL");
}

// OpenAI content (string or parts) → Anthropic blocks. Empty text is dropped: Anthropic refuses it.
json content_blocks(const json& content, const std::string& field) {
  json blocks = json::array();
  if (content.is_string()) {
    if (!content.get_ref<const std::string&>().empty()) blocks.push_back({{"type", "text"}, {"text", content}});
    return blocks;
  }
  if (!content.is_array()) return blocks;
  for (std::size_t i = 0; i < content.size(); ++i) {
    const auto& part = content[i];
    auto type = str_or(part, "type");
    auto where = field + "[" + std::to_string(i) + "]";
    auto before = blocks.size();
    if (type == "text") {
      if (auto t = str_or(part, "text"); !t.empty()) blocks.push_back({{"type", "text"}, {"text", t}});
    } else if (type == "image_url") {
      const json& iu = member(part, "image_url");
      std::string url = iu.is_string() ? iu.get<std::string>() : str_or(iu, "url");
      blocks.push_back({{"type", "image"}, {"source", media_source(url, where + ".image_url.url")}});
    } else if (type == "file") {
      auto data = str_or(member(part, "file"), "file_data");
      if (!data.empty())
        blocks.push_back({{"type", "document"}, {"source", media_source(data, where + ".file.file_data")}});
    }  // other part types (input_audio, …) have no Anthropic equivalent and are dropped
    // Anthropic prompt-caching markers pass through, so clients can opt into cache reads/writes.
    if (const json& cc = member(part, "cache_control"); cc.is_object() && blocks.size() > before)
      blocks.back()["cache_control"] = cc;
  }
  return blocks;
}

json tool_use_block(const json& call, const std::string& field) {
  const json& fn = member(call, "function");
  auto args = str_or(fn, "arguments");
  json input = args.empty() ? json::object() : parse_json(args);
  if (!input.is_object()) throw ValidationError(field + ".function.arguments", "must be a JSON object");
  return {{"type", "tool_use"}, {"id", str_or(call, "id")}, {"name", str_or(fn, "name")}, {"input", input}};
}

bool has_tool_blocks(const json& messages) {
  for (const auto& m : messages)
    for (const auto& b : m["content"])
      if (b["type"] == "tool_use" || b["type"] == "tool_result") return true;
  return false;
}

// Appends blocks to the conversation, merging into the previous message when it has the same role.
void append(json& out, const char* role, json blocks) {
  if (blocks.empty()) return;
  if (out.empty() || out.back()["role"] != role) out.push_back({{"role", role}, {"content", json::array()}});
  auto& content = out.back()["content"];
  for (auto& b : blocks) content.push_back(std::move(b));
}

// OpenAI messages → Anthropic messages; system text blocks are collected separately.
json translate_messages(const json& messages, json& system) {
  json out = json::array();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    auto field = "messages[" + std::to_string(i) + "]";
    auto role = str_or(m, "role");
    const json& content = member(m, "content");
    if (role == "system" || role == "developer") {
      for (auto& b : content_blocks(content, field + ".content"))
        if (b["type"] == "text") system.push_back(std::move(b));
    } else if (role == "user") {
      append(out, "user", content_blocks(content, field + ".content"));
    } else if (role == "assistant") {
      json blocks = content_blocks(content, field + ".content");
      const json& calls = member(m, "tool_calls");
      if (calls.is_array())
        for (std::size_t j = 0; j < calls.size(); ++j)
          blocks.push_back(tool_use_block(calls[j], field + ".tool_calls[" + std::to_string(j) + "]"));
      append(out, "assistant", std::move(blocks));
    } else if (role == "tool") {
      json result = {{"type", "tool_result"}, {"tool_use_id", str_or(m, "tool_call_id")}};
      json inner = content_blocks(content, field + ".content");
      if (!inner.empty()) result["content"] = std::move(inner);
      append(out, "user", json::array({std::move(result)}));
    } else {
      throw ValidationError(field + ".role", "must be system, developer, user, assistant or tool");
    }
  }
  // Anthropic wants a user turn's tool_result blocks before any other block.
  for (auto& m : out) {
    json results = json::array(), rest = json::array();
    for (auto& b : m["content"]) (b["type"] == "tool_result" ? results : rest).push_back(std::move(b));
    for (auto& b : rest) results.push_back(std::move(b));
    m["content"] = std::move(results);
  }
  // A final assistant message is a prefill, and Anthropic refuses one that ends in whitespace.
  if (!out.empty() && out.back()["role"] == "assistant") {
    auto& blocks = out.back()["content"];
    if (blocks.back()["type"] == "text") {
      auto& t = blocks.back()["text"].get_ref<std::string&>();
      t.erase(t.find_last_not_of(" \t\r\n") + 1);
      if (t.empty()) blocks.erase(blocks.size() - 1);
      if (blocks.empty()) out.erase(out.size() - 1);
    }
  }
  return out;
}

void translate_sampling(const json& oreq, json& req, int default_max_tokens) {
  std::int64_t max_tokens = default_max_tokens;
  if (const json& v = member(oreq, "max_completion_tokens"); v.is_number_integer()) max_tokens = v.get<std::int64_t>();
  else if (const json& w = member(oreq, "max_tokens"); w.is_number_integer()) max_tokens = w.get<std::int64_t>();
  req["max_tokens"] = max_tokens;
  if (const json& t = member(oreq, "temperature"); t.is_number())
    req["temperature"] = std::clamp(t.get<double>(), 0.0, 1.0);
  if (const json& p = member(oreq, "top_p"); p.is_number()) req["top_p"] = p;
  json seqs = json::array();
  const json& stop = member(oreq, "stop");
  if (stop.is_string()) seqs.push_back(stop);
  if (stop.is_array())
    for (const auto& x : stop)
      if (x.is_string()) seqs.push_back(x);
  seqs.erase(std::remove(seqs.begin(), seqs.end(), json("")), seqs.end());
  if (!seqs.empty()) req["stop_sequences"] = std::move(seqs);
  if (auto u = str(oreq, "user"); u && !u->empty()) req["metadata"] = {{"user_id", *u}};
}

void translate_tools(const json& oreq, json& req) {
  json tools = json::array();
  if (const json& ts = member(oreq, "tools"); ts.is_array())
    for (const auto& t : ts) {
      const json& fn = member(t, "function");
      if (str_or(t, "type", "function") != "function" || !fn.is_object()) continue;
      json tool = {{"name", str_or(fn, "name")}};
      if (auto d = str(fn, "description")) tool["description"] = *d;
      const json& schema = member(fn, "parameters");
      tool["input_schema"] = schema.is_object() ? schema : json{{"type", "object"}, {"properties", json::object()}};
      tools.push_back(std::move(tool));
    }
  if (tools.empty()) return;
  const json& tc = member(oreq, "tool_choice");
  json choice;  // null: Anthropic's default (auto)
  if (tc == "auto") choice = {{"type", "auto"}};
  else if (tc == "required") choice = {{"type", "any"}};
  else if (tc.is_object() && member(tc, "function").is_object())
    choice = {{"type", "tool"}, {"name", str_or(tc["function"], "name")}};
  else if (tc == "none") {
    if (!has_tool_blocks(req["messages"])) return;  // simplest "none": offer no tools at all
    choice = {{"type", "none"}};
  }
  if (member(oreq, "parallel_tool_calls") == false && choice != json{{"type", "none"}}) {
    if (choice.is_null()) choice = {{"type", "auto"}};
    choice["disable_parallel_tool_use"] = true;
  }
  req["tools"] = std::move(tools);
  if (!choice.is_null()) req["tool_choice"] = std::move(choice);
}

}  // namespace

json anthropic_request(const json& oreq, const std::string& upstream_model, bool stream, int default_max_tokens) {
  const json& messages = member(oreq, "messages");
  if (!messages.is_array()) throw ValidationError("messages", "must be an array");
  json system = json::array();
  json req = {{"model", upstream_model}};
  req["messages"] = translate_messages(messages, system);
  // A plain string unless a block carries cache_control, which only the block form can express.
  bool cached = std::any_of(system.begin(), system.end(), [](const json& b) { return b.contains("cache_control"); });
  if (cached) {
    req["system"] = std::move(system);
  } else if (!system.empty()) {
    std::string joined;
    for (const auto& b : system) joined += (joined.empty() ? "" : "\n\n") + b["text"].get<std::string>();
    req["system"] = joined;
  }
  translate_sampling(oreq, req, default_max_tokens);
  translate_tools(oreq, req);
  if (stream) req["stream"] = true;
  return req;
}

Usage anthropic_usage(const json& u) {
  Usage usage;
  if (!u.is_object()) return usage;
  usage.reported = true;
  usage.prompt_tokens = llm_detail::token_count(u, "input_tokens");  // excludes cache reads/writes, priced separately
  usage.completion_tokens = llm_detail::token_count(u, "output_tokens");
  usage.cache_read_tokens = llm_detail::token_count(u, "cache_read_input_tokens");
  usage.cache_write_tokens = llm_detail::token_count(u, "cache_creation_input_tokens");
  return usage;
}

std::string anthropic_finish_reason(std::string_view stop_reason) {
  if (stop_reason == "max_tokens" || stop_reason == "model_context_window_exceeded") return "length";
  if (stop_reason == "tool_use") return "tool_calls";
  if (stop_reason == "refusal") return "content_filter";
  return "stop";
}

ParsedResponse parse_anthropic_response(const json& body, const std::string& client_model, std::int64_t created) {
  ParsedResponse out;
  json tool_calls = json::array();
  bool any_text = false;
  if (auto c = body.find("content"); body.is_object() && c != body.end() && c->is_array())
    for (const auto& b : *c) {
      auto type = str_or(b, "type");
      if (type == "text") {
        out.text += str_or(b, "text");
        any_text = true;
      } else if (type == "tool_use") {
        tool_calls.push_back({{"id", str_or(b, "id")},
                              {"type", "function"},
                              {"function", {{"name", str_or(b, "name")}, {"arguments", (member(b, "input").is_object() ? b["input"] : json::object()).dump()}}}});
      }
    }
  json message = {{"role", "assistant"}, {"content", any_text ? json(out.text) : json()}};
  if (!tool_calls.empty()) message["tool_calls"] = std::move(tool_calls);
  auto stop = str(body, "stop_reason");
  out.finish_reason = stop ? anthropic_finish_reason(*stop) : "stop";
  out.usage = anthropic_usage(member(body, "usage"));
  out.response = {{"id", str_or(body, "id", "msg_unknown")},
                  {"object", "chat.completion"},
                  {"created", unix_now_or(created)},
                  {"model", client_model},
                  {"choices", json::array({{{"index", 0},
                                            {"message", std::move(message)},
                                            {"logprobs", nullptr},
                                            {"finish_reason", out.finish_reason}}})}};
  if (out.usage.reported) out.response["usage"] = json(openai_usage_json(out.usage));
  return out;
}

std::string anthropic_error_message(int status, const std::string& body) {
  json j = parse_json(body);
  const json& err = member(j, "error");
  auto message = str_or(err, "message");
  if (message.empty()) return "upstream returned HTTP " + std::to_string(status);
  auto type = str_or(err, "type");
  return safe_error_text(type.empty() ? message : type + ": " + message);
}

}  // namespace netops
