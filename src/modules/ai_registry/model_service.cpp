#include "modules/ai_registry/model_service.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/json.hpp"
#include "modules/audit/audited.hpp"

namespace netops::ai_registry {

namespace {
std::string model_key(const std::string& id) { return "model:config:" + id; }

// Caches a model read only if no write was announced since the caller read `version` (the value of
// registry:version before it queried the database): writers bump the counter after committing and then
// delete the key, so a reader holding pre-write data can never put it back after that delete.
constexpr const char* kSetIfVersionScript =
    "local v = redis.call('GET', KEYS[2]) or '' "
    "if v == ARGV[2] then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3]) return 1 end "
    "return 0";
}  // namespace

Task<std::optional<ModelConfig>> ModelService::lock_or_404(db::Tx& tx, const std::string& id) {
  auto m = co_await repo_.lock(tx, id);
  if (!m) throw NotFound("model " + id);
  co_return m;
}

Task<void> ModelService::require_provider(db::Tx& tx, const std::string& provider_id) {
  // FOR SHARE: a concurrent delete of the provider waits for us, then sees this model and refuses.
  // Results named, never awaited inside a condition: GCC 12 miscompiles some of those.
  bool provider_exists = co_await providers_.lock_shared(tx, provider_id);
  if (!provider_exists) throw Unprocessable("provider " + provider_id + " does not exist", {{"field", "provider"}});
}

Task<db::Page<ModelConfig>> ModelService::list(const ModelFilter& f, const db::PageRequest& p, const db::Sort& s) {
  co_return co_await repo_.list(f, p, s);
}

Task<ModelConfig> ModelService::get(const std::string& id) {
  auto key = model_key(id);
  std::optional<std::string> version;  // set when Redis answered: the cache may then be filled
  try {
    std::vector<std::string> cmd{"MGET", key, kRegistryVersionKey};
    auto reply = co_await ctx_.redis.command(std::move(cmd));
    if (reply.type == cache::Reply::Type::array && reply.elements.size() == 2) {
      if (!reply.elements[0].is_nil()) {
        auto cached = parse_json(reply.elements[0].str);
        if (cached.is_object()) co_return model_from_json(cached);
      }
      version = reply.elements[1].is_nil() ? "" : reply.elements[1].str;
    }
  } catch (const cache::RedisUnavailable&) {
  } catch (const cache::RedisError& e) {
    spdlog::debug("model cache read failed: {}", e.what());
  }
  auto m = co_await repo_.find(id);
  if (!m) throw NotFound("model " + id);
  if (version) {
    try {
      std::vector<std::string> keys{key, kRegistryVersionKey};
      std::vector<std::string> args{to_json(*m).dump(), *version, "300"};
      std::string script = kSetIfVersionScript;
      co_await ctx_.redis.eval(script, std::move(keys), std::move(args));
    } catch (const cache::RedisUnavailable&) {
    } catch (const cache::RedisError& e) {
      spdlog::debug("model cache write failed: {}", e.what());
    }
  }
  co_return *m;
}

Task<ModelConfig> ModelService::create(const ModelInput& in, const Caller& by) {
  ModelConfig m;
  apply_model(in, m);
  audit::Change change{"model.created", "model", m.id};
  audit::Insert<ModelConfig> insert = [&](db::Tx& tx) -> Task<ModelConfig> {
    co_await require_provider(tx, m.provider);
    auto existing = co_await repo_.lock(tx, m.id);
    if (existing) throw Conflict("model " + m.id + " already exists");
    auto created = co_await repo_.insert(tx, m);
    co_return *created;
  };
  std::function<std::string(const ModelConfig&)> id_of = [](const ModelConfig& x) { return x.id; };
  ModelConfig created;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    created = co_await audit::audited_create(tx, *audit_, by, change, insert, id_of);
  };
  co_await ctx_.db.transaction(in_tx);
  std::vector<std::string> ids{m.id};
  co_await registry_->changed(std::move(ids));
  co_return created;
}

Task<ModelConfig> ModelService::update(const std::string& id, const ModelInput& in,
                                       const std::optional<std::string>& expected_etag, const Caller& by) {
  audit::Change change{"model.updated", "model", id, expected_etag};
  audit::Lock<ModelConfig> lock = [&](db::Tx& tx) -> Task<std::optional<ModelConfig>> {
    co_return co_await lock_or_404(tx, id);
  };
  audit::Write<ModelConfig> write = [&](db::Tx& tx, const ModelConfig& current) -> Task<ModelConfig> {
    ModelConfig next = current;
    apply_model(in, next);
    if (next.provider != current.provider) co_await require_provider(tx, next.provider);
    co_return co_await repo_.update(tx, next);
  };
  ModelConfig updated;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    updated = co_await audit::audited_update(tx, *audit_, by, change, lock, write);
  };
  co_await ctx_.db.transaction(in_tx);
  std::vector<std::string> ids{id};
  co_await registry_->changed(std::move(ids));
  co_return updated;
}

Task<void> ModelService::remove(const std::string& id, const std::optional<std::string>& expected_etag,
                                const Caller& by) {
  audit::Change change{"model.deleted", "model", id, expected_etag};
  audit::Lock<ModelConfig> lock = [&](db::Tx& tx) -> Task<std::optional<ModelConfig>> {
    co_return co_await lock_or_404(tx, id);
  };
  audit::Remove<ModelConfig> remove = [&](db::Tx& tx, const ModelConfig&) -> Task<void> {
    auto rules = co_await repo_.rules_using(tx, id);
    if (!rules.empty()) {
      std::string names;
      nlohmann::json refs = nlohmann::json::array();
      for (auto& r : rules) {
        names += (names.empty() ? "" : ", ") + r.name;
        refs.push_back({{"id", r.id}, {"name", r.name}});
      }
      throw Conflict("model " + id + " is in the modelSequence of orchestration rule(s): " + names +
                         "; remove it there first",
                     {{"rules", refs}});
    }
    co_await repo_.remove(tx, id);
  };
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    co_await audit::audited_delete(tx, *audit_, by, change, lock, remove);
  };
  co_await ctx_.db.transaction(in_tx);
  std::vector<std::string> ids{id};
  co_await registry_->changed(std::move(ids));
}

Task<ModelPerformance> ModelService::performance(const std::string& id, int days) {
  auto m = co_await repo_.find(id);
  if (!m) throw NotFound("model " + id);
  co_return co_await usage_.performance(id, days);
}

Task<ModelHistory> ModelService::history(const std::string& id, int days) {
  auto m = co_await repo_.find(id);
  if (!m) throw NotFound("model " + id);
  co_return co_await usage_.history(id, days);
}

Task<std::vector<ModelConfig>> ModelService::usable() {
  auto snap = co_await registry_->snapshot();
  std::vector<ModelConfig> out;
  for (auto& [id, m] : snap->models)
    if (snap->usable(m)) out.push_back(m);
  std::sort(out.begin(), out.end(), [](const ModelConfig& a, const ModelConfig& b) { return a.id < b.id; });
  co_return out;
}

Task<std::optional<ModelConfig>> ModelService::usable(const std::string& id) {
  auto snap = co_await registry_->snapshot();
  const ModelConfig* m = snap->model(id);
  if (!m || !snap->usable(*m)) co_return std::nullopt;
  co_return *m;
}

std::optional<nlohmann::json> ModelService::circuit_breaker(const std::string& id) const {
  if (!hooks_->circuit_breaker) return std::nullopt;
  return hooks_->circuit_breaker(id);
}

}  // namespace netops::ai_registry
