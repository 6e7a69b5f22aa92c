#include "modules/chat/stream_relay.hpp"

#include "core/json.hpp"

namespace netops::chat {

using nlohmann::json;

std::string sse_event(const json& event) {
  return "data: " + event.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
}

Task<bool> StreamRelay::write(std::string_view chunk) {
  std::string forward;
  for (auto& e : parser_.feed(chunk)) {
    if (e.data == "[DONE]") continue;
    json j = parse_json(e.data);
    if (!j.is_object()) continue;
    if (auto err = j.find("error"); err != j.end()) {
      error_ = "upstream stream failed";
      if (err->is_object())
        if (auto m = err->find("message"); m != err->end() && m->is_string()) error_ = m->get<std::string>();
      continue;
    }
    auto choices = j.find("choices");
    if (choices == j.end() || !choices->is_array() || choices->empty()) continue;
    const json& choice = (*choices)[0];
    if (auto f = choice.find("finish_reason"); f != choice.end() && f->is_string()) finish_ = f->get<std::string>();
    auto delta = choice.find("delta");
    if (delta == choice.end() || !delta->is_object()) continue;
    json event = {{"type", "delta"}};
    if (auto c = delta->find("content"); c != delta->end() && c->is_string() && !c->get_ref<const std::string&>().empty()) {
      text_ += c->get_ref<const std::string&>();
      event["content"] = *c;
    }
    if (auto calls = delta->find("tool_calls"); calls != delta->end() && calls->is_array()) {
      merge_tool_calls(*calls);
      event["toolCalls"] = *calls;
    }
    if (event.size() > 1) forward += sse_event(event);
  }
  if (out_ && !gone_ && !forward.empty()) gone_ = !co_await out_->write(forward);
  co_return true;  // never "gone": the upstream is read to its end either way
}

// Streamed tool calls arrive as fragments keyed by index: id, name and the first piece of the arguments,
// then more pieces of the arguments.
void StreamRelay::merge_tool_calls(const json& deltas) {
  for (const auto& d : deltas) {
    if (!d.is_object()) continue;
    auto index = d.find("index");
    std::size_t i = index != d.end() && index->is_number_unsigned() ? index->get<std::size_t>() : 0;
    if (i > 128) continue;
    while (calls_.size() <= i)
      calls_.push_back({{"id", ""}, {"type", "function"}, {"function", {{"name", ""}, {"arguments", ""}}}});
    json& c = calls_[i];
    if (auto id = d.find("id"); id != d.end() && id->is_string()) c["id"] = *id;
    if (auto f = d.find("function"); f != d.end() && f->is_object()) {
      for (const char* key : {"name", "arguments"})
        if (auto v = f->find(key); v != f->end() && v->is_string())
          c["function"][key] = c["function"][key].get<std::string>() + v->get<std::string>();
    }
  }
}

}  // namespace netops::chat
