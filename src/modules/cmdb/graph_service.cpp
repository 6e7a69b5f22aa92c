#include "modules/cmdb/graph_service.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "core/error.hpp"
#include "modules/cmdb/service_repo.hpp"

namespace netops::cmdb {

namespace {

nlohmann::json opt(const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

nlohmann::json ci_json(const Reached& r) {
  return {{"id", r.id},
          {"ciCode", r.ci_code},
          {"name", r.name},
          {"typeCode", r.type_code},
          {"status", r.status},
          {"environment", r.environment},
          {"assetId", opt(r.asset_id)},
          {"distance", r.distance},
          {"path", r.path},
          {"relTypes", r.rel_types},
          {"openMaintenanceTickets", r.open_tickets},
          {"openRepairOrders", r.open_repairs}};
}

std::string explain(const Reached& r) {
  std::string out = r.path.empty() ? r.ci_code : r.path.front();
  for (std::size_t i = 0; i < r.rel_types.size() && i + 1 < r.path.size(); ++i)
    out += " -" + r.rel_types[i] + "-> " + r.path[i + 1];
  return out;
}

std::string csv_field(const std::string& s) {
  bool quote = s.find_first_of(",\"\n\r") != std::string::npos;
  // Cells starting with = + - @ are prefixed so spreadsheets do not evaluate them.
  std::string v = (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) ? "'" + s : s;
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

int needed(const Dependency& d, long long n) {
  if (!d.min_up) return 0;
  if (!d.min_up_percent) return *d.min_up;
  return static_cast<int>((n * *d.min_up + 99) / 100);  // ceil(n × p%)
}

}  // namespace

nlohmann::json to_json(const Impact& i) {
  nlohmann::json roots = nlohmann::json::array(), cis = nlohmann::json::array(), services = nlohmann::json::array();
  for (auto& r : i.roots) roots.push_back({{"id", r.id}, {"ciCode", r.ci_code}, {"name", r.name},
                                           {"typeCode", r.type_code}, {"status", r.status}});
  long long impacted = 0, spared = 0;
  for (auto& row : i.rows) {
    auto j = ci_json(row.ci);
    j["impact"] = row.impact;
    j["reason"] = opt(row.reason);
    j["explanation"] = explain(row.ci);
    j["services"] = row.services;
    cis.push_back(std::move(j));
    (row.impact == "spared" ? spared : impacted)++;
  }
  for (auto& s : i.services)
    services.push_back({{"id", s.service.id},
                        {"code", s.service.code},
                        {"name", s.service.name},
                        {"criticality", opt(s.service.criticality)},
                        {"distance", s.distance},
                        {"via", {{"ciId", s.service.ci_id}, {"ciCode", s.via_code}, {"role", opt(s.service.role)}}}});
  nlohmann::json out = {{"roots", roots},
                        {"depth", i.depth},
                        {"direction", i.direction},
                        {"cis", cis},
                        {"services", services},
                        {"counts", {{"impacted", impacted}, {"spared", spared}, {"services", i.services.size()}}},
                        {"truncated", i.truncated}};
  if (i.direction == "both" || i.direction == "downstream") {
    nlohmann::json deps = nlohmann::json::array();
    for (auto& d : i.dependencies) {
      auto j = ci_json(d);
      j["explanation"] = explain(d);
      deps.push_back(std::move(j));
    }
    out["dependencies"] = std::move(deps);
    out["counts"]["dependencies"] = i.dependencies.size();
  }
  return out;
}

std::string to_csv(const Impact& i) {
  std::string out =
      "direction,distance,ciCode,name,typeCode,status,environment,impact,reason,path,services,"
      "openMaintenanceTickets,openRepairOrders\r\n";
  auto line = [&out](const std::string& dir, const Reached& r, const std::string& impact, const std::string& reason,
                     const std::vector<std::string>& services) {
    std::string svc;
    for (auto& s : services) svc += (svc.empty() ? "" : ";") + s;
    out += dir + "," + std::to_string(r.distance) + "," + csv_field(r.ci_code) + "," + csv_field(r.name) + "," +
           csv_field(r.type_code) + "," + r.status + "," + r.environment + "," + impact + "," + csv_field(reason) +
           "," + csv_field(explain(r)) + "," + csv_field(svc) + "," + std::to_string(r.open_tickets) + "," +
           std::to_string(r.open_repairs) + "\r\n";
  };
  for (auto& row : i.rows) line("upstream", row.ci, row.impact, row.reason.value_or(""), row.services);
  for (auto& d : i.dependencies) line("downstream", d, "dependency", "", {});
  return out;
}

Task<nlohmann::json> GraphService::graph(const std::string& id, int depth, const std::string& direction) {
  std::vector<std::string> ids{id};  // named: GCC 12 mishandles temporaries in co_await
  auto exists = co_await repo_.existing(ids);
  if (exists.empty()) throw NotFound("CI");
  auto g = co_await repo_.graph(id, depth, direction);
  g["rootId"] = id;
  g["depth"] = depth;
  g["direction"] = direction;
  co_return g;
}

Task<void> GraphService::apply_redundancy(Impact& out, const std::vector<std::string>& roots, const Walk& walk) {
  std::vector<std::string> reached;
  for (auto& r : walk.rows)
    if (r.distance > 0) reached.push_back(r.id);
  for (auto& r : walk.rows)
    if (r.distance > 0) out.rows.push_back(ImpactRow{r, "impacted", std::nullopt, {}});
  if (reached.empty()) co_return;
  auto deps = co_await repo_.dependencies(reached);
  bool redundancy = std::any_of(deps.begin(), deps.end(), [](const Dependency& d) { return d.min_up.has_value(); });
  if (!redundancy) co_return;  // no redundancy on the way: the walk's answer stands

  // Redundancy decides: breadth-first from the roots over the reached CIs' dependencies, a dependent of a
  // redundant type going down only when fewer than minUp of its dependencies of that type stay up.
  std::unordered_map<std::string, const Reached*> info;
  for (auto& r : walk.rows) info[r.id] = &r;
  std::unordered_map<std::string, std::vector<const Dependency*>> dependents;  // to → edges
  std::map<std::pair<std::string, std::string>, long long> total;            // (from, type) → dependencies
  for (auto& d : deps) {
    dependents[d.to].push_back(&d);
    total[{d.from, d.rel_type_id}]++;
  }
  std::map<std::pair<std::string, std::string>, long long> down_of;  // (from, type) → dependencies down
  std::unordered_map<std::string, int> dist;
  std::unordered_map<std::string, std::pair<std::string, std::string>> parent;  // x → (y, type code)
  std::unordered_map<std::string, std::tuple<int, std::string, std::string, std::string>> spared;
  std::deque<std::string> queue;
  for (auto& r : roots) {
    dist[r] = 0;
    queue.push_back(r);
  }
  while (!queue.empty()) {
    auto y = queue.front();
    queue.pop_front();
    auto it = dependents.find(y);
    if (it == dependents.end()) continue;
    for (auto* d : it->second) {
      auto key = std::make_pair(d->from, d->rel_type_id);
      down_of[key]++;
      if (dist.count(d->from) || dist[y] + 1 > out.depth) continue;
      if (d->min_up) {
        auto n = total[key];
        auto need = needed(*d, n);
        auto up = n - down_of[key];
        if (up >= need) {
          if (!spared.count(d->from))
            spared[d->from] = {dist[y] + 1, y, d->rel_type_code,
                               std::to_string(up) + " of " + std::to_string(n) + " " + d->rel_type_code +
                                   " dependencies up, at least " + std::to_string(need) + " needed"};
          else
            std::get<3>(spared[d->from]) = std::to_string(up) + " of " + std::to_string(n) + " " +
                                           d->rel_type_code + " dependencies up, at least " +
                                           std::to_string(need) + " needed";
          continue;
        }
      }
      dist[d->from] = dist[y] + 1;
      parent[d->from] = {y, d->rel_type_code};
      spared.erase(d->from);
      queue.push_back(d->from);
    }
  }
  auto path_of = [&](Reached r, const std::string& first_parent, const std::string& first_type) {
    r.path = {r.ci_code};
    r.path_ids = {r.id};
    r.rel_types.clear();
    std::string at = first_parent, type = first_type;
    for (int guard = 0; guard <= kMaxDepth + 1; ++guard) {
      r.rel_types.push_back(type);
      r.path.push_back(info.count(at) ? info[at]->ci_code : at);
      r.path_ids.push_back(at);
      auto p = parent.find(at);
      if (p == parent.end()) break;
      type = p->second.second;
      at = p->second.first;
    }
    return r;
  };
  out.rows.clear();
  for (auto& [id, p] : parent) {
    if (!info.count(id)) continue;
    auto r = path_of(*info[id], p.first, p.second);
    r.distance = dist[id];
    out.rows.push_back(ImpactRow{r, "impacted", std::nullopt, {}});
  }
  for (auto& [id, s] : spared) {
    if (!info.count(id)) continue;
    auto r = path_of(*info[id], std::get<1>(s), std::get<2>(s));
    r.distance = std::get<0>(s);
    out.rows.push_back(ImpactRow{r, "spared", std::get<3>(s), {}});
  }
  std::sort(out.rows.begin(), out.rows.end(), [](const ImpactRow& a, const ImpactRow& b) {
    return std::tie(a.ci.distance, a.ci.ci_code) < std::tie(b.ci.distance, b.ci.ci_code);
  });
}

Task<Impact> GraphService::impact(const std::vector<std::string>& ids, int depth, const std::string& direction) {
  auto found = co_await repo_.existing(ids);
  if (found.size() != ids.size()) {
    std::set<std::string> have(found.begin(), found.end());
    nlohmann::json missing = nlohmann::json::array();
    for (auto& id : ids)
      if (!have.count(id)) missing.push_back(id);
    throw AppError(ErrorCode::not_found, "CI not found: " + missing.front().get<std::string>(),
                   {{"missing", missing}});
  }
  Impact out;
  out.depth = depth;
  out.direction = direction;
  if (direction != "downstream") {
    auto walk = co_await repo_.walk(ids, depth, true);
    out.truncated = walk.truncated;
    for (auto& r : walk.rows)
      if (r.distance == 0) out.roots.push_back(r);
    co_await apply_redundancy(out, ids, walk);
    // Services: those with an impacted member (or a root), through the nearest one.
    std::vector<std::string> down;
    std::unordered_map<std::string, std::pair<int, std::string>> where;  // ci → (distance, code)
    for (auto& r : out.roots) {
      down.push_back(r.id);
      where[r.id] = {0, r.ci_code};
    }
    for (auto& row : out.rows) {
      down.push_back(row.ci.id);
      if (row.impact == "impacted") where[row.ci.id] = {row.ci.distance, row.ci.ci_code};
    }
    auto hits = co_await repo_.services_of(down);
    std::unordered_map<std::string, std::vector<std::string>> member_of;
    std::map<std::string, ServiceImpact> best;
    for (auto& h : hits) {
      member_of[h.ci_id].push_back(h.code);
      auto w = where.find(h.ci_id);
      if (w == where.end()) continue;  // a spared member does not take its service down
      auto b = best.find(h.id);
      if (b == best.end() || w->second.first < b->second.distance)
        best[h.id] = ServiceImpact{h, w->second.first, w->second.second};
    }
    for (auto& row : out.rows)
      if (auto m = member_of.find(row.ci.id); m != member_of.end()) row.services = m->second;
    for (auto& [_, s] : best) out.services.push_back(s);
    std::sort(out.services.begin(), out.services.end(), [](const ServiceImpact& a, const ServiceImpact& b) {
      return std::tie(a.distance, a.service.code) < std::tie(b.distance, b.service.code);
    });
  }
  if (direction != "upstream") {
    auto walk = co_await repo_.walk(ids, depth, false);
    out.truncated = out.truncated || walk.truncated;
    for (auto& r : walk.rows) {
      if (r.distance == 0) {
        if (direction == "downstream") out.roots.push_back(r);
        continue;
      }
      // The walk's path runs from the reached CI back to the root; a dependency reads root → … → it.
      std::reverse(r.path.begin(), r.path.end());
      std::reverse(r.path_ids.begin(), r.path_ids.end());
      std::reverse(r.rel_types.begin(), r.rel_types.end());
      out.dependencies.push_back(r);
    }
  }
  co_return out;
}

Task<Impact> GraphService::service_dependencies(const std::string& service_id, int depth, bool service_exists) {
  if (!service_exists) throw NotFound("service");
  auto members = co_await repo_.members(service_id);
  Impact out;
  out.depth = depth;
  out.direction = "downstream";
  if (members.empty()) co_return out;
  auto walk = co_await repo_.walk(members, depth, false);
  out.truncated = walk.truncated;
  for (auto& r : walk.rows) {
    if (r.distance == 0) {
      out.roots.push_back(r);
      continue;
    }
    std::reverse(r.path.begin(), r.path.end());
    std::reverse(r.path_ids.begin(), r.path_ids.end());
    std::reverse(r.rel_types.begin(), r.rel_types.end());
    out.dependencies.push_back(r);
  }
  co_return out;
}

}  // namespace netops::cmdb
