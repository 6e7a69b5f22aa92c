#pragma once
// Chat (SPEC §3 "Chat", §4.3): conversations of one user, and a turn — the user's message stored, the
// context built from history, the gateway's orchestrator called (rules, escalation, budgets, accounting
// all apply), the answer stored with its model, tokens, cost and latency.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "kit/context.hpp"
#include "http/listing.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/chat/context_store.hpp"
#include "modules/chat/input.hpp"
#include "modules/chat/repo.hpp"
#include "modules/chat/stats_repo.hpp"
#include "core/detached.hpp"
#include "modules/gateway/service.hpp"

namespace netops::chat {

using Clock = std::chrono::steady_clock;
using IfMatch = std::function<void(const nlohmann::json&)>;

// Who asks, for the audit trail and the gateway.
struct Caller {
  http::Actor actor;
  std::string request_id;
};

// A turn whose input is stored and whose prompt is built; the answer is still to come.
struct Turn {
  Caller caller;
  Conversation conversation;
  ContextSnapshot context;                   // at the version after the input was stored …
  bool context_current = false;              // … unless another write came in between (then it is dropped)
  std::vector<std::string> input_ids;        // the messages stored for this turn (user message, tool results)
  std::shared_ptr<const nlohmann::json> body;  // the OpenAI request sent to the gateway
  bool created = false;                      // the conversation was created by this turn
  std::vector<std::pair<std::int64_t, std::int64_t>> stored_versions;  // (seq, context_version) of each input
  nlohmann::json prompt_info;                // what the prompt held: kept in the answer's metadata
  boost::asio::any_io_executor executor;     // where later work of the turn runs (the summary)
  Clock::time_point started = Clock::now();
};

class ChatService {
 public:
  ChatService(AppContext& ctx, std::shared_ptr<gateway::Service> gateway);

  // Conversations (owner only: another user's conversation is 404).
  Task<std::pair<nlohmann::json, long long>> list(const std::string& user_id, const ConversationFilter& f,
                                                  const http::Paging& p, const http::Sort& s);
  Task<nlohmann::json> get(const std::string& user_id, const std::string& id);
  Task<nlohmann::json> create(const NewConversation& in, const Caller& c);
  Task<nlohmann::json> update(const std::string& id, const ConversationPatch& p, const Caller& c, IfMatch check);
  Task<void> remove(const std::string& id, const Caller& c);
  Task<nlohmann::json> messages(const std::string& user_id, const std::string& id,
                                const std::optional<std::string>& before, const std::optional<std::string>& after,
                                bool tail, int limit);
  Task<nlohmann::json> edit_message(const std::string& id, const std::string& message_id, const nlohmann::json& body,
                                    const Caller& c);
  Task<void> delete_message(const std::string& id, const std::string& message_id, const Caller& c);

  // Statistics (stats_repo.hpp). conversation_stats: the owner's conversation, or any when any_owner.
  Task<nlohmann::json> user_stats(const std::string& user_id, const std::string& start, const std::string& end);
  Task<nlohmann::json> daily_stats(const std::string& user_id, int days);
  Task<nlohmann::json> conversation_stats(const std::string& user_id, bool any_owner, const std::string& id);

  // A turn: begin() validates, routes (preflight), stores the input and builds the prompt; then either
  // answer() (one JSON answer) or open_stream() + relay() (SSE).
  Task<std::shared_ptr<Turn>> begin(const SendInput& in, const Caller& c);
  Task<nlohmann::json> answer(std::shared_ptr<Turn> t);
  Task<std::shared_ptr<gateway::StreamJob>> open_stream(std::shared_ptr<Turn> t);
  // Runs the stream to its end whatever the client does (out may be null: the client left before the
  // response began), stores the assistant message once, and sends the final summary event.
  Task<void> relay(std::shared_ptr<Turn> t, std::shared_ptr<gateway::StreamJob> job, http::StreamWriter* out);

  DetachedTasks& tasks() { return tasks_; }

 private:
  struct Answer {
    std::string content;
    nlohmann::json tool_calls;  // null or array
    std::string finish_reason;
    std::optional<std::string> error;  // the stream failed half-way: content is what arrived
  };
  Task<nlohmann::json> store_answer(Turn& t, const Answer& a, const gateway::Served& served,
                                    const gateway::Spent& spent);
  Task<Conversation> owned(const std::string& user_id, const std::string& id);
  void summarise_later(const Turn& t);
  Task<void> summarise(std::string conversation_id, http::Actor actor, std::string request_id);
  Task<void> summarise_once(const std::string& conversation_id, const http::Actor& actor,
                            const std::string& request_id);

  AppContext& ctx_;
  std::shared_ptr<gateway::Service> gateway_;
  ChatRepo repo_;
  StatsRepo stats_;
  ContextStore store_;
  audit::AuditService audit_;
  DetachedTasks tasks_;
  std::mutex summarising_mu_;
  // Conversations whose summary this process is writing → whether to look again when done.
  std::map<std::string, bool> summarising_;
};

}  // namespace netops::chat
