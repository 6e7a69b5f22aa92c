#pragma once
// A chat turn (SPEC §3 "Chat", §4.3): the user's message stored, the context built from history, the
// gateway's orchestrator called (rules, escalation, budgets, accounting all apply), the answer stored with
// its model, tokens, cost and latency — as one JSON answer or as an SSE stream relayed to the client.
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/caller.hpp"
#include "core/detached.hpp"
#include "http/response.hpp"
#include "kit/context.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/chat/chat_repo.hpp"
#include "modules/chat/chat_service.hpp"
#include "modules/chat/context_repo.hpp"
#include "modules/chat/summary_service.hpp"
#include "modules/chat/types.hpp"
#include "modules/gateway/gateway_service.hpp"

#include "modules/chat/chat_settings.hpp"

namespace netops::chat {

using Clock = std::chrono::steady_clock;

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
  // The tool loop: the server's tools offered to the model (empty: no loop; client-defined tools pass through).
  std::shared_ptr<tools::Registry> registry;
  std::vector<const tools::Tool*> offered;
  Clock::time_point started = Clock::now();
};

// What a turn answers (the reply of POST /api/chat/messages, and the SSE "done" / "error" event).
struct TurnAnswer {
  std::string content, conversation_id, message_id;
  std::optional<std::string> user_message_id;
  gateway::Served served;
  gateway::Spent spent;
  std::string cost;  // spent.cost, exact with 6 decimals (as stored)
  int latency_ms = 0;
  std::string finish_reason;
  nlohmann::json tool_calls;  // null or array
  int tool_rounds = 0;          // rounds of server-side tool calls run in this turn
  bool tool_limit = false;      // the loop was stopped (stop_reason) while the model still called tools
  // "max_rounds" (NETOPS_TOOLS_MAX_ROUNDS) or "token_budget" (NETOPS_TOOLS_MAX_TURN_TOKENS): the model's
  // last calls were answered with a tool error instead of being run; empty when the loop ended by itself.
  std::string stop_reason;
  std::int64_t turn_tokens = 0;  // prompt + completion tokens of every round (what the budget counts)
};
nlohmann::json to_json(const TurnAnswer& a);

class TurnService {
 public:
  TurnService(AppContext& ctx, std::shared_ptr<gateway::Service> gateway, std::shared_ptr<ChatRepo> repo,
              std::shared_ptr<ContextRepo> contexts, std::shared_ptr<audit::AuditService> audit,
              std::shared_ptr<ToolSlot> tools = nullptr);

  // begin() validates, routes (preflight), stores the input and builds the prompt; then either answer()
  // (one JSON answer) or open_stream() + relay() (SSE).
  Task<std::shared_ptr<Turn>> begin(const SendInput& in, const Caller& by);
  Task<TurnAnswer> answer(std::shared_ptr<Turn> t);
  Task<std::shared_ptr<gateway::StreamJob>> open_stream(std::shared_ptr<Turn> t);
  // Runs the stream to its end whatever the client does (out may be null: the client left before the
  // response began), stores the assistant message once, and sends the final summary event.
  Task<void> relay(std::shared_ptr<Turn> t, std::shared_ptr<gateway::StreamJob> job, http::StreamWriter* out);

  // Streams whose client left and summaries: drained on shutdown (they make usage records).
  DetachedTasks& tasks() { return tasks_; }

 private:
  struct Answer {
    std::string content;
    nlohmann::json tool_calls;  // null or array
    std::string finish_reason;
    std::optional<std::string> error;  // the stream failed half-way: content is what arrived
    std::string stop_reason;           // stored in the message's metadata (stopReason) when set
  };
  // Why the loop may not run the calls of `a` (empty: it may): the round limit, the turn's token budget, or
  // `final_round` (the model was asked to answer without tools and called them anyway).
  std::string stop_of(const Turn& t, const gateway::Spent& total, int rounds, bool final_round) const;
  Task<TurnAnswer> store_answer(Turn& t, const Answer& a, const gateway::Served& served, const gateway::Spent& spent);
  // The tool loop: runs the calls of an assistant message (concurrently; each with its timeout), stores a
  // role "tool" message per call, sends tool_call / tool_result events to out (when not null) and appends
  // the assistant message and the results to the next round's request body.
  // refused (a stop reason): nothing runs, every call is answered with that tool error (TOOL_LIMIT_REACHED
  // or TOKEN_BUDGET_EXHAUSTED), stored and sent alike, so the stored conversation never keeps an unanswered
  // tool call.
  Task<void> run_tools(Turn& t, const Answer& a, http::StreamWriter* out, const std::string& refused = "");
  // The model called tools that the loop may run (offered, no stream error).
  bool calls_tools(const Turn& t, const Answer& a) const;
  // After a refusal for the round limit: the body of the one last call, tool_choice "none" (the tools stay
  // defined: the transcript holds tool calls), so the model answers from what it has.
  void final_round_body(Turn& t) const;

  AppContext& ctx_;
  const ChatSettings settings_;
  std::shared_ptr<gateway::Service> gateway_;
  std::shared_ptr<ChatRepo> repo_;
  std::shared_ptr<ContextRepo> contexts_;
  std::shared_ptr<audit::AuditService> audit_;
  DetachedTasks tasks_;
  SummaryService summaries_;
  std::shared_ptr<ToolSlot> tools_;
};

}  // namespace netops::chat
