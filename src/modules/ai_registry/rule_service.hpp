#pragma once
// Orchestration rules (SPEC §4.2): CRUD with validation, If-Match and one audit row per change. A rule's
// modelSequence must name existing models (422 naming the unknown ones; the models are locked FOR SHARE
// so they cannot be deleted under it). Lists are by priority, the order `auto` tries them.
#include <memory>
#include <optional>
#include <string>

#include "core/caller.hpp"
#include "db/page.hpp"
#include "kit/context.hpp"
#include "modules/ai_registry/model_repo.hpp"
#include "modules/ai_registry/registry.hpp"
#include "modules/ai_registry/rule_body.hpp"
#include "modules/ai_registry/rule_repo.hpp"
#include "modules/audit/audit_service.hpp"

namespace netops::ai_registry {

class RuleService {
 public:
  RuleService(AppContext& ctx, std::shared_ptr<audit::AuditService> audit, std::shared_ptr<Registry> registry)
      : ctx_(ctx), repo_(ctx.db), models_(ctx.db), audit_(std::move(audit)), registry_(std::move(registry)) {}

  Task<db::Page<Rule>> list(const RuleFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<Rule> get(const std::string& id);
  Task<Rule> create(const RuleInput& in, const Caller& by);
  // The input is applied onto the locked rule and the merged rule validated as a whole.
  Task<Rule> update(const std::string& id, const RuleInput& in, const std::optional<std::string>& expected_etag,
                    const Caller& by);
  Task<void> remove(const std::string& id, const std::optional<std::string>& expected_etag, const Caller& by);

 private:
  Task<std::optional<Rule>> lock_or_404(db::Tx& tx, const std::string& id);  // "orchestration rule not found"
  Task<void> require_models(db::Tx& tx, const Rule& r);                      // 422 naming unknown ids

  AppContext& ctx_;
  RuleRepo repo_;
  ModelRepo models_;  // FOR SHARE on the models a rule names (this module's own table)
  std::shared_ptr<audit::AuditService> audit_;
  std::shared_ptr<Registry> registry_;
};

}  // namespace netops::ai_registry
