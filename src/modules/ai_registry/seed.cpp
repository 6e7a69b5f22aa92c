// Start-up seeding of providers and default models (see seed.hpp). Prices are the providers' public
// list prices per 1,000 tokens in USD (input / output / cache read / cache write) at the time of writing;
// operators adjust them through PATCH /api/models/{id}.
#include "modules/ai_registry/ai_registry_settings.hpp"
#include "modules/ai_registry/seed.hpp"

#include <spdlog/spdlog.h>

#include "core/secretbox.hpp"
#include "modules/ai_registry/model_repo.hpp"
#include "modules/ai_registry/provider_repo.hpp"
#include "modules/ai_registry/registry.hpp"

namespace netops::ai_registry {

namespace {
struct SeedModel {
  const char* id;
  int tier;
  int context_window, max_tokens;
  const char *in, *out, *cache_read, *cache_write;  // nullptr: unset
  const char* upstream;                             // nullptr: the id after the first '/'
  bool vision;
  const char* display_name;
};

struct SeedProvider {
  const char* id;
  const char* name;
  const char* endpoint;  // OpenAI-compatible: base including /v1; Anthropic: base without /v1
  const char* auth_type;
  int priority;  // of its models, so that tier:N prefers the first configured provider
  std::vector<SeedModel> models;
};

const std::vector<SeedProvider>& catalogue() {
  static const std::vector<SeedProvider> kCatalogue = {
      {"openai", "OpenAI", "https://api.openai.com/v1", "bearer", 100,
       {{"openai/gpt-4o-mini", 0, 128000, 16384, "0.00015", "0.0006", "0.000075", nullptr, nullptr, true, "GPT-4o mini"},
        {"openai/gpt-4.1-mini", 1, 1047576, 32768, "0.0004", "0.0016", "0.0001", nullptr, nullptr, true, "GPT-4.1 mini"},
        {"openai/gpt-4o", 2, 128000, 16384, "0.0025", "0.01", "0.00125", nullptr, nullptr, true, "GPT-4o"},
        {"openai/gpt-4.1", 3, 1047576, 32768, "0.002", "0.008", "0.0005", nullptr, nullptr, true, "GPT-4.1"}}},
      {"anthropic", "Anthropic", "https://api.anthropic.com", "x-api-key", 110,
       {{"anthropic/claude-3-5-haiku", 1, 200000, 8192, "0.0008", "0.004", "0.00008", "0.001",
         "claude-3-5-haiku-20241022", true, "Claude 3.5 Haiku"},
        {"anthropic/claude-3-5-sonnet", 2, 200000, 8192, "0.003", "0.015", "0.0003", "0.00375",
         "claude-3-5-sonnet-20241022", true, "Claude 3.5 Sonnet"},
        {"anthropic/claude-sonnet-4", 3, 200000, 64000, "0.003", "0.015", "0.0003", "0.00375",
         "claude-sonnet-4-20250514", true, "Claude Sonnet 4"}}},
      {"openrouter", "OpenRouter", "https://openrouter.ai/api/v1", "bearer", 120,
       {{"openrouter/openai/gpt-4o-mini", 0, 128000, 16384, "0.00015", "0.0006", nullptr, nullptr, nullptr, true,
         "GPT-4o mini (OpenRouter)"},
        {"openrouter/auto", 1, 2000000, 32768, nullptr, nullptr, nullptr, nullptr, "openrouter/auto", true,
         "OpenRouter Auto (price varies by the model it picks)"},
        {"openrouter/anthropic/claude-3.5-sonnet", 2, 200000, 8192, "0.003", "0.015", nullptr, nullptr, nullptr, true,
         "Claude 3.5 Sonnet (OpenRouter)"}}},
  };
  return kCatalogue;
}

// The simulated upstream of tools/mock-llm: upstream names "echo" / "echo-large" (the id after '/').
const SeedProvider kMock = {"mock", "Mock LLM (demo)", "", "bearer", 50,
                            {{"mock/echo", 0, 32768, 4096, "0.0001", "0.0002", nullptr, nullptr, nullptr, false,
                              "Echo (mock)"},
                             {"mock/echo-large", 2, 131072, 8192, "0.001", "0.003", nullptr, nullptr, nullptr, false,
                              "Echo large (mock)"}}};

ModelConfig to_model(const SeedProvider& p, const SeedModel& s) {
  auto opt = [](const char* v) { return v ? std::optional<std::string>(v) : std::nullopt; };
  ModelConfig m;
  m.id = s.id;
  m.provider = p.id;
  m.tier = s.tier;
  m.context_window = s.context_window;
  m.max_tokens = s.max_tokens;
  m.cost_per_1k_input = opt(s.in);
  m.cost_per_1k_output = opt(s.out);
  m.cost_per_1k_cache_read = opt(s.cache_read);
  m.cost_per_1k_cache_write = opt(s.cache_write);
  if (s.upstream) m.capabilities["upstreamModel"] = s.upstream;
  m.supports_streaming = true;
  m.supports_functions = true;
  m.supports_vision = s.vision;
  m.display_name = s.display_name;
  m.priority = p.priority;
  return m;
}

Provider to_provider(const SeedProvider& s, const std::string& endpoint, const std::string& key,
                     const std::string& master_key) {
  Provider p;
  p.id = s.id;
  p.name = s.name;
  p.api_endpoint = endpoint;
  p.auth_type = s.auth_type;
  p.api_key_sealed = secretbox::seal(key, master_key);
  p.description = "seeded at start-up";
  return p;
}

// Inserts the provider and its models unless the provider exists (then nothing changes: operators own it).
// upsert_provider: update endpoint, key and status of an existing row instead (the demo mock's port moves).
Task<bool> seed_one(AppContext& ctx, audit::AuditService& audit, const SeedProvider& s, const std::string& endpoint, const std::string& key,
                    bool upsert_provider) {
  ProviderRepo providers(ctx.db, ctx.config.master_key);
  ModelRepo models(ctx.db);
  auto p = to_provider(s, endpoint, key, ctx.config.master_key);
  bool changed = false;
  auto in_tx = [&](db::Tx& tx) -> Task<void> {  // named: GCC 12 mishandles temporaries in co_await
    auto created = co_await providers.insert_if_absent(tx, p);
    if (!created && !upsert_provider) co_return;
    if (!created) {
      auto current = co_await providers.lock(tx, p.id);
      if (!current) co_return;
      Provider next = *current;
      next.api_endpoint = p.api_endpoint;
      next.auth_type = p.auth_type;
      next.status = "active";
      if (current->api_key != key) next.api_key_sealed = p.api_key_sealed;
      co_await providers.update(tx, next);
    }
    nlohmann::json ids = nlohmann::json::array();
    for (auto& sm : s.models) {
      auto m = to_model(s, sm);
      auto inserted = co_await models.insert(tx, m, /*if_absent=*/true);
      if (inserted) ids.push_back(m.id);
    }
    changed = true;
    audit::Entry e{std::nullopt, created ? "provider.created" : "provider.updated", std::string("provider:") + s.id,
                   {{"seeded", true}, {"apiEndpoint", p.api_endpoint}, {"modelsCreated", ids}}, "startup-seed"};
    co_await audit.record(tx, e);
  };
  co_await ctx.db.transaction(in_tx);
  co_return changed;
}
}  // namespace

Task<void> seed_defaults(AppContext& ctx, audit::AuditService& audit, bool demo) {
  std::vector<std::string> seeded;
  const auto settings = load_section(ctx.config, ai_registry_section());
  const std::optional<std::string>* keys[] = {&settings.openai_api_key, &settings.anthropic_api_key,
                                              &settings.openrouter_api_key};
  for (std::size_t i = 0; i < catalogue().size(); ++i) {
    const auto& key = *keys[i];
    if (!key || key->empty()) continue;
    const auto& s = catalogue()[i];
    std::string endpoint = s.endpoint;  // named: GCC 12 destroys temporaries in co_await too early
    bool done = co_await seed_one(ctx, audit, s, endpoint, *key, false);
    if (done) seeded.push_back(s.id);
  }
  if (demo) {
    if (settings.demo_mock_url && !settings.demo_mock_url->empty()) {
      std::string base = *settings.demo_mock_url;
      while (!base.empty() && base.back() == '/') base.pop_back();
      std::string endpoint = base + "/v1", key = "mock-key";  // named: see above
      bool done = co_await seed_one(ctx, audit, kMock, endpoint, key, true);
      if (done) seeded.push_back(kMock.id);
    } else {
      spdlog::warn("--demo: NETOPS_DEMO_MOCK_URL is not set, so no mock provider was registered");
    }
  }
  if (seeded.empty()) co_return;
  std::string list;
  for (auto& id : seeded) list += (list.empty() ? "" : ", ") + id;
  spdlog::info("seeded provider(s): {}", list);
  // Announce to every instance (the local registry has no snapshot yet: nothing is served before ready).
  Registry announcer(ctx.db, ctx.redis, ctx.config.master_key);
  std::vector<std::string> ids;
  for (auto& s : catalogue()) for (auto& m : s.models) ids.push_back(m.id);
  for (auto& m : kMock.models) ids.push_back(m.id);
  co_await announcer.changed(std::move(ids));
}

}  // namespace netops::ai_registry
