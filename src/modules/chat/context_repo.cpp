#include "modules/chat/context_repo.hpp"

#include "core/metrics.hpp"

namespace netops::chat {

std::string context_key(const std::string& conversation_id) { return "chat:context:" + conversation_id; }

namespace {
void count(const char* outcome) { Metrics::instance().inc("chat_context_cache_total", {{"outcome", outcome}}); }
}  // namespace

Task<ContextSnapshot> ContextRepo::load(const std::string& conversation_id, std::int64_t version) {
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

Task<void> ContextRepo::save(const std::string& conversation_id, const ContextSnapshot& s) {
  auto value = snapshot_to_json(s);
  co_await cache_.set_json(context_key(conversation_id), value, kContextTtlSeconds);
}

Task<void> ContextRepo::forget(const std::string& conversation_id) {
  std::vector<std::string> keys{context_key(conversation_id)};
  co_await cache_.invalidate(std::move(keys));
}

}  // namespace netops::chat
