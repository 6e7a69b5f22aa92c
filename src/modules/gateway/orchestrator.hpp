#pragma once
// Which models answer a request, and in which order (SPEC §4.2). Pure functions over the registry
// snapshot plus the little in-process state the strategies need (load-balancer rotation), so every rule
// here is unit-tested without a server.
//
// Resolution of the request's `model`:
//   1. the first enabled rule (lowest priority) whose conditions all match. For a concrete model id or a
//      `tier:N` alias a rule applies only when its conditions.models names that id/alias (a rule without
//      `models` never hijacks an explicit choice); for `auto`, conditions.models must contain "auto" when
//      present. A matching rule whose models are all unusable is skipped.
//   2. else: a model id → that model (404 when unknown; disabled model/provider → 503 NO_PROVIDER);
//      `tier:N` → the usable models of tier N by priority; `auto` → the tier complexity_tier() picks, or the
//      nearest tier that has usable models (higher first: quality over cost when in doubt).
// Strategies then order the targets: fallback (as listed), load_balance (smooth weighted round-robin of
// the healthy members first, then the rest as fallback), cost_optimize (cheapest estimated cost first),
// quality_first (highest tier first), escalation (lowest tier first; the service scores and climbs).
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/request.hpp"
#include "llm/decimal.hpp"
#include "llm/pricing.hpp"
#include "core/tier.hpp"
#include "modules/ai_registry/registry.hpp"

namespace netops::gateway {

struct Target {
  const ai_registry::ModelConfig* model = nullptr;
  const ai_registry::Provider* provider = nullptr;
};

// What rules look at, computed lazily: most requests need none of the costlier facts.
class RequestFacts {
 public:
  RequestFacts(const nlohmann::json& body, std::string requested, http::Role role, Tier user_tier);
  const nlohmann::json& body() const { return body_; }
  const nlohmann::json& messages() const;
  const std::string& requested() const { return requested_; }
  http::Role role() const { return role_; }
  Tier user_tier() const { return user_tier_; }
  bool has_tools() const;
  bool has_vision() const;
  std::int64_t prompt_tokens();           // estimate_prompt_tokens
  std::int64_t max_completion_tokens() const;  // max_completion_tokens, else max_tokens, else 0
  const std::string& last_user_text();
  int complexity();

 private:
  const nlohmann::json& body_;
  std::string requested_;
  http::Role role_;
  Tier user_tier_;
  std::optional<std::int64_t> prompt_tokens_;
  std::optional<std::string> last_user_;
  std::optional<int> complexity_;
};

bool rule_matches(const ai_registry::Rule& rule, RequestFacts& facts);

struct Plan {
  std::vector<Target> targets;
  std::string strategy = "fallback";
  const ai_registry::Rule* rule = nullptr;  // points into the snapshot
};

// Throws NotFound (unknown model id) or AppError(no_provider) with a message saying how to configure one.
Plan resolve(const ai_registry::Snapshot& snap, RequestFacts& facts);

Prices prices_of(const ai_registry::ModelConfig& m);
// Upper-bound cost of this request on a model: max_tokens of the request, else of the model, else 1,000.
Decimal estimated_cost(const ai_registry::ModelConfig& m, RequestFacts& facts);

// Stable orderings (pure).
void order_cost(std::vector<Target>& t, const std::vector<Decimal>& cost);  // cost[i] belongs to t[i]
void order_tier(std::vector<Target>& t, bool ascending);

// Smooth weighted round-robin (nginx's algorithm) per rule: over a rotation every member gets its weight's
// share, interleaved rather than in bursts. In process: each instance balances its own traffic.
class LoadBalancer {
 public:
  // Index of the member to try first among healthy[i]; nullopt when none is healthy.
  std::optional<std::size_t> pick(const std::string& key, const std::vector<std::string>& members,
                                  const std::vector<double>& weights, const std::vector<bool>& healthy);

 private:
  struct Rotation {
    std::vector<std::string> members;
    std::vector<double> current;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Rotation> rotations_;
};

// Weights of the plan's members from rule.metadata.weights (default 1).
std::vector<double> weights_of(const ai_registry::Rule* rule, const std::vector<Target>& targets);

// Wait before retry `retry` (0-based) of one target: the upstream's Retry-After when it sent one (nullopt
// when that exceeds max_retry_after_ms: better try the next target than wait), else base·2^retry scaled by
// a jitter factor in [0.5, 1) so that callers failing together do not retry together.
std::optional<int> backoff_ms(int retry, int base_ms, int max_retry_after_ms, std::optional<int> retry_after_ms,
                              double jitter01);

// Orders plan.targets by the plan's strategy. healthy(t): t's circuit admits calls now (load_balance
// rotates over healthy members only). Escalation needs a whole answer to score, so a stream is served
// quality-first instead (highest tier first, then fallback down the list).
void apply_strategy(Plan& p, RequestFacts& f, bool stream, LoadBalancer& lb,
                    const std::function<bool(const Target&)>& healthy);

}  // namespace netops::gateway
