#include "modules/cmdb/ci_service.hpp"

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

Task<void> CiService::check_filters(const CiFilter& f) {
  for (auto& [key, value] : f.attrs) {
    auto ok = co_await repo_.filterable(key, f.type_id);
    if (!ok)
      throw ValidationError("attr." + key, "is not a filterable attribute of an active CI type version");
  }
}

Task<db::Page<Ci>> CiService::list(const CiFilter& f, const db::PageRequest& p, const db::Sort& s) {
  co_await check_filters(f);
  co_return co_await repo_.list(f, p, s);
}

Task<std::vector<Ci>> CiService::export_rows(const CiFilter& f, long long limit) {
  co_await check_filters(f);
  co_return co_await repo_.export_rows(f, limit);
}

Task<Ci> CiService::get(const std::string& id) {
  auto c = co_await repo_.find(id);
  if (!c) throw NotFound("CI");
  co_return *c;
}

Task<void> CiService::exists(const std::string& id) {
  auto c = co_await repo_.find(id);
  if (!c) throw NotFound("CI");
}

Task<std::pair<std::optional<std::string>, nlohmann::json>> CiService::validated(db::Tx& tx, const std::string& type_id,
                                                                                 const nlohmann::json& values) {
  auto active = co_await versions_->repo().with_status(tx, type_id, "active");
  if (!active) {
    if (!values.empty())
      throw Unprocessable("the CI type has no active version: publish one before giving attributes",
                          {{"typeId", type_id}});
    co_return std::make_pair(std::optional<std::string>(), nlohmann::json::object());
  }
  auto defs = co_await versions_->repo().defs(active->id, &tx);
  specs::ValidateOptions opts;
  opts.version = active->version;
  auto r = specs::validate_values(defs, values, opts);
  if (!r.ok()) {
    Validation v;
    specs::report(r.issues, v, "attributes.");
    v.throw_if_any("attributes do not satisfy version " + std::to_string(active->version) + " of the CI type");
  }
  co_return std::make_pair(std::optional<std::string>(active->id), r.normalized);
}

Task<Ci> CiService::create(const CiInput& in, const Caller& by) {
  Ci out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    std::optional<std::string> asset = in.asset_id ? *in.asset_id : std::nullopt;
    std::optional<std::string> location = in.location_id ? *in.location_id : std::nullopt;
    auto missing = co_await repo_.missing_refs(tx, in.type_id, asset, location);
    if (!missing.empty()) unknown_refs(missing);
    nlohmann::json given = in.attributes ? *in.attributes : nlohmann::json::object();
    auto checked = co_await validated(tx, *in.type_id, given);
    auto id = co_await repo_.insert(tx, in);
    co_await repo_.replace_attributes(tx, id, checked.first, checked.second);
    auto found = co_await repo_.find(id, &tx);
    out = *found;
    nlohmann::json payload = {{"after", to_json(out)}};
    co_await ops_->record(tx, "cmdb_ci", id, "created", payload, by);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<Ci> CiService::update(const std::string& id, const CiInput& in, const std::optional<std::string>& if_match,
                           const Caller& by) {
  Ci out;
  ops_events::Change change{"cmdb_ci", "updated", "CI", id, if_match};
  ops_events::Load<Ci> load = [&](db::Tx& t) { return ops_events::lock_then_find(repo_, t, id); };
  ops_events::Apply<Ci> apply = [&](db::Tx& tx, const Ci& current) -> Task<Ci> {
    std::optional<std::string> type = in.type_id && *in.type_id != current.type_id ? in.type_id : std::nullopt;
    std::optional<std::string> asset = in.asset_id && *in.asset_id != current.asset_id ? *in.asset_id : std::nullopt;
    std::optional<std::string> location =
        in.location_id && *in.location_id != current.location_id ? *in.location_id : std::nullopt;
    auto missing = co_await repo_.missing_refs(tx, type, asset, location);
    if (!missing.empty()) unknown_refs(missing);
    co_await repo_.update(tx, id, in);
    if (in.attributes || type) {
      // The merged set: stored values, then the given ones (null removes a key).
      nlohmann::json merged = current.attributes;
      if (in.attributes)
        for (auto& [k, v] : in.attributes->items()) {
          if (v.is_null()) merged.erase(k);
          else merged[k] = v;
        }
      std::string type_id = type ? *type : current.type_id;
      auto checked = co_await validated(tx, type_id, merged);
      co_await repo_.replace_attributes(tx, id, checked.first, checked.second);
    }
    auto found = co_await repo_.find(id, &tx);
    co_return *found;
  };
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    out = co_await ops_events::tracked_update(tx, *ops_, by, change, load, apply);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<void> CiService::remove(const std::string& id, bool force, const std::optional<std::string>& if_match,
                             const Caller& by) {
  ops_events::Change change{"cmdb_ci", "deleted", "CI", id, if_match};
  ops_events::Load<Ci> load = [&](db::Tx& t) { return ops_events::lock_then_find(repo_, t, id); };
  ops_events::Drop<Ci> drop = [&](db::Tx& tx, const Ci& current) -> Task<nlohmann::json> {
    auto deps = co_await repo_.dependents(tx, id);
    if (!deps.empty() && !force) {
      std::string what;
      for (auto& r : deps.relationships)
        if (what.size() < 400)
          what += (what.empty() ? "" : ", ") + r["fromCiCode"].get<std::string>() + " -" +
                  r["relTypeCode"].get<std::string>() + "-> " + r["toCiCode"].get<std::string>();
      for (auto& s : deps.services)
        if (what.size() < 400) what += (what.empty() ? "" : ", ") + std::string("service ") + s["serviceCode"].get<std::string>();
      throw Conflict("CI " + current.ci_code + " has " + std::to_string(deps.relationships.size()) +
                         " active relationship(s) and " + std::to_string(deps.services.size()) +
                         " service membership(s): " + what + " (retire them, or DELETE with ?force=true)",
                     {{"relationships", deps.relationships}, {"services", deps.services}});
    }
    if (force) {
      auto retired = co_await repo_.retire_relationships(tx, id);
      for (auto& rid : retired) {
        nlohmann::json payload = {{"before", {{"status", "active"}}}, {"after", {{"status", "retired"}}},
                                  {"reason", "CI " + current.ci_code + " deleted with force"}};
        co_await ops_->record(tx, "cmdb_relationship", rid, "retired", payload, by);
      }
      for (auto& s : deps.services) {
        nlohmann::json payload = {{"before", {{"ciId", id}, {"ciCode", current.ci_code}, {"role", s["role"]}}},
                                  {"reason", "CI deleted with force"}};
        std::string service_id = s["serviceId"].get<std::string>();
        co_await ops_->record(tx, "cmdb_service", service_id, "member_removed", payload, by);
      }
      co_await repo_.remove_memberships(tx, id);
    }
    co_await repo_.remove(tx, id);
    co_return nlohmann::json{{"forced", force}};
  };
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    co_await ops_events::tracked_delete(tx, *ops_, by, change, load, drop);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::cmdb
