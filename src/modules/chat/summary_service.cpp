// Summaries of older history (SPEC §4.3): once the messages not yet summarised exceed
// NETOPS_CHAT_SUMMARY_TOKENS, the older ones (all but the newest, which keep up to half the threshold)
// are summarised — together with the previous summary — by NETOPS_CHAT_SUMMARY_MODEL (tier:0 by
// default) into conversations.metadata.summary. It runs after the reply, never delaying it; the call is
// accounted to the user and the conversation like any other. The write only moves forward
// (summaryThroughSeq grows), so two instances summarising at once cannot go back in time.
#include <spdlog/spdlog.h>

#include "modules/chat/summary_service.hpp"
#include "core/json.hpp"

namespace netops::chat {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxCharsPerMessage = 4000;
constexpr std::size_t kMaxTranscriptChars = 120'000;

constexpr const char* kInstructions =
    "You maintain the running summary of a conversation between a user and an AI assistant for IT and network "
    "operations. Merge the previous summary (if any) with the new messages into one concise summary of at most "
    "300 words. Keep facts, decisions, device names, addresses, numbers, commands and open questions; drop "
    "pleasantries. Write only the summary.";

std::string clip(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + " […]";
}

// The first `count` messages as text, as many as fit kMaxTranscriptChars; `included` says how many did (the
// summary then covers only those).
std::string transcript(const std::vector<Message>& msgs, std::size_t count, std::size_t& included) {
  std::string out;
  included = 0;
  for (std::size_t i = 0; i < count && out.size() < kMaxTranscriptChars; ++i, ++included) {
    const Message& m = msgs[i];
    out += m.role + ": " + clip(m.content, kMaxCharsPerMessage);
    if (m.tool_calls.is_array())
      for (const auto& c : m.tool_calls)
        if (c.is_object() && c.contains("function"))
          out += " [called " + std::string(string_member(c["function"], "name", "?")) + " with " +
                 clip(std::string(string_member(c["function"], "arguments")), 500) + "]";
    out += "\n";
  }
  return out;
}

}  // namespace

void SummaryService::summarise_later(const boost::asio::any_io_executor& executor, const std::string& conversation_id,
                                     const Caller& by) {
  if (settings_.summary_tokens <= 0 || !executor) return;
  {
    std::lock_guard lock(summarising_mu_);
    // Already under way in this process: it looks again when it is done.
    if (auto [it, fresh] = summarising_.try_emplace(conversation_id, false); !fresh) {
      it->second = true;
      return;
    }
  }
  tasks_.spawn(executor, summarise(conversation_id, by), "chat summary");
}

Task<void> SummaryService::summarise(std::string conversation_id, Caller by) {
  for (;;) {
    std::exception_ptr failure;
    try {
      co_await summarise_once(conversation_id, by);
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard lock(summarising_mu_);
    auto it = summarising_.find(conversation_id);
    if (!failure && it != summarising_.end() && it->second) {
      it->second = false;  // more messages came while it ran
      continue;
    }
    if (it != summarising_.end()) summarising_.erase(it);
    if (failure) std::rethrow_exception(failure);
    co_return;
  }
}

Task<void> SummaryService::summarise_once(const std::string& conversation_id, const Caller& by) {
  const std::int64_t threshold = settings_.summary_tokens;
  auto unsummarised = co_await repo_->unsummarised_tokens(conversation_id);
  if (unsummarised <= threshold) co_return;
  auto conv = co_await repo_->find_conversation(by.user_id, conversation_id);
  if (!conv) co_return;
  std::int64_t through = 0;
  if (auto it = conv->metadata.find("summaryThroughSeq"); it != conv->metadata.end() && it->is_number_integer())
    through = it->get<std::int64_t>();
  std::string previous = conv->metadata.value("summary", std::string());
  auto msgs = co_await repo_->messages_after(conversation_id, through);
  // The newest messages (up to half the threshold, at least the newest one) stay out of the summary.
  std::size_t cut = msgs.size();
  std::int64_t kept = 0;
  while (cut > 0 && kept + msgs[cut - 1].token_count <= threshold / 2) kept += msgs[--cut].token_count;
  if (cut == msgs.size() && cut > 0) --cut;
  if (cut == 0) co_return;

  std::string input = previous.empty() ? std::string() : "Previous summary:\n" + previous + "\n\n";
  std::size_t included = 0;
  input += "New messages:\n" + transcript(msgs, cut, included);
  json body = {{"model", settings_.summary_model},
               {"messages", json::array({{{"role", "system"}, {"content", kInstructions}},
                                         {{"role", "user"}, {"content", std::move(input)}}})},
               {"max_tokens", 600},
               {"temperature", 0.2}};
  Caller caller = by;
  caller.request_id = by.request_id + ":summary";
  gateway::CallInfo call;
  call.conversation_id = conversation_id;
  auto body_ptr = std::make_shared<const json>(std::move(body));
  auto c = co_await gateway_->complete(body_ptr, caller, call);
  if (c.parsed.text.empty()) {
    spdlog::warn("conversation {}: the summary model {} answered no text", conversation_id, c.served.model);
    co_return;
  }
  bool written = co_await repo_->set_summary(conversation_id, c.parsed.text, msgs[included - 1].seq, c.served.model);
  if (written) {
    co_await contexts_->forget(conversation_id);
    spdlog::info("conversation {}: summarised {} message(s) with {}", conversation_id, included, c.served.model);
  }
}

}  // namespace netops::chat
