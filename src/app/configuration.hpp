#pragma once
// The whole configuration: the framework's variables (core/config) and every module's section, read and
// validated together so one start-up error lists every problem.
#include <map>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace netops {

// Throws ConfigError naming every wrong variable of every section.
Config load_configuration(const Config::Getenv& get);
Config load_configuration(const std::map<std::string, std::string>& vars);
Config load_process_configuration();

// Every variable the server reads (framework first, then each module's), for --help and the README.
std::vector<ConfigVar> all_config_vars();

}  // namespace netops
