#include "modules/chat/context_store.hpp"

#include "core/metrics.hpp"

namespace netops::chat {

std::string context_key(const std::string& conversation_id) { return "chat:context:" + conversation_id; }

namespace {
void count(const char* outcome) { Metrics::instance().inc("chat_context_cache_total", {{"outcome", outcome}}); }
}  // namespace

Task<ContextSnapshot> ContextStore::load(const std::string& conversation_id, std::int64_t version) {
  auto key = context_key(conversation_id);
  if (auto cached = co_await cache_.get_json(key)) {
    if (auto s = snapshot_from_json(*cached); s && s->version == version) {
      count("hit");
      co_return std::move(*s);
    }
    count("stale");
  } else {
    count("miss");
  }
  auto s = co_await repo_.context(conversation_id, kContextMaxMessages);
  if (!s) {  // deleted meanwhile: nothing to remember
    ContextSnapshot empty;
    empty.version = version;
    co_return empty;
  }
  auto value = snapshot_to_json(*s);
  co_await cache_.set_json(key, value, kContextTtlSeconds);
  co_return std::move(*s);
}

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

Task<void> ContextStore::save(const std::string& conversation_id, const ContextSnapshot& s) {
  auto value = snapshot_to_json(s);
  co_await cache_.set_json(context_key(conversation_id), value, kContextTtlSeconds);
}

Task<void> ContextStore::forget(const std::string& conversation_id) {
  std::vector<std::string> keys{context_key(conversation_id)};
  co_await cache_.invalidate(std::move(keys));
}

}  // namespace netops::chat
