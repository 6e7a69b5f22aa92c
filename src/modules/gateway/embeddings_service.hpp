#pragma once
// POST /v1/embeddings (OpenAI format) to the providers/models that declare the embeddings capability
// (model_configs.capabilities.embeddings = true), resolved like completions (model id, rule alias via
// conditions.models, tier:N), with failover, the circuit breaker, the budget and the same accounting
// (usage_logs row: input tokens, completion 0, cost at the model's input price).
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "http/response.hpp"
#include "modules/gateway/gateway_service.hpp"

namespace netops::gateway {

struct Embedding {
  std::string body;  // the upstream's answer with "model" = our model id
  Served served;
  std::int64_t prompt_tokens = 0;
};

// Validates the body (400 naming the field): model (required), input (string | string[] | int[] | int[][],
// at most 2048 items, no empty string), encoding_format float|base64, dimensions ≥ 1, user string.
void validate_embeddings_request(const nlohmann::json& body);

// A model may answer embeddings when capabilities.embeddings is true.
bool embeddings_capable(const ai_registry::ModelConfig& m);

// Estimated input tokens: ceil(code points / 4) per string, the count of a token array.
std::int64_t estimate_embedding_tokens(const nlohmann::json& input);

class EmbeddingsService {
 public:
  EmbeddingsService(std::shared_ptr<Service> svc, std::shared_ptr<ai_registry::RegistryService> registry,
                    llm::Timeouts timeouts)
      : svc_(std::move(svc)), registry_(std::move(registry)), timeouts_(timeouts) {}
  // Throws AppError (400, 404, 429 BUDGET_EXCEEDED, 502/503/504) or UpstreamRejected.
  Task<Embedding> embed(std::shared_ptr<const nlohmann::json> body, Caller caller);

 private:
  std::shared_ptr<Service> svc_;
  std::shared_ptr<ai_registry::RegistryService> registry_;
  llm::Timeouts timeouts_;
};

}  // namespace netops::gateway

namespace netops::gateway {
// POST /v1/embeddings (role user; JWT or nk_ API key with the completions scope).
void register_embeddings_routes(AppContext& ctx, std::shared_ptr<Service> svc,
                                std::shared_ptr<ai_registry::RegistryService> registry);
}  // namespace netops::gateway
