#include "modules/cmdb/relationship_service.hpp"

#include "core/etag.hpp"
#include "modules/ops_events/tracked.hpp"

namespace netops::cmdb {

Task<Relationship> RelationshipService::get(const std::string& id) {
  auto r = co_await repo_.find(id);
  if (!r) throw NotFound("relationship");
  co_return *r;
}

Task<Relationship> RelationshipService::create(const RelationshipInput& in, const Caller& by) {
  Relationship out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto type = co_await types_.find(*in.rel_type_id, &tx);
    if (!type) throw NotFound("relationship type");
    // Both CIs in one fixed order (by id) so that two creations never wait on each other crosswise.
    const bool from_first = *in.from_ci_id < *in.to_ci_id;
    auto first = co_await repo_.ci(tx, from_first ? *in.from_ci_id : *in.to_ci_id);
    auto second = co_await repo_.ci(tx, from_first ? *in.to_ci_id : *in.from_ci_id);
    auto& from = from_first ? first : second;
    auto& to = from_first ? second : first;
    if (!from) throw NotFound("CI (fromCiId)");
    if (!to) throw NotFound("CI (toCiId)");
    nlohmann::json details = nlohmann::json::object();
    std::string message;
    if (type->allowed_from_type_id && *type->allowed_from_type_id != from->type_id) {
      auto allowed = co_await repo_.type_code(tx, *type->allowed_from_type_id);
      message = "relationship type " + type->code + " only goes from CIs of type " + allowed.value_or("?") +
                "; " + from->ci_code + " is a " + from->type_code;
      details["allowedFromTypeId"] = *type->allowed_from_type_id;
      details["allowedFromTypeCode"] = allowed.value_or("");
      details["fromTypeCode"] = from->type_code;
    }
    if (type->allowed_to_type_id && *type->allowed_to_type_id != to->type_id) {
      auto allowed = co_await repo_.type_code(tx, *type->allowed_to_type_id);
      message += std::string(message.empty() ? "" : "; ") + "relationship type " + type->code +
                 " only goes to CIs of type " + allowed.value_or("?") + "; " + to->ci_code + " is a " +
                 to->type_code;
      details["allowedToTypeId"] = *type->allowed_to_type_id;
      details["allowedToTypeCode"] = allowed.value_or("");
      details["toTypeCode"] = to->type_code;
    }
    if (!message.empty()) throw Unprocessable(message, details);
    auto dup = co_await repo_.active_duplicate(tx, in);
    if (dup)
      throw Conflict("an active " + type->code + " relationship from " + from->ci_code + " to " + to->ci_code +
                         " already exists",
                     {{"id", *dup}});
    auto id = co_await repo_.insert(tx, in);  // the partial unique index decides a race (23505 → 409)
    auto found = co_await repo_.find(id, &tx);
    out = *found;
    nlohmann::json payload = {{"after", to_json(out)}};
    co_await ops_->record(tx, "cmdb_relationship", id, "created", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<Relationship> RelationshipService::update(const std::string& id, const RelationshipInput& in,
                                               const std::optional<std::string>& if_match, const Caller& by) {
  Relationship out;
  ops_events::Change change{"cmdb_relationship", "updated", "relationship", id, if_match};
  ops_events::Load<Relationship> load = [&](db::Tx& t) { return repo_.find(id, &t, true); };
  ops_events::Apply<Relationship> apply = [&](db::Tx& t, const Relationship&) -> Task<Relationship> {
    co_await repo_.update(t, id, in);
    auto found = co_await repo_.find(id, &t);
    co_return *found;
  };
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    out = co_await ops_events::tracked_update(tx, *ops_, by, change, load, apply);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> RelationshipService::remove(const std::string& id, const std::optional<std::string>& if_match,
                                       const Caller& by) {
  ops_events::Change change{"cmdb_relationship", "retired", "relationship", id, if_match};
  ops_events::Load<Relationship> load = [&](db::Tx& t) { return repo_.find(id, &t, true); };
  ops_events::Drop<Relationship> retire = [&](db::Tx& t, const Relationship& current) -> Task<nlohmann::json> {
    if (current.status == "retired") throw Conflict("relationship is already retired", {{"status", "retired"}});
    co_await repo_.retire(t, id);
    auto after = to_json(current);
    after["status"] = "retired";
    co_return nlohmann::json{{"after", after}};
  };
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    co_await ops_events::tracked_delete(tx, *ops_, by, change, load, retire);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::cmdb
