// Locations: a tree kept as a materialised path '/<ancestor ids>/<own id>/'. A move re-paths the whole
// subtree in one UPDATE; every tree change takes one transaction-scoped advisory lock, so two
// concurrent moves cannot together build a cycle that neither would build alone.
#include <algorithm>
#include <map>
#include <tuple>

#include "modules/catalog/service.hpp"

namespace netops::catalog {

namespace {
const std::vector<TextField> kLocationFields = {{"name", "name", 255, true}};

struct LocationInput {
  ColumnValues cols;
  std::optional<std::optional<std::string>> parent_id;  // set when the body has parentId
  std::optional<std::string> name() const {
    for (auto& [column, value] : cols)
      if (column == "name") return value;
    return std::nullopt;
  }
};

LocationInput parse(const nlohmann::json& body, bool creating) {
  Validation v;
  LocationInput in;
  in.cols = read_text_fields(body, kLocationFields, creating, v, {"parentId"});
  in.parent_id = read_uuid(body, "parentId", v);
  v.throw_if_any();
  return in;
}
}  // namespace

Task<Page> CatalogService::list_locations(const ListFilter& f, const http::Paging& p, const http::Sort& s) {
  co_return co_await repo_.list_locations(f, p, s);
}

Task<nlohmann::json> CatalogService::get_location(const std::string& id) {
  auto l = co_await repo_.find_location(id);
  if (!l) throw NotFound("location");
  co_return *l;
}

Task<nlohmann::json> CatalogService::tree(const std::string& id) {
  auto root = co_await repo_.find_location(id);
  if (!root) throw NotFound("location");
  auto rows = co_await repo_.subtree((*root)["path"].get<std::string>());
  // Ordered by path, a parent comes before its descendants; walking backwards, every node is complete
  // (all its children attached) by the time it is attached to its own parent.
  std::map<std::string, nlohmann::json> nodes;
  for (auto& r : rows) {
    auto node = r;
    node["children"] = nlohmann::json::array();
    nodes[r["id"].get<std::string>()] = std::move(node);
  }
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    auto node_id = (*it)["id"].get<std::string>();
    auto& node = nodes[node_id];
    auto& kids = node["children"];
    std::sort(kids.begin(), kids.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
      return std::tie(a["name"].get_ref<const std::string&>(), a["id"].get_ref<const std::string&>()) <
             std::tie(b["name"].get_ref<const std::string&>(), b["id"].get_ref<const std::string&>());
    });
    if (node_id == id || !(*it)["parentId"].is_string()) continue;
    auto parent = nodes.find((*it)["parentId"].get<std::string>());
    if (parent != nodes.end()) parent->second["children"].push_back(std::move(node));
  }
  co_return std::move(nodes[id]);
}

Task<nlohmann::json> CatalogService::create_location(const nlohmann::json& body, Caller c) {
  auto in = parse(body, true);
  std::optional<std::string> parent_id = in.parent_id ? *in.parent_id : std::nullopt;
  nlohmann::json out;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    co_await repo_.lock_location_tree(tx);
    std::string parent_path = "/";
    if (parent_id) {
      auto parent = co_await repo_.find_location(*parent_id, &tx);
      if (!parent) throw Unprocessable("parentId: no such location", {{"field", "parentId"}});
      parent_path = (*parent)["path"].get<std::string>();
    }
    out = co_await repo_.insert_location(tx, *in.name(), parent_id, parent_path);
    auto e = audit_entry(c.actor, "location.created", "location:" + out["id"].get<std::string>(), {{"after", out}},
                         c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
  co_return out;
}

Task<nlohmann::json> CatalogService::update_location(const std::string& id, const nlohmann::json& body, Caller c,
                                                     IfMatch check) {
  auto in = parse(body, false);
  nlohmann::json after;
  bool repathed = false;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    if (in.parent_id) co_await repo_.lock_location_tree(tx);
    auto before = co_await repo_.find_location(id, &tx, true);
    if (!before) throw NotFound("location");
    check(*before);
    long long moved = 0;
    auto current_parent = (*before)["parentId"].is_string() ? std::optional<std::string>((*before)["parentId"].get<std::string>())
                                                            : std::nullopt;
    if (in.parent_id && *in.parent_id != current_parent) {
      const auto old_path = (*before)["path"].get<std::string>();
      std::string parent_path = "/";
      if (*in.parent_id) {
        auto parent = co_await repo_.find_location(**in.parent_id, &tx);
        if (!parent) throw Unprocessable("parentId: no such location", {{"field", "parentId"}});
        parent_path = (*parent)["path"].get<std::string>();
        if (parent_path.rfind(old_path, 0) == 0)
          throw Conflict("a location cannot become its own descendant",
                         {{"locationId", id}, {"parentId", **in.parent_id}, {"parentPath", parent_path}});
      }
      moved = co_await repo_.move_location(tx, id, *in.parent_id, old_path, parent_path + id + "/");
    }
    if (auto name = in.name()) co_await repo_.rename_location(tx, id, *name);
    auto found = co_await repo_.find_location(id, &tx);
    after = *found;
    nlohmann::json details = {{"before", *before}, {"after", after}, {"changes", audit::changes(*before, after)}};
    if (moved > 0) details["repathed"] = moved;
    auto e = audit_entry(c.actor, moved > 0 ? "location.moved" : "location.updated", "location:" + id,
                         std::move(details), c.request_id);
    co_await audit_.record(tx, e);
    repathed = moved > 0;
  };
  co_await ctx_.db.transaction(in_tx);
  if (repathed) co_await asset_totals_changed(ctx_.redis);
  co_return after;
}

Task<void> CatalogService::delete_location(const std::string& id, Caller c) {
  auto in_tx = [&](db::Tx& tx) -> Task<void> {
    co_await repo_.lock_location_tree(tx);
    auto before = co_await repo_.find_location(id, &tx, true);
    if (!before) throw NotFound("location");
    auto refs = co_await repo_.location_references(tx, id);
    refuse_if_referenced("location", refs);
    co_await repo_.delete_location(tx, id);
    auto e = audit_entry(c.actor, "location.deleted", "location:" + id, {{"before", *before}}, c.request_id);
    co_await audit_.record(tx, e);
  };
  co_await ctx_.db.transaction(in_tx);
}

}  // namespace netops::catalog
