#include "llm/anthropic_in.hpp"
#include "core/json.hpp"

#include <algorithm>
#include <optional>

#include "core/error.hpp"
#include "llm/openai.hpp"

namespace netops {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

constexpr std::size_t kMaxMessages = 10000;
constexpr std::size_t kMaxBlocks = 10000;
constexpr std::size_t kMaxTools = 512;
constexpr std::size_t kMaxStops = 64;

bool is_nonempty_string(const json& j) { return j.is_string() && !j.get_ref<const std::string&>().empty(); }

const json* find(const json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() || it->is_null() ? nullptr : &*it;
}

// A text block → an OpenAI text part (cache_control kept for Anthropic upstreams).
json text_part(const json& block) {
  json part = {{"type", "text"}, {"text", block["text"]}};
  if (auto cc = find(block, "cache_control"); cc && cc->is_object()) part["cache_control"] = *cc;
  return part;
}

// Text of a tool_result's content: a string, or its text blocks joined (other blocks are not expressible
// in an OpenAI tool message).
std::string tool_result_text(const json& content, Validation& v, const std::string& f) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (!content.is_array()) {
    v.add(f, "must be a string or an array of content blocks");
    return out;
  }
  for (std::size_t i = 0; i < content.size() && i < kMaxBlocks; ++i) {
    const json& b = content[i];
    if (!b.is_object() || !b.contains("type")) {
      v.add(f + "[" + std::to_string(i) + "]", "must be a content block with a type");
      continue;
    }
    if (b["type"] == "text") {
      if (!b.contains("text") || !b["text"].is_string()) {
        v.add(f + "[" + std::to_string(i) + "].text", "must be a string");
        continue;
      }
      if (!out.empty()) out += "\n";
      out += b["text"].get<std::string>();
    }
  }
  return out;
}

// An image / document source → the data: or http(s) URL an OpenAI part carries.
std::optional<std::string> source_url(const json& block, Validation& v, const std::string& f, bool document) {
  const json* src = find(block, "source");
  if (!src || !src->is_object()) {
    v.add(f + ".source", "is required: {type: base64, media_type, data} or {type: url, url}");
    return std::nullopt;
  }
  auto type = src->value("type", std::string());
  if (type == "base64") {
    const json* mt = find(*src, "media_type");
    const json* data = find(*src, "data");
    if (!mt || !is_nonempty_string(*mt)) v.add(f + ".source.media_type", "is required");
    if (!data || !is_nonempty_string(*data)) v.add(f + ".source.data", "is required (base64)");
    if (!mt || !data || !mt->is_string() || !data->is_string()) return std::nullopt;
    if (document && mt->get<std::string>() != "application/pdf") {
      v.add(f + ".source.media_type", "only application/pdf documents can be forwarded");
      return std::nullopt;
    }
    return "data:" + mt->get<std::string>() + ";base64," + data->get<std::string>();
  }
  if (type == "url" && !document) {
    const json* url = find(*src, "url");
    if (!url || !is_nonempty_string(*url)) {
      v.add(f + ".source.url", "is required");
      return std::nullopt;
    }
    return url->get<std::string>();
  }
  v.add(f + ".source.type", document ? "must be base64 (a PDF)" : "must be base64 or url");
  return std::nullopt;
}

void user_message(const json& content, const std::string& f, Validation& v, json& out) {
  if (content.is_string()) {
    out.push_back({{"role", "user"}, {"content", content}});
    return;
  }
  json parts = json::array();
  for (std::size_t i = 0; i < content.size(); ++i) {
    const json& b = content[i];
    std::string bf = f + "[" + std::to_string(i) + "]";
    auto type = string_member(b, "type");
    if (type == "text") {
      if (!b.contains("text") || !b["text"].is_string()) v.add(bf + ".text", "must be a string");
      else parts.push_back(text_part(b));
    } else if (type == "image") {
      if (auto url = source_url(b, v, bf, false)) parts.push_back({{"type", "image_url"}, {"image_url", {{"url", *url}}}});
    } else if (type == "document") {
      if (auto url = source_url(b, v, bf, true))
        parts.push_back({{"type", "file"}, {"file", {{"file_data", *url}, {"filename", "document.pdf"}}}});
    } else if (type == "tool_result") {
      const json* id = find(b, "tool_use_id");
      if (!id || !is_nonempty_string(*id)) {
        v.add(bf + ".tool_use_id", "is required");
        continue;
      }
      std::string text;
      if (const json* c = find(b, "content")) text = tool_result_text(*c, v, bf + ".content");
      // OpenAI: tool results directly follow the assistant's tool calls, before any other user content.
      out.push_back({{"role", "tool"}, {"tool_call_id", *id}, {"content", text}});
    } else if (type == "tool_use" || type == "thinking" || type == "redacted_thinking") {
      v.add(bf + ".type", std::string(type) + " blocks belong to assistant messages");
    } else {
      v.add(bf + ".type", "must be text, image, document or tool_result");
    }
  }
  if (!parts.empty()) out.push_back({{"role", "user"}, {"content", std::move(parts)}});
}

void assistant_message(const json& content, const std::string& f, Validation& v, json& out) {
  if (content.is_string()) {
    out.push_back({{"role", "assistant"}, {"content", content}});
    return;
  }
  std::string text;
  json calls = json::array();
  for (std::size_t i = 0; i < content.size(); ++i) {
    const json& b = content[i];
    std::string bf = f + "[" + std::to_string(i) + "]";
    auto type = string_member(b, "type");
    if (type == "text") {
      if (!b.contains("text") || !b["text"].is_string()) v.add(bf + ".text", "must be a string");
      else text += b["text"].get<std::string>();
    } else if (type == "tool_use") {
      const json* id = find(b, "id");
      const json* name = find(b, "name");
      const json* input = find(b, "input");
      if (!id || !is_nonempty_string(*id)) v.add(bf + ".id", "is required");
      if (!name || !is_nonempty_string(*name)) v.add(bf + ".name", "is required");
      if (input && !input->is_object()) v.add(bf + ".input", "must be an object");
      if (!id || !name || !id->is_string() || !name->is_string()) continue;
      calls.push_back({{"id", *id},
                       {"type", "function"},
                       {"function", {{"name", *name}, {"arguments", input ? input->dump() : std::string("{}")}}}});
    } else if (type == "thinking" || type == "redacted_thinking") {
      // Not expressible in OpenAI's format; the upstream sees the conversation without it.
    } else {
      v.add(bf + ".type", "must be text, tool_use or thinking in an assistant message");
    }
  }
  json m = {{"role", "assistant"}};
  m["content"] = text.empty() && !calls.empty() ? json(nullptr) : json(text);
  if (!calls.empty()) m["tool_calls"] = std::move(calls);
  out.push_back(std::move(m));
}

}  // namespace

json openai_from_anthropic(const json& req, bool for_count) {
  if (!req.is_object()) throw ValidationError("body", "must be a JSON object (an Anthropic Messages request)");
  Validation v;
  json out = json::object();
  const json* model = find(req, "model");
  if (!model || !is_nonempty_string(*model)) v.add("model", "is required: a model id, tier:0 … tier:3 or auto");
  else out["model"] = *model;

  if (!for_count) {
    const json* mt = find(req, "max_tokens");
    if (!mt || !mt->is_number_integer() || mt->get<long long>() < 1 || mt->get<long long>() > 10'000'000)
      v.add("max_tokens", "is required: an integer ≥ 1");
    else out["max_tokens"] = *mt;
  }

  json messages = json::array();
  if (const json* sys = find(req, "system")) {
    if (sys->is_string()) {
      if (!sys->get_ref<const std::string&>().empty()) messages.push_back({{"role", "system"}, {"content", *sys}});
    } else if (sys->is_array()) {
      json parts = json::array();
      for (std::size_t i = 0; i < sys->size() && i < kMaxBlocks; ++i) {
        const json& b = (*sys)[i];
        if (string_member(b, "type") != "text" || !b.contains("text") || !b["text"].is_string())
          v.add("system[" + std::to_string(i) + "]", "must be a text block {type: text, text}");
        else parts.push_back(text_part(b));
      }
      if (!parts.empty()) messages.push_back({{"role", "system"}, {"content", std::move(parts)}});
    } else {
      v.add("system", "must be a string or an array of text blocks");
    }
  }

  const json* msgs = find(req, "messages");
  if (!msgs || !msgs->is_array() || msgs->empty()) {
    v.add("messages", "is required: a non-empty array of {role, content}");
  } else if (msgs->size() > kMaxMessages) {
    v.add("messages", "at most " + std::to_string(kMaxMessages) + " messages");
  } else {
    for (std::size_t i = 0; i < msgs->size(); ++i) {
      const json& m = (*msgs)[i];
      std::string f = "messages[" + std::to_string(i) + "]";
      if (!m.is_object()) {
        v.add(f, "must be an object with role and content");
        continue;
      }
      auto role = string_member(m, "role");
      const json* content = find(m, "content");
      if (role != "user" && role != "assistant") v.add(f + ".role", "must be user or assistant");
      if (!content || !(content->is_string() || content->is_array())) {
        v.add(f + ".content", "is required: a string or an array of content blocks");
        continue;
      }
      if (content->is_array() && content->size() > kMaxBlocks) {
        v.add(f + ".content", "at most " + std::to_string(kMaxBlocks) + " blocks");
        continue;
      }
      if (role == "user") user_message(*content, f + ".content", v, messages);
      else if (role == "assistant") assistant_message(*content, f + ".content", v, messages);
    }
  }
  out["messages"] = std::move(messages);

  bool has_tools = false;
  if (const json* tools = find(req, "tools")) {
    if (!tools->is_array() || tools->size() > kMaxTools) {
      v.add("tools", "must be an array of at most " + std::to_string(kMaxTools) + " tools");
    } else {
      json fns = json::array();
      for (std::size_t i = 0; i < tools->size(); ++i) {
        const json& t = (*tools)[i];
        std::string f = "tools[" + std::to_string(i) + "]";
        if (!t.is_object()) {
          v.add(f, "must be an object {name, description, input_schema}");
          continue;
        }
        const json* type = find(t, "type");
        if (type && !type->is_string()) {
          v.add(f + ".type", "must be a string (custom, or leave it out)");
          continue;
        }
        if (type && type->get_ref<const std::string&>() != "custom") {
          v.add(f + ".type", "server tools (" + type->get<std::string>() +
                                 ") are not supported by the gateway; declare client tools");
          continue;
        }
        const json* name = find(t, "name");
        const json* schema = find(t, "input_schema");
        if (!name || !is_nonempty_string(*name)) v.add(f + ".name", "is required");
        if (!schema || !schema->is_object()) v.add(f + ".input_schema", "is required: a JSON schema object");
        if (!name || !schema || !name->is_string() || !schema->is_object()) continue;
        json fn = {{"name", *name}, {"parameters", *schema}};
        if (const json* d = find(t, "description"); d && d->is_string()) fn["description"] = *d;
        fns.push_back({{"type", "function"}, {"function", std::move(fn)}});
      }
      if (!fns.empty()) {
        out["tools"] = std::move(fns);
        has_tools = true;
      }
    }
  }
  if (const json* tc = find(req, "tool_choice")) {
    auto type = tc->is_object() ? tc->value("type", std::string()) : std::string();
    if (type == "auto") out["tool_choice"] = "auto";
    else if (type == "any") out["tool_choice"] = "required";
    else if (type == "none") out["tool_choice"] = "none";
    else if (type == "tool") {
      const json* name = find(*tc, "name");
      if (!name || !is_nonempty_string(*name)) v.add("tool_choice.name", "is required for type tool");
      else out["tool_choice"] = {{"type", "function"}, {"function", {{"name", *name}}}};
    } else {
      v.add("tool_choice.type", "must be auto, any, tool or none");
    }
    if (tc->is_object() && tc->value("disable_parallel_tool_use", false) && has_tools) out["parallel_tool_calls"] = false;
    if (!has_tools) out.erase("tool_choice");
  }
  if (const json* t = find(req, "temperature")) {
    if (!t->is_number() || t->get<double>() < 0 || t->get<double>() > 1) v.add("temperature", "must be a number in [0, 1]");
    else out["temperature"] = *t;
  }
  if (const json* p = find(req, "top_p")) {
    if (!p->is_number() || p->get<double>() < 0 || p->get<double>() > 1) v.add("top_p", "must be a number in [0, 1]");
    else out["top_p"] = *p;
  }
  if (const json* k = find(req, "top_k"); k && (!k->is_number_integer() || k->get<long long>() < 0))
    v.add("top_k", "must be a non-negative integer");
  if (const json* s = find(req, "stop_sequences")) {
    if (!s->is_array() || s->size() > kMaxStops ||
        !std::all_of(s->begin(), s->end(), [](const json& x) { return is_nonempty_string(x); }))
      v.add("stop_sequences", "must be an array of at most " + std::to_string(kMaxStops) + " non-empty strings");
    else if (!s->empty()) out["stop"] = *s;
  }
  if (const json* md = find(req, "metadata")) {
    if (!md->is_object()) v.add("metadata", "must be an object");
    else if (const json* uid = find(*md, "user_id")) {
      if (!uid->is_string()) v.add("metadata.user_id", "must be a string");
      else out["user"] = *uid;
    }
  }
  if (const json* s = find(req, "stream")) {
    if (!s->is_boolean()) v.add("stream", "must be true or false");
    else if (s->get<bool>() && !for_count) {
      out["stream"] = true;
      out["stream_options"] = {{"include_usage", true}};
    }
  }
  v.throw_if_any();
  return out;
}

std::string anthropic_stop_reason(std::string_view f) {
  if (f == "length") return "max_tokens";
  if (f == "tool_calls" || f == "function_call") return "tool_use";
  if (f == "content_filter") return "refusal";
  return "end_turn";
}

ojson anthropic_usage_json(const Usage& u) {
  return {{"input_tokens", u.prompt_tokens},
          {"cache_creation_input_tokens", u.cache_write_tokens},
          {"cache_read_input_tokens", u.cache_read_tokens},
          {"output_tokens", u.completion_tokens}};
}

namespace {
std::string message_id(const json& completion) {
  std::string id(string_member(completion, "id"));
  if (id.rfind("msg_", 0) == 0) return id;
  return "msg_" + (id.empty() ? std::string("gateway") : id);
}
json parse_arguments(const json* args) {
  if (!args) return json::object();
  if (args->is_object()) return *args;
  if (args->is_string()) {
    json j = parse_json(args->get_ref<const std::string&>());
    if (j.is_object()) return j;
  }
  return json::object();
}
}  // namespace

ojson anthropic_message(const json& completion, const Usage& usage, const std::string& model) {
  ojson content = ojson::array();
  std::string finish;
  if (auto ch = completion.find("choices"); ch != completion.end() && ch->is_array() && !ch->empty()) {
    const json& c0 = (*ch)[0];
    finish = c0.is_object() && c0.contains("finish_reason") && c0["finish_reason"].is_string()
                 ? c0["finish_reason"].get<std::string>()
                 : std::string();
    if (const json* msg = find(c0, "message")) {
      if (const json* text = find(*msg, "content")) {
        if (text->is_string() && !text->get_ref<const std::string&>().empty())
          content.push_back({{"type", "text"}, {"text", *text}});
        else if (text->is_array())
          for (const auto& p : *text)
            if (string_member(p, "type") == "text" && p.contains("text"))
              content.push_back({{"type", "text"}, {"text", p["text"]}});
      }
      if (const json* calls = find(*msg, "tool_calls"); calls && calls->is_array())
        for (const auto& c : *calls) {
          const json* fn = find(c, "function");
          if (!fn) continue;
          ojson block = {{"type", "tool_use"},
                         {"id", string_member(c, "id", "toolu_gateway")},
                         {"name", string_member(*fn, "name")},
                         {"input", parse_arguments(find(*fn, "arguments"))}};
          content.push_back(std::move(block));
        }
    }
  }
  return {{"id", message_id(completion)},
          {"type", "message"},
          {"role", "assistant"},
          {"model", model},
          {"content", std::move(content)},
          {"stop_reason", anthropic_stop_reason(finish)},
          {"stop_sequence", nullptr},
          {"usage", anthropic_usage_json(usage)}};
}

std::string anthropic_error_type(int status) {
  switch (status) {
    case 400: case 422: return "invalid_request_error";
    case 401: return "authentication_error";
    case 402: return "billing_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 503: case 529: return "overloaded_error";
    case 504: return "timeout_error";
    default: return status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
  }
}

json anthropic_error_body(int status, const std::string& message) {
  return {{"type", "error"}, {"error", {{"type", anthropic_error_type(status)}, {"message", message}}}};
}

// ---- stream ----------------------------------------------------------------------------------------

MessagesStreamEncoder::MessagesStreamEncoder(std::string model, std::int64_t input_estimate)
    : model_(std::move(model)), input_estimate_(input_estimate) {}

void MessagesStreamEncoder::event(std::string& out, const char* type, const ojson& data) {
  out += "event: ";
  out += type;
  out += "\ndata: ";
  out += data.dump();
  out += "\n\n";
}

void MessagesStreamEncoder::start_if_needed(std::string& out) {
  if (started_) return;
  started_ = true;
  Usage u;
  u.prompt_tokens = input_estimate_;
  ojson msg = {{"id", id_.empty() ? std::string("msg_gateway") : id_},
               {"type", "message"},
               {"role", "assistant"},
               {"model", model_},
               {"content", ojson::array()},
               {"stop_reason", nullptr},
               {"stop_sequence", nullptr},
               {"usage", anthropic_usage_json(u)}};
  event(out, "message_start", {{"type", "message_start"}, {"message", std::move(msg)}});
}

void MessagesStreamEncoder::close_block(std::string& out) {
  if (block_ < 0) return;
  event(out, "content_block_stop", {{"type", "content_block_stop"}, {"index", block_}});
  block_ = -1;
  text_open_ = false;
}

void MessagesStreamEncoder::open_block(std::string& out, ojson block) {
  close_block(out);
  block_ = next_block_++;
  event(out, "content_block_start", {{"type", "content_block_start"}, {"index", block_}, {"content_block", std::move(block)}});
  if (!pinged_) {
    pinged_ = true;
    event(out, "ping", {{"type", "ping"}});
  }
}

void MessagesStreamEncoder::finish(std::string& out) {
  if (done_) return;
  start_if_needed(out);
  close_block(out);
  done_ = true;
  Usage u = usage_;
  if (!has_usage_) {  // the upstream reported nothing: the gateway's estimates (usage_logs says estimated)
    u.prompt_tokens = input_estimate_;
    u.completion_tokens = (output_chars_ + 3) / 4;
  }
  event(out, "message_delta",
        {{"type", "message_delta"},
         {"delta", {{"stop_reason", anthropic_stop_reason(finish_reason_)}, {"stop_sequence", nullptr}}},
         {"usage", anthropic_usage_json(u)}});
  event(out, "message_stop", {{"type", "message_stop"}});
}

void MessagesStreamEncoder::on_chunk(std::string& out, const json& chunk) {
  if (!chunk.is_object()) return;
  if (auto err = chunk.find("error"); err != chunk.end()) {
    std::string message = "upstream stream failed";
    if (err->is_object() && err->contains("message") && (*err)["message"].is_string())
      message = (*err)["message"].get<std::string>();
    else if (err->is_string())
      message = err->get<std::string>();
    start_if_needed(out);
    close_block(out);
    done_ = true;
    event(out, "error", anthropic_error_body(500, message));
    return;
  }
  if (id_.empty())
    if (auto id = chunk.find("id"); id != chunk.end() && id->is_string()) id_ = message_id(chunk);
  if (auto u = chunk.find("usage"); u != chunk.end() && u->is_object()) {
    usage_ = openai_usage(*u);
    has_usage_ = usage_.reported;
  }
  start_if_needed(out);
  auto choices = chunk.find("choices");
  if (choices == chunk.end() || !choices->is_array() || choices->empty()) return;
  const json& c0 = (*choices)[0];
  if (!c0.is_object() || integer_member(c0, "index") != 0) return;
  if (auto fr = c0.find("finish_reason"); fr != c0.end() && fr->is_string()) finish_reason_ = fr->get<std::string>();
  const json* delta = find(c0, "delta");
  if (!delta) return;
  if (const json* text = find(*delta, "content"); text && text->is_string() && !text->get_ref<const std::string&>().empty()) {
    if (!text_open_) {
      open_block(out, {{"type", "text"}, {"text", ""}});
      text_open_ = true;
    }
    output_chars_ += static_cast<std::int64_t>(text->get_ref<const std::string&>().size());
    event(out, "content_block_delta",
          {{"type", "content_block_delta"}, {"index", block_}, {"delta", {{"type", "text_delta"}, {"text", *text}}}});
  }
  if (const json* calls = find(*delta, "tool_calls"); calls && calls->is_array()) {
    for (const auto& c : *calls) {
      if (!c.is_object()) continue;
      std::int64_t idx = integer_member(c, "index");
      if (idx < 0 || idx > 1024) continue;
      if (static_cast<std::size_t>(idx) >= tool_block_.size()) tool_block_.resize(idx + 1, -1);
      const json* fn = find(c, "function");
      if (tool_block_[idx] < 0) {
        std::string id(string_member(c, "id"));
        if (id.empty()) id = "toolu_" + std::to_string(idx);
        std::string name(fn ? string_member(*fn, "name") : std::string_view());
        open_block(out, {{"type", "tool_use"}, {"id", id}, {"name", name}, {"input", ojson::object()}});
        tool_block_[idx] = block_;
        output_chars_ += static_cast<std::int64_t>(name.size());
      }
      if (fn)
        if (const json* args = find(*fn, "arguments"); args && args->is_string() && !args->get_ref<const std::string&>().empty()) {
          output_chars_ += static_cast<std::int64_t>(args->get_ref<const std::string&>().size());
          event(out, "content_block_delta",
                {{"type", "content_block_delta"},
                 {"index", tool_block_[idx]},
                 {"delta", {{"type", "input_json_delta"}, {"partial_json", *args}}}});
        }
    }
  }
}

std::string MessagesStreamEncoder::feed(std::string_view bytes) {
  std::string out;
  if (done_) return out;
  events_.clear();
  parser_.feed(bytes, events_);
  for (const auto& e : events_) {
    if (done_) break;
    if (e.data == "[DONE]") {
      finish(out);
      break;
    }
    json chunk = parse_json(e.data);
    if (chunk.is_discarded()) continue;
    on_chunk(out, chunk);
  }
  return out;
}

}  // namespace netops
