#include "modules/cmdb/relationship_type_service.hpp"

#include "core/etag.hpp"
#include "modules/ops_events/tracked.hpp"

namespace netops::cmdb {

namespace {
[[noreturn]] void unknown_refs(const std::vector<std::string>& missing) {
  Validation refs;
  for (auto& field : missing) refs.add(field, "does not exist");
  throw Unprocessable("unknown " + missing.front(), {{"errors", refs.errors()}});
}
}  // namespace

Task<RelType> RelTypeService::get(const std::string& id) {
  auto t = co_await repo_.find(id);
  if (!t) throw NotFound("relationship type");
  co_return *t;
}

Task<RelType> RelTypeService::create(const RelTypeInput& in, const Caller& by) {
  RelType out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    std::optional<std::string> from = in.allowed_from_type_id ? *in.allowed_from_type_id : std::nullopt;
    std::optional<std::string> to = in.allowed_to_type_id ? *in.allowed_to_type_id : std::nullopt;
    auto missing = co_await repo_.missing_refs(tx, from, to);
    if (!missing.empty()) unknown_refs(missing);
    auto id = co_await repo_.insert(tx, in);
    auto found = co_await repo_.find(id, &tx);
    out = *found;
    nlohmann::json payload = {{"after", to_json(out)}};
    co_await ops_->record(tx, "cmdb_relationship_type", id, "created", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<RelType> RelTypeService::update(const std::string& id, const RelTypeInput& in,
                                     const std::optional<std::string>& if_match, const Caller& by) {
  RelType out;
  ops_events::Change change{"cmdb_relationship_type", "updated", "relationship type", id, if_match};
  ops_events::Load<RelType> load = [&](db::Tx& t) { return repo_.find(id, &t, true); };
  ops_events::Apply<RelType> apply = [&](db::Tx& t, const RelType&) -> Task<RelType> {
    std::optional<std::string> from = in.allowed_from_type_id ? *in.allowed_from_type_id : std::nullopt;
    std::optional<std::string> to = in.allowed_to_type_id ? *in.allowed_to_type_id : std::nullopt;
    auto missing = co_await repo_.missing_refs(t, from, to);
    if (!missing.empty()) unknown_refs(missing);
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

Task<void> RelTypeService::remove(const std::string& id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    auto current = co_await repo_.find(id, &tx, true);
    if (!current) throw NotFound("relationship type");
    auto n = co_await repo_.relationships(tx, id);
    if (n > 0)
      throw Conflict("relationship type " + current->code + " is used by " + std::to_string(n) +
                         " relationship(s) (active or retired, kept for history)",
                     {{"relationships", n}});
    co_await repo_.remove(tx, id);
    nlohmann::json payload = {{"before", to_json(*current)}};
    co_await ops_->record(tx, "cmdb_relationship_type", id, "deleted", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::cmdb
