#include "modules/ai_registry/model_body.hpp"

#include <re2/re2.h>

#include "modules/ai_registry/provider_body.hpp"

namespace netops::ai_registry {

using nlohmann::json;

bool valid_model_id(std::string_view id) {
  static const re2::RE2 kId(R"([A-Za-z0-9._:@+-]+(/[A-Za-z0-9._:@+-]+){0,2})");
  if (id.empty() || id.size() > 100 || !re2::RE2::FullMatch(id, kId)) return false;
  std::size_t start = 0;
  for (;;) {
    auto slash = id.find('/', start);
    auto seg = id.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (seg == "." || seg == "..") return false;
    if (slash == std::string_view::npos) return start == 0 || (seg != "performance" && seg != "history");
    start = slash + 1;
  }
}

ModelInput read_model(const json& body, bool creating, const std::string& current_id, Validation& v) {
  http::BodyReader f(body, v, creating);
  ModelInput in;
  f.only({"id", "provider", "tier", "contextWindow", "maxTokens", "costPer1kInput", "costPer1kOutput",
          "costPer1kCacheRead", "costPer1kCacheWrite", "capabilities", "enabled", "supportsStreaming",
          "supportsFunctions", "supportsVision", "description", "priority", "status", "displayName"},
         {"upstreamModel", "createdAt", "updatedAt", "circuitBreaker"});
  if (creating) {
    std::string id;
    f.text("id", id, 100);
    if (!id.empty() && !valid_model_id(id))
      v.add("id", "must be 1–3 '/'-separated segments of letters, digits and ._:@+- (e.g. openai/gpt-4o), at most "
                  "100 characters, not ending in /performance or /history");
    else if (!id.empty())
      in.id = id;
  }
  f.immutable_id(current_id);
  std::optional<std::string> provider;
  read_text(f, "provider", provider, 50);
  if (provider) {
    if (valid_provider_id(*provider)) in.provider = provider;
    else v.add("provider", "must be a provider id (lowercase slug)");
  }
  read_integer(f, "tier", in.tier, 0, 3, true);
  read_opt_integer(f, "contextWindow", in.context_window, 1, 100000000);
  read_opt_integer(f, "maxTokens", in.max_tokens, 1, 100000000);
  read_decimal(f, "costPer1kInput", in.cost_per_1k_input, 4, 6, false);
  read_decimal(f, "costPer1kOutput", in.cost_per_1k_output, 4, 6, false);
  read_decimal(f, "costPer1kCacheRead", in.cost_per_1k_cache_read, 4, 6, false);
  read_decimal(f, "costPer1kCacheWrite", in.cost_per_1k_cache_write, 4, 6, false);
  read_object(f, "capabilities", in.capabilities);
  if (in.capabilities)
    if (auto it = in.capabilities->find("upstreamModel"); it != in.capabilities->end() && !it->is_null() &&
        (!it->is_string() || it->get_ref<const std::string&>().empty() ||
         it->get_ref<const std::string&>().size() > 200))
      v.add("capabilities.upstreamModel", "must be a non-empty string of at most 200 characters");
  read_boolean(f, "enabled", in.enabled);
  read_boolean(f, "supportsStreaming", in.supports_streaming);
  read_boolean(f, "supportsFunctions", in.supports_functions);
  read_boolean(f, "supportsVision", in.supports_vision);
  read_opt_text(f, "description", in.description, 10000);
  read_opt_text(f, "displayName", in.display_name, 255);
  read_integer(f, "priority", in.priority, -1000000, 1000000, false);
  read_one_of(f, "status", in.status, {"active", "inactive", "deprecated"}, false);
  return in;
}

ModelInput parse_model(const json& body, bool creating, const std::string& current_id) {
  Validation v;
  auto in = read_model(body, creating, current_id, v);
  v.throw_if_any();
  return in;
}

void apply_model(const ModelInput& in, ModelConfig& m) {
  set_if(m.id, in.id);
  set_if(m.provider, in.provider);
  set_if(m.tier, in.tier);
  set_if(m.context_window, in.context_window);
  set_if(m.max_tokens, in.max_tokens);
  set_if(m.cost_per_1k_input, in.cost_per_1k_input);
  set_if(m.cost_per_1k_output, in.cost_per_1k_output);
  set_if(m.cost_per_1k_cache_read, in.cost_per_1k_cache_read);
  set_if(m.cost_per_1k_cache_write, in.cost_per_1k_cache_write);
  set_if(m.capabilities, in.capabilities);
  set_if(m.enabled, in.enabled);
  set_if(m.supports_streaming, in.supports_streaming);
  set_if(m.supports_functions, in.supports_functions);
  set_if(m.supports_vision, in.supports_vision);
  set_if(m.description, in.description);
  set_if(m.display_name, in.display_name);
  set_if(m.priority, in.priority);
  set_if(m.status, in.status);
}

}  // namespace netops::ai_registry
