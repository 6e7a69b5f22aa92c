#pragma once
// Summaries of older history (SPEC §4.3): once the messages not yet summarised exceed
// NETOPS_CHAT_SUMMARY_TOKENS, the older ones are summarised in the background by
// NETOPS_CHAT_SUMMARY_MODEL into conversations.metadata.summary (see summary_service.cpp).
#include <boost/asio/any_io_executor.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/caller.hpp"
#include "core/detached.hpp"
#include "kit/context.hpp"
#include "modules/chat/chat_repo.hpp"
#include "modules/chat/context_repo.hpp"
#include "modules/gateway/gateway_service.hpp"

#include "modules/chat/chat_settings.hpp"

namespace netops::chat {

class SummaryService {
 public:
  SummaryService(AppContext& ctx, std::shared_ptr<gateway::Service> gateway, std::shared_ptr<ChatRepo> repo,
                 std::shared_ptr<ContextRepo> contexts, DetachedTasks& tasks)
      : ctx_(ctx), settings_(load_section(ctx.config, chat_section())), gateway_(std::move(gateway)), repo_(std::move(repo)), contexts_(std::move(contexts)),
        tasks_(tasks) {}

  // After an answer: summarises in the background when the conversation has grown enough (never delaying
  // the reply); one summary per conversation at a time in this process. The call is the caller's
  // (accounted to them and the conversation, request id + ":summary").
  void summarise_later(const boost::asio::any_io_executor& executor, const std::string& conversation_id,
                       const Caller& by);

 private:
  Task<void> summarise(std::string conversation_id, Caller by);
  Task<void> summarise_once(const std::string& conversation_id, const Caller& by);

  AppContext& ctx_;
  const ChatSettings settings_;
  std::shared_ptr<gateway::Service> gateway_;
  std::shared_ptr<ChatRepo> repo_;
  std::shared_ptr<ContextRepo> contexts_;
  DetachedTasks& tasks_;
  std::mutex summarising_mu_;
  // Conversations whose summary this process is writing → whether to look again when done.
  std::map<std::string, bool> summarising_;
};

}  // namespace netops::chat
