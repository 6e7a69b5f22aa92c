#include "modules/cmdb/relationship_service.hpp"

#include "core/etag.hpp"

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
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await repo_.find(id, &tx, true);
    if (!current) throw NotFound("relationship");
    auto before = to_json(*current);
    check_expected_etag(if_match, before);
    co_await repo_.update(tx, id, in);
    auto found = co_await repo_.find(id, &tx);
    out = *found;
    nlohmann::json payload = {{"before", before}, {"after", to_json(out)}};
    co_await ops_->record(tx, "cmdb_relationship", id, "updated", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> RelationshipService::remove(const std::string& id, const std::optional<std::string>& if_match,
                                       const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await repo_.find(id, &tx, true);
    if (!current) throw NotFound("relationship");
    auto before = to_json(*current);
    check_expected_etag(if_match, before);
    if (current->status == "retired") throw Conflict("relationship is already retired", {{"status", "retired"}});
    co_await repo_.retire(tx, id);
    auto after = before;
    after["status"] = "retired";
    nlohmann::json payload = {{"before", before}, {"after", after}};
    co_await ops_->record(tx, "cmdb_relationship", id, "retired", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::cmdb
