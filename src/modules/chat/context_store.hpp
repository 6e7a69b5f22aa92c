#pragma once
// Context memory: chat:context:{conversationId} in Redis (30 min) holds the newest messages and the
// summary, tagged with the conversation's context_version. An entry is used only when its version equals
// the version of the conversation row the request read, so an entry made stale by any instance's write
// is never used: it is rebuilt from PostgreSQL instead (and after a Redis flush or outage, the same).
#include <string>

#include "cache/cache.hpp"
#include "core/task.hpp"
#include "modules/chat/context.hpp"
#include "modules/chat/repo.hpp"

namespace netops::chat {

inline constexpr int kContextTtlSeconds = 30 * 60;
inline constexpr int kContextMaxMessages = 200;  // the newest this many messages are candidates for a prompt

std::string context_key(const std::string& conversation_id);

class ContextStore {
 public:
  ContextStore(cache::Cache& cache, ChatRepo& repo) : cache_(cache), repo_(repo) {}
  // The context at `version` (the conversation row's context_version as the caller read it).
  Task<ContextSnapshot> load(const std::string& conversation_id, std::int64_t version);
  // Writes the snapshot as the entry of its version.
  Task<void> save(const std::string& conversation_id, const ContextSnapshot& s);
  Task<void> forget(const std::string& conversation_id);

 private:
  cache::Cache& cache_;
  ChatRepo& repo_;
};

// `s` was the context at s.version and a write moved the conversation to `version` by adding `m`. When
// that write was the only change (version = s.version + 1) the snapshot takes `m` and the new version
// (true); otherwise it no longer describes the conversation (false: drop it, the next reader rebuilds).
bool advance(ContextSnapshot& s, std::int64_t version, ContextMessage m);

}  // namespace netops::chat
