#include "modules/chat/context.hpp"

#include <algorithm>

#include "llm/pricing.hpp"

namespace netops::chat {

using nlohmann::json;

bool advance(ContextSnapshot& s, std::int64_t version, ContextMessage m) {
  if (version != s.version + 1) return false;
  s.version = version;
  s.messages.push_back(std::move(m));
  if (s.messages.size() > static_cast<std::size_t>(kContextMaxMessages)) {
    s.messages.erase(s.messages.begin());
    s.complete = false;
  }
  return true;
}

json snapshot_to_json(const ContextSnapshot& s) {
  json msgs = json::array();
  for (const auto& m : s.messages) {
    json j = {{"s", m.seq}, {"r", m.role}, {"c", m.content}};
    if (!m.tool_calls.is_null()) j["tc"] = m.tool_calls;
    if (m.tool_call_id) j["ti"] = *m.tool_call_id;
    if (m.incomplete) j["x"] = true;
    msgs.push_back(std::move(j));
  }
  json out = {{"v", s.version}, {"complete", s.complete}, {"messages", std::move(msgs)}};
  if (s.summary) out["summary"] = *s.summary;
  return out;
}

std::optional<ContextSnapshot> snapshot_from_json(const json& j) {
  try {
    ContextSnapshot s;
    s.version = j.at("v").get<std::int64_t>();
    s.complete = j.at("complete").get<bool>();
    if (auto it = j.find("summary"); it != j.end() && it->is_string()) s.summary = it->get<std::string>();
    for (const auto& m : j.at("messages")) {
      ContextMessage c;
      c.seq = m.at("s").get<std::int64_t>();
      c.role = m.at("r").get<std::string>();
      c.content = m.at("c").get<std::string>();
      if (auto it = m.find("tc"); it != m.end()) c.tool_calls = *it;
      if (auto it = m.find("ti"); it != m.end()) c.tool_call_id = it->get<std::string>();
      c.incomplete = m.value("x", false);
      s.messages.push_back(std::move(c));
    }
    return s;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

json openai_message(const ContextMessage& m) {
  json j = {{"role", m.role}};
  if (m.role == "assistant" && m.tool_calls.is_array() && !m.tool_calls.empty()) {
    j["content"] = m.content.empty() ? json() : json(m.content);
    j["tool_calls"] = m.tool_calls;
  } else {
    j["content"] = m.content;
  }
  if (m.role == "tool" && m.tool_call_id) j["tool_call_id"] = *m.tool_call_id;
  return j;
}

std::vector<std::string> tool_call_ids(const ContextMessage& m) {
  std::vector<std::string> ids;
  if (m.role == "assistant" && m.tool_calls.is_array())
    for (const auto& c : m.tool_calls)
      if (c.is_object() && c.contains("id") && c["id"].is_string()) ids.push_back(c["id"].get<std::string>());
  return ids;
}

std::int64_t message_tokens(const ContextMessage& m) {
  return estimate_prompt_tokens(json::array({openai_message(m)}));
}

Prompt build_prompt(const ContextSnapshot& s, const std::optional<std::string>& system_prompt, std::int64_t budget) {
  Prompt p;
  std::optional<json> system;
  if (system_prompt && !system_prompt->empty()) system = json{{"role", "system"}, {"content", *system_prompt}};
  std::int64_t fixed = system ? estimate_prompt_tokens(json::array({*system})) : 0;

  // Candidates, newest first, with their cost.
  std::vector<std::pair<const ContextMessage*, std::int64_t>> usable;
  std::int64_t all = 0;
  for (auto it = s.messages.rbegin(); it != s.messages.rend(); ++it) {
    if (it->incomplete) continue;
    auto t = message_tokens(*it);
    usable.emplace_back(&*it, t);
    all += t;
  }
  std::optional<json> summary;
  std::int64_t summary_tokens = 0;
  bool everything = s.complete && fixed + all <= budget;
  if (!everything && s.summary && !s.summary->empty()) {
    summary = json{{"role", "system"}, {"content", kSummaryPreamble + *s.summary}};
    summary_tokens = estimate_prompt_tokens(json::array({*summary}));
  }

  std::size_t take = 0;
  std::int64_t used = fixed + summary_tokens;
  if (everything) {
    take = usable.size();
    used = fixed + all;
  } else {
    while (take < usable.size() && used + usable[take].second <= budget) used += usable[take++].second;
    // A tool result needs the assistant message that asked for it: drop results whose call was cut.
    while (take > 0 && usable[take - 1].first->role == "tool") used -= usable[--take].second;
    p.fits = take > 0 || usable.empty();
  }

  if (system) p.messages.push_back(*system);
  p.cut = static_cast<int>(usable.size() - take);
  if (summary && (p.cut > 0 || !s.complete)) {  // something older than the prompt is left out
    p.messages.push_back(*summary);
    p.summary_used = true;
  } else if (summary) {
    used -= summary_tokens;
  }
  // Oldest first. Providers accept tool calls only when the tool results answering all of them follow at
  // once, and tool results only after their call. So an assistant message whose calls were not all answered
  // right after it (the client moved on, or a result was deleted) goes without its tool_calls (or not at all
  // when it had no text), and a tool result whose call is not in the prompt stays out.
  std::vector<std::pair<const ContextMessage*, std::int64_t>> chosen;
  for (std::size_t i = take; i-- > 0;) chosen.push_back(usable[i]);
  std::vector<std::string> calls;  // ids of the calls that go out with their results
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const ContextMessage& m = *chosen[i].first;
    auto leave_out = [&] {
      used -= chosen[i].second;
      ++p.cut;
    };
    if (m.role == "tool") {
      if (std::find(calls.begin(), calls.end(), m.tool_call_id.value_or("")) == calls.end()) leave_out();
      else {
        p.messages.push_back(openai_message(m));
        ++p.included;
      }
      continue;
    }
    auto ids = tool_call_ids(m);
    if (!ids.empty()) {
      std::vector<std::string> answered;
      for (std::size_t k = i + 1; k < chosen.size() && chosen[k].first->role == "tool"; ++k)
        answered.push_back(chosen[k].first->tool_call_id.value_or(""));
      bool all = std::all_of(ids.begin(), ids.end(), [&](const std::string& id) {
        return std::find(answered.begin(), answered.end(), id) != answered.end();
      });
      if (all) {
        calls.insert(calls.end(), ids.begin(), ids.end());
      } else {
        if (m.content.empty()) {
          leave_out();
          continue;
        }
        ContextMessage text_only = m;
        text_only.tool_calls = json();
        p.messages.push_back(openai_message(text_only));
        ++p.included;
        continue;
      }
    }
    p.messages.push_back(openai_message(m));
    ++p.included;
  }
  p.tokens = used;
  return p;
}

}  // namespace netops::chat
