#pragma once
// CIs (SPEC §3 "CMDB", §4.6): attributes validated against the type's active version (the spec engine,
// every error at once keyed attributes.<key>) and stored with that version's id; an update that sends
// some attributes validates the merged set. Deleting a CI with active relationships or service
// memberships is 409 naming them unless forced (then they are retired / removed with it). Every change
// writes an ops event (entity cmdb_ci, before/after) in its transaction.
#include <memory>

#include "core/caller.hpp"
#include "kit/context.hpp"
#include "modules/catalog/spec_version_service.hpp"
#include "modules/cmdb/ci_repo.hpp"
#include "modules/ops_events/ops_event_service.hpp"

namespace netops::cmdb {

class CiService {
 public:
  CiService(AppContext& ctx, std::shared_ptr<ops_events::OpsEventService> ops,
            std::shared_ptr<catalog::SpecVersionService> versions)
      : ctx_(ctx), repo_(ctx.db), ops_(std::move(ops)), versions_(std::move(versions)) {}

  // 400 naming attr.<key> when the key is not a filterable attribute of an active version.
  Task<db::Page<Ci>> list(const CiFilter& f, const db::PageRequest& p, const db::Sort& s);
  Task<Ci> get(const std::string& id);
  Task<void> exists(const std::string& id);
  Task<Ci> create(const CiInput& in, const Caller& by);
  Task<Ci> update(const std::string& id, const CiInput& in, const std::optional<std::string>& if_match,
                  const Caller& by);
  Task<void> remove(const std::string& id, bool force, const std::optional<std::string>& if_match, const Caller& by);
  // http::crud's shape (its DELETE is switched off: ci_routes declares one with ?force).
  Task<void> remove(const std::string& id, const std::optional<std::string>& if_match, const Caller& by) {
    co_await remove(id, false, if_match, by);
  }
  // At most `limit` CIs (CSV export).
  Task<std::vector<Ci>> export_rows(const CiFilter& f, long long limit);

 private:
  Task<void> check_filters(const CiFilter& f);
  // Validates `values` against the type's active version; returns (version id, normalised values).
  Task<std::pair<std::optional<std::string>, nlohmann::json>> validated(db::Tx& tx, const std::string& type_id,
                                                                        const nlohmann::json& values);
  AppContext& ctx_;
  CiRepo repo_;
  std::shared_ptr<ops_events::OpsEventService> ops_;
  std::shared_ptr<catalog::SpecVersionService> versions_;
};

}  // namespace netops::cmdb
