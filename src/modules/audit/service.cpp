#include "modules/audit/service.hpp"

namespace netops::audit {

nlohmann::json changes(const nlohmann::json& before, const nlohmann::json& after) {
  nlohmann::json out = nlohmann::json::object();
  for (auto& [k, v] : after.items()) {
    auto it = before.find(k);
    if (it == before.end() || *it != v)
      out[k] = {{"before", it == before.end() ? nlohmann::json() : *it}, {"after", v}};
  }
  return out;
}

}  // namespace netops::audit
