#include "modules/repair/types.hpp"

#include <map>

namespace netops::repair {

const std::vector<std::string>& allowed_next(const std::string& status) {
  static const std::map<std::string, std::vector<std::string>> kTable = {
      {"open", {"diagnosing", "canceled"}},
      {"diagnosing", {"waiting_parts", "repaired", "canceled"}},
      {"waiting_parts", {"repaired", "canceled"}},
      {"repaired", {"closed", "canceled"}},
      {"closed", {}},
      {"canceled", {}},
  };
  static const std::vector<std::string> kNone;
  auto it = kTable.find(status);
  return it == kTable.end() ? kNone : it->second;
}

bool is_open(const std::string& status) { return status != "closed" && status != "canceled"; }

nlohmann::json to_json(const RepairOrder& o) {
  auto j = o.json;
  j["allowedTransitions"] = allowed_next(o.status);
  return j;
}

}  // namespace netops::repair
