// AnthropicStream: Anthropic Messages SSE events → OpenAI chat.completion.chunk SSE bytes.
#include <algorithm>

#include "llm/adapter_util.hpp"
#include "core/json.hpp"
#include "llm/anthropic.hpp"
#include "llm/pricing.hpp"

namespace netops {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;
using llm_detail::int_field;

// Content blocks of one message a stream may index (an upstream cannot make the translator allocate more).
constexpr std::int64_t kMaxBlocks = 1024;
using llm_detail::member;
using llm_detail::str;
using llm_detail::str_or;

}  // namespace

AnthropicStream::AnthropicStream(std::string client_model, bool client_wants_usage, std::int64_t created)
    : client_model_(std::move(client_model)), client_wants_usage_(client_wants_usage), created_(llm_detail::unix_now_or(created)) {}

std::string AnthropicStream::chunk(ojson delta, const std::string& finish_reason) const {
  ojson c = {{"id", id_},
             {"object", "chat.completion.chunk"},
             {"created", created_},
             {"model", client_model_},
             {"choices", ojson::array({{{"index", 0},
                                        {"delta", std::move(delta)},
                                        {"logprobs", nullptr},
                                        {"finish_reason", finish_reason.empty() ? ojson() : ojson(finish_reason)}}})}};
  // OpenAI's include_usage contract: every chunk but the last carries "usage": null.
  if (client_wants_usage_) c["usage"] = nullptr;
  return "data: " + c.dump() + "\n\n";
}

std::string AnthropicStream::start_if_needed() {
  if (started_) return {};
  started_ = true;
  return chunk({{"role", "assistant"}, {"content", ""}});
}

void AnthropicStream::merge_usage(const json& u) {
  if (!u.is_object()) return;
  Usage next = anthropic_usage(u);
  usage_.reported = true;
  // message_delta counts are cumulative and may repeat (or newly carry) input counts: last non-zero wins.
  if (next.prompt_tokens) usage_.prompt_tokens = next.prompt_tokens;
  if (next.completion_tokens) usage_.completion_tokens = next.completion_tokens;
  if (next.cache_read_tokens) usage_.cache_read_tokens = next.cache_read_tokens;
  if (next.cache_write_tokens) usage_.cache_write_tokens = next.cache_write_tokens;
}

std::string AnthropicStream::feed(std::string_view event, std::string_view data) {
  if (done_) return {};
  json ev = parse_json(data);
  if (!ev.is_object()) return {};
  std::string type = str_or(ev, "type", std::string(event));
  if (type == "message_start") {
    const json& msg = member(ev, "message");
    id_ = str_or(msg, "id", id_);
    merge_usage(member(msg, "usage"));
    return start_if_needed();
  }
  if (type == "content_block_start") {
    const json& block = member(ev, "content_block");
    std::string out = start_if_needed();
    auto kind = str_or(block, "type");
    if (kind == "tool_use") {
      auto index = static_cast<std::size_t>(std::clamp<std::int64_t>(int_field(ev, "index"), 0, kMaxBlocks));
      if (tool_index_by_block_.size() <= index) tool_index_by_block_.resize(index + 1, -1);
      tool_index_by_block_[index] = next_tool_index_++;
      auto name = str_or(block, "name");
      streamed_ += name;
      ojson call = {{"index", tool_index_by_block_[index]},
                    {"id", str_or(block, "id")},
                    {"type", "function"},
                    {"function", {{"name", name}, {"arguments", ""}}}};
      out += chunk({{"tool_calls", ojson::array({std::move(call)})}});
    } else if (kind == "text" && !str_or(block, "text").empty()) {
      text_ += str_or(block, "text");
      streamed_ += str_or(block, "text");
      out += chunk({{"content", str_or(block, "text")}});
    }
    return out;
  }
  if (type == "content_block_delta") {
    const json& delta = member(ev, "delta");
    auto kind = str_or(delta, "type");
    std::string out = start_if_needed();
    if (kind == "text_delta") {
      auto t = str_or(delta, "text");
      text_ += t;
      streamed_ += t;
      out += chunk({{"content", t}});
    } else if (kind == "input_json_delta") {
      auto partial = str_or(delta, "partial_json");
      auto index = static_cast<std::size_t>(std::max<std::int64_t>(0, int_field(ev, "index")));
      if (!partial.empty() && index < tool_index_by_block_.size() && tool_index_by_block_[index] >= 0) {
        streamed_ += partial;
        ojson call = {{"index", tool_index_by_block_[index]}, {"function", {{"arguments", partial}}}};
        out += chunk({{"tool_calls", ojson::array({std::move(call)})}});
      }
    }
    return out;
  }
  if (type == "message_delta") {
    merge_usage(member(ev, "usage"));
    if (ev.contains("usage")) final_usage_ = true;
    auto stop = str(member(ev, "delta"), "stop_reason");
    if (!stop) return {};
    finish_reason_ = anthropic_finish_reason(*stop);
    return start_if_needed() + chunk(ojson::object(), finish_reason_);
  }
  if (type == "message_stop") {
    done_ = true;
    std::string out = start_if_needed();
    if (client_wants_usage_) {
      ojson c = {{"id", id_},         {"object", "chat.completion.chunk"}, {"created", created_},
                 {"model", client_model_}, {"choices", ojson::array()},    {"usage", openai_usage_json(usage())}};
      out += "data: " + c.dump() + "\n\n";
    }
    return out + "data: [DONE]\n\n";
  }
  if (type == "error") {
    done_ = failed_ = true;
    const json& err = member(ev, "error");
    error_ = safe_error_text(str_or(err, "message", "upstream stream error"));
    ojson e = {{"error", {{"message", error_}, {"type", str_or(err, "type", "api_error")}, {"param", nullptr}, {"code", nullptr}}}};
    return "data: " + e.dump() + "\n\n";
  }
  return {};  // ping, content_block_stop, and event types added after this adapter was written
}

Usage AnthropicStream::usage() const {
  Usage u = usage_;
  if (!final_usage_) {
    u.reported = false;
    u.completion_tokens = estimated_completion_tokens();
  }
  return u;
}

std::int64_t AnthropicStream::estimated_completion_tokens() const { return estimate_tokens(streamed_); }

}  // namespace netops
