#include "modules/ai_registry/ai_registry_settings.hpp"

namespace netops::ai_registry {

const ConfigSection<AiRegistrySettings>& ai_registry_section() {
  static const ConfigSection<AiRegistrySettings> s{
      "ai_registry",
      {{"OPENAI_API_KEY", "(unset)", "seeds the OpenAI provider on first start"},
       {"ANTHROPIC_API_KEY", "(unset)", "seeds the Anthropic provider on first start"},
       {"OPENROUTER_API_KEY", "(unset)", "seeds the OpenRouter provider on first start"},
       {"NETOPS_DEMO_MOCK_URL", "(unset)", "base URL of the simulated upstream registered by --demo"}},
      [](ConfigReader& r, AiRegistrySettings& s) {
        s.openai_api_key = r.str("OPENAI_API_KEY");
        s.anthropic_api_key = r.str("ANTHROPIC_API_KEY");
        s.openrouter_api_key = r.str("OPENROUTER_API_KEY");
        s.demo_mock_url = r.str("NETOPS_DEMO_MOCK_URL");
      }};
  return s;
}

}  // namespace netops::ai_registry
