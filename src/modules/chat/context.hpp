#pragma once
// A conversation's context: what the model sees of the history (SPEC §4.3). Pure: the snapshot of recent
// messages (cached in Redis by context_repo) and the rule that fits it into a model's context window.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace netops::chat {

struct ContextMessage {
  std::int64_t seq = 0;
  std::string role, content;
  nlohmann::json tool_calls;  // null, or the OpenAI tool_calls of an assistant message
  std::optional<std::string> tool_call_id;
  bool incomplete = false;    // an answer whose stream failed half-way: kept for the user, not for the model
};

// The newest messages of a conversation at one context_version, oldest first.
struct ContextSnapshot {
  std::int64_t version = 0;
  bool complete = true;  // false when older messages exist that the snapshot left out
  std::optional<std::string> summary;  // conversations.metadata.summary
  std::vector<ContextMessage> messages;
};

nlohmann::json snapshot_to_json(const ContextSnapshot& s);
// nullopt when the JSON is not a snapshot (a foreign or corrupt cache entry).
std::optional<ContextSnapshot> snapshot_from_json(const nlohmann::json& j);

// The message as the OpenAI Chat Completions API takes it.
nlohmann::json openai_message(const ContextMessage& m);
// The ids of the tool calls an assistant message made (none for other roles).
std::vector<std::string> tool_call_ids(const ContextMessage& m);
// Its estimated prompt cost (llm/pricing estimate_prompt_tokens: ceil(chars / 4) + 3).
std::int64_t message_tokens(const ContextMessage& m);

inline constexpr int kContextMaxMessages = 200;  // the newest this many messages are candidates for a prompt

// `s` was the context at s.version and a write moved the conversation to `version` by adding `m`. When
// that write was the only change (version = s.version + 1) the snapshot takes `m` and the new version
// (true); otherwise it no longer describes the conversation (false: drop it, the next reader rebuilds).
bool advance(ContextSnapshot& s, std::int64_t version, ContextMessage m);

struct Prompt {
  nlohmann::json messages = nlohmann::json::array();  // system prompt, summary, history: ready to send
  int included = 0;           // history messages sent
  int cut = 0;                // history messages left out (older than those sent)
  bool summary_used = false;  // the summary stands in for what was cut
  std::int64_t tokens = 0;    // estimate of the whole prompt
  bool fits = true;           // false: not even the newest message (with the call its results answer) fits
};

inline constexpr const char* kSummaryPreamble = "Summary of the earlier part of this conversation:\n";

// The system prompt, then the newest history that fits `budget` tokens (the model's context window minus
// what is reserved for the answer); when older messages had to be left out, the summary (if any) goes
// right after the system prompt. Tool calls go out only together with the results answering all of them
// (otherwise the assistant message goes as text), tool results never without their call, and incomplete
// answers not at all.
Prompt build_prompt(const ContextSnapshot& s, const std::optional<std::string>& system_prompt, std::int64_t budget);

}  // namespace netops::chat
