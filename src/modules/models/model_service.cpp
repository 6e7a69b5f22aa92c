// ModelsService, part 2: model configurations and orchestration rules.
#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/json.hpp"
#include "modules/models/service.hpp"

namespace netops::models {

namespace {
audit::Entry entry(const http::Actor& by, std::string action, const std::string& resource, nlohmann::json details,
                   const std::string& request_id) {
  return audit::Entry{by.user_id, std::move(action), resource, std::move(details), request_id};
}
std::string model_key(const std::string& id) { return "model:config:" + id; }

// Caches a model read only if no write was announced since the caller read `version` (the value of
// registry:version before it queried the database): writers bump the counter after committing and then
// delete the key, so a reader holding pre-write data can never put it back after that delete.
constexpr const char* kSetIfVersionScript =
    "local v = redis.call('GET', KEYS[2]) or '' "
    "if v == ARGV[2] then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3]) return 1 end "
    "return 0";
}  // namespace

Task<std::pair<nlohmann::json, long long>> ModelsService::list_models(const ModelFilter& f, const http::Paging& p,
                                                                      const http::Sort& s) {
  auto [rows, total] = co_await models_.list(f, p, s);
  nlohmann::json out = nlohmann::json::array();
  for (auto& m : rows) out.push_back(to_json(m));
  co_return std::make_pair(std::move(out), total);
}

Task<nlohmann::json> ModelsService::get_model(const std::string& id) {
  auto key = model_key(id);
  std::optional<std::string> version;  // set when Redis answered: the cache may then be filled
  try {
    std::vector<std::string> cmd{"MGET", key, kRegistryVersionKey};
    auto reply = co_await ctx_.redis.command(std::move(cmd));
    if (reply.type == cache::Reply::Type::array && reply.elements.size() == 2) {
      if (!reply.elements[0].is_nil()) {
        auto cached = parse_json(reply.elements[0].str);
        if (cached.is_object()) co_return cached;
      }
      version = reply.elements[1].is_nil() ? "" : reply.elements[1].str;
    }
  } catch (const cache::RedisUnavailable&) {
  } catch (const cache::RedisError& e) {
    spdlog::debug("model cache read failed: {}", e.what());
  }
  auto m = co_await models_.find(id);
  if (!m) throw NotFound("model " + id);
  auto out = to_json(*m);
  if (version) {
    try {
      std::vector<std::string> keys{key, kRegistryVersionKey};
      std::vector<std::string> args{out.dump(), *version, "300"};
      std::string script = kSetIfVersionScript;
      co_await ctx_.redis.eval(script, std::move(keys), std::move(args));
    } catch (const cache::RedisUnavailable&) {
    } catch (const cache::RedisError& e) {
      spdlog::debug("model cache write failed: {}", e.what());
    }
  }
  co_return out;
}

Task<nlohmann::json> ModelsService::create_model(const nlohmann::json& body, const http::Actor& by,
                                                 const std::string& request_id) {
  ModelConfig m;
  Validation v;
  apply_model(body, m, true, v);
  v.throw_if_any();
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    // FOR SHARE: a concurrent delete of the provider waits for us, then sees this model and refuses.
    // Results named, never awaited inside a condition: GCC 12 miscompiles some of those.
    bool provider_exists = co_await providers_.lock_shared(tx, m.provider);
    if (!provider_exists) throw Unprocessable("provider " + m.provider + " does not exist", {{"field", "provider"}});
    auto existing = co_await models_.lock(tx, m.id);
    if (existing) throw Conflict("model " + m.id + " already exists");
    auto created = co_await models_.insert(tx, m);
    out = to_json(*created);
    auto e = entry(by, "model.created", "model:" + m.id, {{"after", out}}, request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  std::vector<std::string> ids{m.id};
  co_await registry_->changed(std::move(ids));
  co_return out;
}

Task<nlohmann::json> ModelsService::update_model(const std::string& id, const nlohmann::json& body,
                                                 const http::Actor& by, const std::string& request_id, Check check) {
  nlohmann::json after;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto current = co_await models_.lock(tx, id);
    if (!current) throw NotFound("model " + id);
    auto before = to_json(*current);
    check(before);
    ModelConfig next = *current;
    Validation v;
    apply_model(body, next, false, v);
    v.throw_if_any();
    if (next.provider != current->provider) {
      bool provider_exists = co_await providers_.lock_shared(tx, next.provider);
      if (!provider_exists)
        throw Unprocessable("provider " + next.provider + " does not exist", {{"field", "provider"}});
    }
    auto updated = co_await models_.update(tx, next);
    after = to_json(updated);
    auto e = entry(by, "model.updated", "model:" + id, {{"changes", audit::changes(before, after)}}, request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  std::vector<std::string> ids{id};
  co_await registry_->changed(std::move(ids));
  co_return after;
}

Task<void> ModelsService::delete_model(const std::string& id, const http::Actor& by, const std::string& request_id,
                                       Check check) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto current = co_await models_.lock(tx, id);
    if (!current) throw NotFound("model " + id);
    auto before = to_json(*current);
    check(before);
    auto rules = co_await models_.rules_using(tx, id);
    if (!rules.empty()) {
      std::string names;
      for (auto& r : rules) names += (names.empty() ? "" : ", ") + r["name"].get<std::string>();
      throw Conflict("model " + id + " is in the modelSequence of orchestration rule(s): " + names +
                         "; remove it there first",
                     {{"rules", rules}});
    }
    auto e = entry(by, "model.deleted", "model:" + id, {{"before", before}}, request_id);
    co_await audit_.record(tx, e);
    co_await models_.remove(tx, id);
  };
  co_await ctx_.db.transaction(in_tx);
  std::vector<std::string> ids{id};
  co_await registry_->changed(std::move(ids));
}

Task<nlohmann::json> ModelsService::model_performance(const std::string& id, int days) {
  auto m = co_await models_.find(id);
  if (!m) throw NotFound("model " + id);
  auto out = co_await usage_.performance(id, days);
  co_return out;
}

Task<nlohmann::json> ModelsService::model_history(const std::string& id, int days) {
  auto m = co_await models_.find(id);
  if (!m) throw NotFound("model " + id);
  auto out = co_await usage_.history(id, days);
  co_return out;
}

// ---- orchestration rules ----

Task<void> ModelsService::require_models(db::Tx& tx, const Rule& r) {
  auto missing = co_await models_.lock_and_find_missing(tx, r.model_sequence);
  if (missing.empty()) co_return;
  std::string names;
  for (auto& m : missing) names += (names.empty() ? "" : ", ") + m;
  throw Unprocessable("modelSequence names unknown model(s): " + names,
                      {{"field", "modelSequence"}, {"unknownModels", missing}});
}

Task<std::pair<nlohmann::json, long long>> ModelsService::list_rules(const RuleFilter& f, const http::Paging& p,
                                                                    const http::Sort& s) {
  auto [rows, total] = co_await rules_.list(f, p, s);
  nlohmann::json out = nlohmann::json::array();
  for (auto& r : rows) out.push_back(to_json(r));
  co_return std::make_pair(std::move(out), total);
}

Task<nlohmann::json> ModelsService::get_rule(const std::string& id) {
  auto r = co_await rules_.find(id);
  if (!r) throw NotFound("orchestration rule");
  co_return to_json(*r);
}

Task<nlohmann::json> ModelsService::create_rule(const nlohmann::json& body, const http::Actor& by,
                                                const std::string& request_id) {
  Rule r;
  Validation v;
  apply_rule(body, r, true, v);
  v.throw_if_any();
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    co_await require_models(tx, r);
    auto created = co_await rules_.insert(tx, r);
    out = to_json(created);
    auto e = entry(by, "rule.created", "rule:" + created.id, {{"after", out}}, request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await registry_->changed();
  co_return out;
}

Task<nlohmann::json> ModelsService::update_rule(const std::string& id, const nlohmann::json& body,
                                                const http::Actor& by, const std::string& request_id, Check check) {
  nlohmann::json after;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto current = co_await rules_.lock(tx, id);
    if (!current) throw NotFound("orchestration rule");
    auto before = to_json(*current);
    check(before);
    Rule next = *current;
    Validation v;
    apply_rule(body, next, false, v);
    v.throw_if_any();
    co_await require_models(tx, next);
    auto updated = co_await rules_.update(tx, next);
    after = to_json(updated);
    auto e = entry(by, "rule.updated", "rule:" + id, {{"changes", audit::changes(before, after)}}, request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await registry_->changed();
  co_return after;
}

Task<void> ModelsService::delete_rule(const std::string& id, const http::Actor& by, const std::string& request_id,
                                      Check check) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto current = co_await rules_.lock(tx, id);
    if (!current) throw NotFound("orchestration rule");
    auto before = to_json(*current);
    check(before);
    auto e = entry(by, "rule.deleted", "rule:" + id, {{"before", before}}, request_id);
    co_await audit_.record(tx, e);
    co_await rules_.remove(tx, id);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await registry_->changed();
}

}  // namespace netops::models
