#pragma once
// Chat statistics (SPEC §3 "Chat"): from messages (what a conversation holds, so the figures add up to
// the stored messages exactly), user_token_stats (all of a user's gateway usage per day) and usage_logs
// (every upstream call of a conversation, summaries and failed attempts included). Dates are UTC days.
#include <nlohmann/json.hpp>
#include <string>

#include "core/task.hpp"
#include "db/db.hpp"
#include "modules/chat/types.hpp"

namespace netops::chat {

class StatsRepo {
 public:
  explicit StatsRepo(db::Db& db) : db_(db) {}
  // start/end: inclusive UTC dates (YYYY-MM-DD).
  Task<UserStats> user(const std::string& user_id, const std::string& start, const std::string& end);
  Task<DailyStats> daily(const std::string& user_id, int days);
  // Without the owner fields (user_id, title, message_count: the service fills them from the row it read).
  Task<ConversationStats> conversation(const std::string& conversation_id);

 private:
  db::Db& db_;
};

}  // namespace netops::chat
