#pragma once
// Graph and impact (SPEC §4.6; README.md "Impact"): the walk is one recursive SQL query (GraphRepo); this
// class shapes its answer, adds the services reached and applies redundancy (relationship types with
// minUp): a dependent that still has enough of its dependencies of that type up is `spared` with the
// reason, and the impact does not travel through it.
#include <memory>
#include <string>
#include <vector>

#include "kit/context.hpp"
#include "modules/cmdb/graph_repo.hpp"

namespace netops::cmdb {

inline constexpr int kMaxDepth = 10;
inline constexpr std::size_t kMaxImpactCis = 1000;

struct ImpactRow {
  Reached ci;
  std::string impact = "impacted";  // or "spared"
  std::optional<std::string> reason;
  std::vector<std::string> services;  // codes of the services this CI is a member of
};

struct ServiceImpact {
  ServiceHit service;
  int distance = 0;
  std::string via_code;
};

struct Impact {
  std::vector<Reached> roots;
  std::vector<ImpactRow> rows;          // by distance, then code (roots excluded)
  std::vector<ServiceImpact> services;  // by distance, then code
  std::vector<Reached> dependencies;    // direction=both: what the roots depend on
  int depth = 0;
  std::string direction = "upstream";
  bool truncated = false;
};
nlohmann::json to_json(const Impact& i);
std::string to_csv(const Impact& i);

class GraphService {
 public:
  explicit GraphService(AppContext& ctx) : repo_(ctx.db) {}
  Task<nlohmann::json> graph(const std::string& id, int depth, const std::string& direction);
  // direction: upstream (what depends on the CIs: the impact), downstream (what they depend on) or both.
  // 404 naming the unknown ids.
  Task<Impact> impact(const std::vector<std::string>& ids, int depth, const std::string& direction);
  // Everything a service's members depend on, transitively.
  Task<Impact> service_dependencies(const std::string& service_id, int depth, bool service_exists);

 private:
  Task<void> apply_redundancy(Impact& out, const std::vector<std::string>& roots, const Walk& walk);
  GraphRepo repo_;
};

}  // namespace netops::cmdb
