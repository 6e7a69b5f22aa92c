#pragma once
// The traversals of the CMDB, each ONE recursive SQL statement (WITH RECURSIVE … CYCLE, PostgreSQL 14+),
// over active relationships only, depth-capped and cycle-safe; a cap on the walked rows bounds the work on
// dense graphs (the answer then says truncated).
#include <optional>
#include <string>
#include <vector>

#include "db/db.hpp"

namespace netops::cmdb {

// One CI reached by a walk: its shortest distance and one shortest path (codes from the reached CI to the
// root it was reached from, and the relationship types linking consecutive codes).
struct Reached {
  std::string id, ci_code, name, type_code, status, environment;
  std::optional<std::string> asset_id;
  int distance = 0;
  std::vector<std::string> path, rel_types;  // path.size() == rel_types.size() + 1
  std::vector<std::string> path_ids;
  long long open_tickets = 0, open_repairs = 0;
};

struct Walk {
  std::vector<Reached> rows;  // by distance, then code; distance 0 = the roots
  bool truncated = false;
};

// One active dependency x → y of a relationship type (for redundancy).
struct Dependency {
  std::string from, to, rel_type_id, rel_type_code;
  std::optional<int> min_up;
  bool min_up_percent = false;
};

struct ServiceHit {
  std::string id, code, name, ci_id;
  std::optional<std::string> criticality, role;
};

inline constexpr long long kMaxWalkRows = 1000000;

class GraphRepo {
 public:
  explicit GraphRepo(db::Db& db) : db_(db) {}
  // upstream: the CIs that depend on the roots (x → root, transitively); downstream: what the roots depend on.
  Task<Walk> walk(const std::vector<std::string>& roots, int depth, bool upstream);
  // Nodes and edges around one CI ({"nodes":[…],"edges":[…],"truncated":bool}).
  Task<nlohmann::json> graph(const std::string& id, int depth, const std::string& direction);
  // Every active dependency of the CIs (any type).
  Task<std::vector<Dependency>> dependencies(const std::vector<std::string>& cis);
  Task<std::vector<ServiceHit>> services_of(const std::vector<std::string>& cis);
  Task<std::vector<std::string>> members(const std::string& service_id);
  Task<std::vector<std::string>> existing(const std::vector<std::string>& ids);

 private:
  db::Db& db_;
};

// '{a,b,c}' for a uuid[] parameter.
std::string uuid_array(const std::vector<std::string>& ids);

}  // namespace netops::cmdb
