#include "modules/catalog/references.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace netops::catalog {

void refuse_if_referenced(const std::string& what, const std::vector<Reference>& refs) {
  nlohmann::json details = nlohmann::json::object();
  std::vector<std::string> parts;
  for (auto& r : refs) {
    if (r.count <= 0) continue;
    details[r.key] = r.count;
    parts.push_back(std::to_string(r.count) + " " + (r.count == 1 ? r.singular : r.plural));
  }
  if (parts.empty()) return;
  std::string msg = what + " is used by ";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) msg += i + 1 == parts.size() ? " and " : ", ";
    msg += parts[i];
  }
  throw Conflict(msg, details);
}

}  // namespace netops::catalog
