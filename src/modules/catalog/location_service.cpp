#include "modules/catalog/location_service.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/etag.hpp"
#include "modules/assets/asset_totals.hpp"
#include "modules/audit/audited.hpp"

namespace netops::catalog {

Task<db::Page<Location>> LocationService::list(const ListFilter& f, const db::PageRequest& p, const db::Sort& s) {
  co_return co_await repo_.list(f, p, s);
}

Task<Location> LocationService::get(const std::string& id) {
  auto l = co_await repo_.find(id);
  if (!l) throw NotFound("location");
  co_return *l;
}

Task<LocationTree> LocationService::tree(const std::string& id) {
  auto root = co_await repo_.find(id);
  if (!root) throw NotFound("location");
  auto rows = co_await repo_.subtree(root->path);
  // Ordered by path, a parent comes before its descendants; walking backwards, every node is complete
  // (all its children attached) by the time it is attached to its own parent.
  std::map<std::string, LocationTree> nodes;
  for (auto& r : rows) nodes[r.id] = LocationTree{r, {}};
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    auto& node = nodes[it->id];
    std::sort(node.children.begin(), node.children.end(), [](const LocationTree& a, const LocationTree& b) {
      return std::tie(a.location.name, a.location.id) < std::tie(b.location.name, b.location.id);
    });
    if (it->id == id || !it->parent_id) continue;
    auto parent = nodes.find(*it->parent_id);
    if (parent != nodes.end()) parent->second.children.push_back(std::move(node));
  }
  co_return std::move(nodes[id]);
}

Task<Location> LocationService::create(const LocationInput& in, const Caller& by) {
  std::optional<std::string> parent_id = in.parent_id ? *in.parent_id : std::nullopt;
  Location out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    audit::Change change{"location.created", "location", ""};
    audit::Insert<Location> insert = [&](db::Tx& t) -> Task<Location> {
      co_await repo_.lock_tree(t);
      std::string parent_path = "/";
      if (parent_id) {
        auto parent = co_await repo_.find(*parent_id, &t);
        if (!parent) throw Unprocessable("parentId: no such location", {{"field", "parentId"}});
        parent_path = parent->path;
      }
      co_return co_await repo_.insert(t, *in.name, parent_id, parent_path);
    };
    std::function<std::string(const Location&)> id_of = [](const Location& l) { return l.id; };
    out = co_await audit::audited_create(tx, *audit_, by, change, insert, id_of);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

// Not audited_update: the action ("location.moved" or "location.updated") is known only after the write.
Task<Location> LocationService::update(const std::string& id, const LocationInput& in,
                                       const std::optional<std::string>& expected_etag, const Caller& by) {
  Location out;
  bool repathed = false;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    if (in.parent_id) co_await repo_.lock_tree(tx);
    auto current = co_await repo_.find(id, &tx, true);
    if (!current) throw NotFound("location");
    auto before = to_json(*current);
    check_expected_etag(expected_etag, before);
    long long moved = 0;
    if (in.parent_id && *in.parent_id != current->parent_id) {
      const auto old_path = current->path;
      std::string parent_path = "/";
      if (*in.parent_id) {
        auto parent = co_await repo_.find(**in.parent_id, &tx);
        if (!parent) throw Unprocessable("parentId: no such location", {{"field", "parentId"}});
        parent_path = parent->path;
        if (parent_path.rfind(old_path, 0) == 0)
          throw Conflict("a location cannot become its own descendant",
                         {{"locationId", id}, {"parentId", **in.parent_id}, {"parentPath", parent_path}});
      }
      moved = co_await repo_.move(tx, id, *in.parent_id, old_path, parent_path + id + "/");
    }
    if (in.name) co_await repo_.rename(tx, id, *in.name);
    auto found = co_await repo_.find(id, &tx);
    out = *found;
    auto after = to_json(out);
    nlohmann::json details = {{"before", before}, {"after", after}, {"changes", audit::changes(before, after)}};
    if (moved > 0) details["repathed"] = moved;
    std::string action = moved > 0 ? "location.moved" : "location.updated";
    std::string resource = "location:" + id;
    co_await audit_->record(tx, by, std::move(action), std::move(resource), std::move(details));
    repathed = moved > 0;
  };
  co_await ctx_.db.transaction(in_tx);
  if (repathed) co_await assets::totals_changed(ctx_.redis);
  co_return out;
}

Task<void> LocationService::remove(const std::string& id, const Caller& by) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    audit::Change change{"location.deleted", "location", id};
    audit::Lock<Location> lock = [&](db::Tx& t) -> Task<std::optional<Location>> {
      co_await repo_.lock_tree(t);
      co_return co_await repo_.find(id, &t, true);
    };
    audit::Remove<Location> remove = [&](db::Tx& t, const Location&) -> Task<void> {
      auto refs = co_await repo_.references(t, id);
      refuse_if_referenced("location", refs);
      co_await repo_.remove(t, id);
    };
    co_await audit::audited_delete(tx, *audit_, by, change, lock, remove);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::catalog
