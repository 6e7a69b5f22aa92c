#pragma once
#include <optional>
#include <string>

#include "core/config.hpp"

namespace netops::ai_registry {

// Provider keys that seed the default providers on first start (stored encrypted; later changes go
// through the API), and the simulated upstream of script/server --demo.
struct AiRegistrySettings {
  std::optional<std::string> openai_api_key, anthropic_api_key, openrouter_api_key;
  std::optional<std::string> demo_mock_url;
};
const ConfigSection<AiRegistrySettings>& ai_registry_section();

}  // namespace netops::ai_registry
