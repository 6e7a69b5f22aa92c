#include "modules/ai_registry/rule_service.hpp"

#include "core/error.hpp"
#include "modules/audit/audited.hpp"

namespace netops::ai_registry {

Task<std::optional<Rule>> RuleService::lock_or_404(db::Tx& tx, const std::string& id) {
  auto r = co_await repo_.lock(tx, id);
  if (!r) throw NotFound("orchestration rule");
  co_return r;
}

Task<void> RuleService::require_models(db::Tx& tx, const Rule& r) {
  auto missing = co_await models_.lock_and_find_missing(tx, r.model_sequence);
  if (missing.empty()) co_return;
  std::string names;
  for (auto& m : missing) names += (names.empty() ? "" : ", ") + m;
  throw Unprocessable("modelSequence names unknown model(s): " + names,
                      {{"field", "modelSequence"}, {"unknownModels", missing}});
}

Task<db::Page<Rule>> RuleService::list(const RuleFilter& f, const db::PageRequest& p, const db::Sort& s) {
  co_return co_await repo_.list(f, p, s);
}

Task<Rule> RuleService::get(const std::string& id) {
  auto r = co_await repo_.find(id);
  if (!r) throw NotFound("orchestration rule");
  co_return *r;
}

Task<Rule> RuleService::create(const RuleInput& in, const Caller& by) {
  Rule r;
  Validation v;
  apply_rule(in, r, v);
  v.throw_if_any();
  audit::Change change{"rule.created", "rule", ""};
  audit::Insert<Rule> insert = [&](db::Tx& tx) -> Task<Rule> {
    co_await require_models(tx, r);
    co_return co_await repo_.insert(tx, r);
  };
  std::function<std::string(const Rule&)> id_of = [](const Rule& x) { return x.id; };
  Rule created;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    created = co_await audit::audited_create(tx, *audit_, by, change, insert, id_of);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await registry_->changed();
  co_return created;
}

Task<Rule> RuleService::update(const std::string& id, const RuleInput& in,
                               const std::optional<std::string>& expected_etag, const Caller& by) {
  audit::Change change{"rule.updated", "rule", id, expected_etag};
  audit::Lock<Rule> lock = [&](db::Tx& tx) -> Task<std::optional<Rule>> { co_return co_await lock_or_404(tx, id); };
  audit::Write<Rule> write = [&](db::Tx& tx, const Rule& current) -> Task<Rule> {
    Rule next = current;
    Validation v;
    apply_rule(in, next, v);
    v.throw_if_any();
    co_await require_models(tx, next);
    co_return co_await repo_.update(tx, next);
  };
  Rule updated;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    updated = co_await audit::audited_update(tx, *audit_, by, change, lock, write);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await registry_->changed();
  co_return updated;
}

Task<void> RuleService::remove(const std::string& id, const std::optional<std::string>& expected_etag,
                               const Caller& by) {
  audit::Change change{"rule.deleted", "rule", id, expected_etag};
  audit::Lock<Rule> lock = [&](db::Tx& tx) -> Task<std::optional<Rule>> { co_return co_await lock_or_404(tx, id); };
  audit::Remove<Rule> remove = [&](db::Tx& tx, const Rule&) -> Task<void> { co_await repo_.remove(tx, id); };
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    co_await audit::audited_delete(tx, *audit_, by, change, lock, remove);
  };
  co_await ctx_.db.transaction(in_tx);
  co_await registry_->changed();
}

}  // namespace netops::ai_registry
