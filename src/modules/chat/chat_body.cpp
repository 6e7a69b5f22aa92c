#include "modules/chat/chat_body.hpp"
#include "core/json.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/ids.hpp"

namespace netops::chat {

using nlohmann::json;

namespace {

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Refuses keys the route does not know, so a typo ("systemPromt") is an error, not silently ignored.
void known_keys(const json& body, std::initializer_list<const char*> keys, Validation& v) {
  for (const auto& [k, _] : body.items()) {
    bool ok = false;
    for (const char* known : keys) ok = ok || k == known;
    if (!ok) v.add(k, "is not a field of this request");
  }
}

std::optional<std::string> optional_string(const json& body, const char* key, Validation& v, bool allow_empty) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    v.add(key, "must be a string");
    return std::nullopt;
  }
  if (!allow_empty && it->get_ref<const std::string&>().find_first_not_of(" \t\r\n") == std::string::npos) {
    v.add(key, "must not be empty");
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::string> model_field(const json& body, Validation& v) {
  auto m = optional_string(body, "model", v, false);
  if (m && !valid_model_ref(*m)) {
    v.add("model", "must be a model id (provider/name), tier:0 … tier:3 or auto");
    return std::nullopt;
  }
  return m;
}

std::optional<std::string> title_field(const json& body, Validation& v) {
  auto t = optional_string(body, "title", v, false);
  if (t && code_points(*t) > kMaxTitleChars) v.add("title", "must be at most 255 characters");
  return t;
}

// Keys the server keeps in metadata (the summary of older history); a client may not write them.
bool server_key(const std::string& k) { return k.rfind("summary", 0) == 0; }

void check_metadata(const json& m, Validation& v, bool refuse_server_keys) {
  if (!m.is_object()) {
    v.add("metadata", "must be an object");
    return;
  }
  if (refuse_server_keys)
    for (const auto& [k, _] : m.items())
      if (server_key(k)) v.add("metadata." + k, "is kept by the server (the conversation summary)");
  if (auto sp = m.find("systemPrompt"); sp != m.end() && !sp->is_string() && !sp->is_null())
    v.add("metadata.systemPrompt", "must be a string (the system prompt of later messages) or null");
  if (m.dump().size() > 64 * 1024) v.add("metadata", "must be at most 64 KiB as JSON");
}

}  // namespace

bool valid_model_ref(const std::string& s) {
  if (s == "auto") return true;
  if (s.rfind("tier:", 0) == 0) return s.size() == 6 && s[5] >= '0' && s[5] <= '3';
  if (s.empty() || s.size() > 100) return false;
  for (unsigned char c : s)
    if (!(std::isalnum(c) || c == '/' || c == '.' || c == '_' || c == ':' || c == '@' || c == '+' || c == '-'))
      return false;
  return true;
}

SendInput parse_send(const json& body) {
  Validation v;
  known_keys(body,
             {"message", "conversationId", "model", "systemPrompt", "temperature", "maxTokens", "stream", "tools",
              "toolResults"},
             v);
  SendInput in;
  in.message = optional_string(body, "message", v, false);
  if (in.message && code_points(*in.message) > kMaxMessageChars) v.add("message", "must be at most 200000 characters");
  if (auto c = optional_string(body, "conversationId", v, false)) {
    if (is_uuid(*c)) in.conversation_id = *c;
    else v.add("conversationId", "must be a UUID");
  }
  in.model = model_field(body, v);
  in.system_prompt = optional_string(body, "systemPrompt", v, true);
  if (in.system_prompt && code_points(*in.system_prompt) > kMaxMessageChars)
    v.add("systemPrompt", "must be at most 200000 characters");
  if (auto t = body.find("temperature"); t != body.end() && !t->is_null()) {
    if (!t->is_number() || t->get<double>() < 0 || t->get<double>() > 2 || !std::isfinite(t->get<double>()))
      v.add("temperature", "must be a number from 0 to 2");
    else in.temperature = t->get<double>();
  }
  if (auto t = body.find("maxTokens"); t != body.end() && !t->is_null()) {
    if (!t->is_number_integer() || t->get<long long>() < 1 || t->get<long long>() > 1'000'000)
      v.add("maxTokens", "must be an integer from 1 to 1000000");
    else in.max_tokens = t->get<int>();
  }
  if (auto s = body.find("stream"); s != body.end() && !s->is_null()) {
    if (!s->is_boolean()) v.add("stream", "must be true or false");
    else in.stream = s->get<bool>();
  }
  auto server_names = [](const json& t) {
    if (!t.is_array() || t.empty()) return false;
    for (const auto& x : t)
      if (!x.is_string()) return false;
    return true;
  };
  if (auto t = body.find("tools"); t != body.end() && t->is_string()) {
    // The server's tool registry: "auto" offers every tool the caller may use, "none" none.
    if (*t == "auto" || *t == "none") in.server_tools = *t;  // none: not even the conversation's tools
    else v.add("tools", "must be \"auto\", \"none\", an array of tool names or of OpenAI tool definitions");
  } else if (t != body.end() && server_names(*t)) {
    if (t->size() > 64) v.add("tools", "must name at most 64 tools");
    for (std::size_t i = 0; i < t->size(); ++i) {
      const auto& n = (*t)[i].get_ref<const std::string&>();
      if (n.empty() || n.size() > 64) v.add("tools[" + std::to_string(i) + "]", "must be a tool name (1-64 characters)");
      for (std::size_t j = 0; j < i; ++j)
        if ((*t)[j] == (*t)[i]) v.add("tools[" + std::to_string(i) + "]", "is listed twice");
    }
    in.server_tools = *t;
  } else if (t != body.end() && !t->is_null()) {
    bool ok = t->is_array() && !t->empty();
    if (ok)
      for (const auto& tool : *t)
        ok = ok && string_member(tool, "type") == "function" && tool.contains("function") &&
             tool["function"].is_object() && tool["function"].contains("name") && tool["function"]["name"].is_string();
    if (ok) in.tools = *t;
    else v.add("tools", "must be \"auto\", a non-empty array of tool names (the server's tools) or of {type: \"function\", function: {name, description?, parameters?}} (tools the client runs)");
  }
  if (auto r = body.find("toolResults"); r != body.end() && !r->is_null()) {
    if (!r->is_array() || r->empty()) {
      v.add("toolResults", "must be a non-empty array of {toolCallId, content}");
    } else {
      for (std::size_t i = 0; i < r->size(); ++i) {
        const json& x = (*r)[i];
        std::string f = "toolResults[" + std::to_string(i) + "]";
        if (!x.is_object() || !x.contains("toolCallId") || !x["toolCallId"].is_string() ||
            x["toolCallId"].get_ref<const std::string&>().empty()) {
          v.add(f + ".toolCallId", "is required: the id of the tool call this answers");
          continue;
        }
        ToolResult tr{x["toolCallId"].get<std::string>(), ""};
        if (auto c = x.find("content"); c != x.end() && c->is_string()) tr.content = c->get<std::string>();
        else if (c != x.end() && !c->is_null()) tr.content = c->dump();  // structured results travel as JSON text
        else v.add(f + ".content", "is required: the tool's output (a string or any JSON value)");
        for (const auto& k : x.items())
          if (k.key() != "toolCallId" && k.key() != "content") v.add(f + "." + k.key(), "is not a field of a tool result");
        in.tool_results.push_back(std::move(tr));
      }
    }
  }
  if (!in.message && in.tool_results.empty() && !body.contains("message"))
    v.add("message", "is required (or toolResults answering the last tool calls)");
  if (!in.tool_results.empty() && !in.conversation_id && !body.contains("conversationId"))
    v.add("conversationId", "is required with toolResults: the conversation whose tool calls they answer");
  v.throw_if_any();
  return in;
}

NewConversation parse_new_conversation(const json& body) {
  Validation v;
  known_keys(body, {"title", "model", "metadata"}, v);
  NewConversation c;
  c.title = title_field(body, v);
  c.model = model_field(body, v);
  if (auto m = body.find("metadata"); m != body.end() && !m->is_null()) {
    check_metadata(*m, v, true);
    c.metadata = *m;
  }
  v.throw_if_any();
  return c;
}

ConversationPatch parse_conversation_patch(const json& body) {
  Validation v;
  // Read-only fields of the GET shape are ignored, so a client may send back what it read.
  for (const auto& [k, _] : body.items()) {
    static const char* kFields[] = {"title", "model", "status", "metadata", "id", "userId", "messageCount",
                                    "createdAt", "updatedAt"};
    if (std::find_if(std::begin(kFields), std::end(kFields), [&](const char* f) { return k == f; }) ==
        std::end(kFields))
      v.add(k, "is not a field of a conversation");
  }
  ConversationPatch p;
  p.title = title_field(body, v);
  p.model = model_field(body, v);
  p.status = optional_string(body, "status", v, false);
  if (p.status && *p.status != "active" && *p.status != "archived") {
    v.add("status", "must be active or archived");
    p.status.reset();
  }
  if (auto m = body.find("metadata"); m != body.end() && !m->is_null()) {
    check_metadata(*m, v, false);
    // The stored summary is the server's: a client sending back what it read leaves it as it is.
    json own = json::object();
    if (m->is_object())
      for (const auto& [k, val] : m->items())
        if (!server_key(k)) own[k] = val;
    p.metadata = std::move(own);
  }
  v.throw_if_any();
  return p;
}

std::string parse_message_edit(const json& body) {
  Validation v;
  std::string content;
  for (const auto& [k, _] : body.items())
    if (k != "content") v.add(k, "is not a field of a message edit (only content)");
  if (auto it = body.find("content"); it == body.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
    v.add("content", "is required: the message's new text");
  else
    content = it->get<std::string>();
  if (code_points(content) > kMaxMessageChars) v.add("content", "must be at most 200000 characters");
  v.throw_if_any();
  return content;
}

std::string title_from(const std::string& message) {
  std::string line;
  bool space = false;
  for (char c : message) {
    if (c == '\n' && !line.empty()) break;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !line.empty();
      continue;
    }
    if (space) line += ' ';
    space = false;
    line += c;
  }
  if (line.empty()) return "New conversation";
  constexpr std::size_t kMax = 60;
  if (code_points(line) <= kMax) return line;
  // Cut at kMax code points, then back to the last space when there is one in the second half.
  std::size_t bytes = 0, n = 0;
  while (bytes < line.size() && n < kMax) {
    ++bytes;
    while (bytes < line.size() && (static_cast<unsigned char>(line[bytes]) & 0xC0) == 0x80) ++bytes;
    ++n;
  }
  std::string cut = line.substr(0, bytes);
  if (auto sp = cut.rfind(' '); sp != std::string::npos && sp > bytes / 2) cut.resize(sp);
  return cut + "…";
}

}  // namespace netops::chat
