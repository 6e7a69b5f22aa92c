#pragma once
// Context memory: chat:context:{conversationId} in Redis (30 min) holds the newest messages and the
// summary, tagged with the conversation's context_version. An entry is used only when its version equals
// the version of the conversation row the request read, so an entry made stale by any instance's write
// is never used: it is rebuilt from PostgreSQL instead (and after a Redis flush or outage, the same).
#include <string>

#include "cache/cache.hpp"
#include "core/task.hpp"
#include "modules/chat/context.hpp"
#include "modules/chat/chat_repo.hpp"

namespace netops::chat {

inline constexpr int kContextTtlSeconds = 30 * 60;

std::string context_key(const std::string& conversation_id);

class ContextRepo {
 public:
  ContextRepo(cache::Cache& cache, ChatRepo& repo) : cache_(cache), repo_(repo) {}
  // The context at `version` (the conversation row's context_version as the caller read it).
  Task<ContextSnapshot> load(const std::string& conversation_id, std::int64_t version);
  // Writes the snapshot as the entry of its version.
  Task<void> save(const std::string& conversation_id, const ContextSnapshot& s);
  Task<void> forget(const std::string& conversation_id);

 private:
  cache::Cache& cache_;
  ChatRepo& repo_;
};

}  // namespace netops::chat
