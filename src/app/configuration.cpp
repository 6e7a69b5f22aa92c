#include "app/configuration.hpp"

#include <cstdlib>
#include <functional>

#include "modules/ai_registry/ai_registry_settings.hpp"
#include "modules/assets/assets_settings.hpp"
#include "modules/auth/auth_settings.hpp"
#include "modules/chat/chat_settings.hpp"
#include "modules/gateway/gateway_settings.hpp"
#include "modules/partitions/partitions_settings.hpp"
#include "modules/reminders/reminders_settings.hpp"
#include "modules/tools/tools_settings.hpp"
#include "modules/users/users_settings.hpp"

namespace netops {

namespace {
// A section with its settings type erased: its variables and a check that reads them.
struct Section {
  const std::vector<ConfigVar>& vars;
  std::function<void(ConfigReader&)> check;
};
template <class S>
Section erase(const ConfigSection<S>& s) {
  return {s.vars, [&s](ConfigReader& r) {
            S ignored;
            s.read(r, ignored);
          }};
}
// The one list of module sections.
std::vector<Section> sections() {
  return {erase(users::users_section()),     erase(auth::auth_section()),
          erase(ai_registry::ai_registry_section()), erase(gateway::gateway_section()),
          erase(chat::chat_section()),       erase(assets::assets_section()),
          erase(reminders::reminders_section()), erase(tools::tools_section()),
          erase(partitions::partitions_section())};
}
}  // namespace

Config load_configuration(const Config::Getenv& get) {
  std::vector<std::string> problems;
  Config c;
  try {
    c = Config::from_env(get);
  } catch (const ConfigError& e) {
    problems = e.problems();
  }
  ConfigReader r(get);
  for (auto& s : sections()) s.check(r);
  for (auto& p : r.problems()) problems.push_back(p);
  if (!problems.empty()) throw ConfigError(std::move(problems));
  return c;
}

Config load_configuration(const std::map<std::string, std::string>& vars) {
  return load_configuration([vars](const std::string& n) -> std::optional<std::string> {
    auto it = vars.find(n);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

Config load_process_configuration() {
  return load_configuration([](const std::string& n) -> std::optional<std::string> {
    const char* v = std::getenv(n.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  });
}

std::vector<ConfigVar> all_config_vars() {
  std::vector<ConfigVar> out = config_vars();
  for (auto& s : sections()) out.insert(out.end(), s.vars.begin(), s.vars.end());
  return out;
}

}  // namespace netops
