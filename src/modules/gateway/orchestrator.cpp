#include "modules/gateway/orchestrator.hpp"

#include <algorithm>
#include <cstdlib>

#include "core/error.hpp"
#include "modules/gateway/quality.hpp"

namespace netops::gateway {

using nlohmann::json;

namespace {

const json& member(const json& obj, const char* key) {
  static const json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

std::string text_of(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (content.is_array())
    for (const auto& part : content)
      if (part.is_object() && member(part, "type") == "text" && member(part, "text").is_string())
        out += member(part, "text").get_ref<const std::string&>();
  return out;
}

// conditions.userTiers names the caller's tier (names as core/tier.hpp spells them).
bool contains_tier(const json& list, Tier tier) {
  if (!list.is_array()) return false;
  for (const auto& x : list)
    if (x.is_string() && parse_tier(x.get_ref<const std::string&>()) == tier) return true;
  return false;
}

bool contains_string(const json& list, std::string_view s) {
  if (!list.is_array()) return false;
  for (const auto& x : list)
    if (x.is_string() && x.get_ref<const std::string&>() == s) return true;
  return false;
}

const char* kHowToConfigure =
    "register a provider and a model (POST /api/providers, then POST /api/models), or set OPENAI_API_KEY, "
    "ANTHROPIC_API_KEY or OPENROUTER_API_KEY and restart, or run script/server --demo for the simulated upstream";

AppError no_provider(const std::string& why) {
  return AppError(ErrorCode::no_provider, why + ": " + kHowToConfigure);
}

// "tier:2" → 2; nullopt when not a tier alias; 400 for tier:7 or tier:x.
std::optional<int> tier_alias(const std::string& requested) {
  if (requested.rfind("tier:", 0) != 0) return std::nullopt;
  auto n = requested.substr(5);
  if (n.size() != 1 || n[0] < '0' || n[0] > '3') throw ValidationError("model", "tier aliases are tier:0 to tier:3");
  return n[0] - '0';
}

void push_usable(const ai_registry::Snapshot& snap, const ai_registry::ModelConfig* m, std::vector<Target>& out) {
  if (!m || !snap.usable(*m)) return;
  for (auto& t : out)
    if (t.model == m) return;
  out.push_back(Target{m, snap.provider_of(*m)});
}

}  // namespace

RequestFacts::RequestFacts(const json& body, std::string requested, http::Role role, Tier user_tier)
    : body_(body), requested_(std::move(requested)), role_(role), user_tier_(user_tier) {}

const json& RequestFacts::messages() const { return member(body_, "messages"); }

bool RequestFacts::has_tools() const {
  const auto& tools = member(body_, "tools");
  const auto& functions = member(body_, "functions");
  return (tools.is_array() && !tools.empty()) || (functions.is_array() && !functions.empty());
}

bool RequestFacts::has_vision() const {
  for (const auto& m : messages()) {
    const auto& content = member(m, "content");
    if (!content.is_array()) continue;
    for (const auto& part : content)
      if (member(part, "type") == "image_url") return true;
  }
  return false;
}

std::int64_t RequestFacts::prompt_tokens() {
  if (!prompt_tokens_) prompt_tokens_ = estimate_prompt_tokens(messages());
  return *prompt_tokens_;
}

std::int64_t RequestFacts::max_completion_tokens() const {
  for (const char* k : {"max_completion_tokens", "max_tokens"}) {
    const auto& v = member(body_, k);
    if (v.is_number_integer() && v.get<std::int64_t>() > 0) return v.get<std::int64_t>();
  }
  return 0;
}

const std::string& RequestFacts::last_user_text() {
  if (!last_user_) {
    last_user_.emplace();
    const auto& msgs = messages();
    for (auto it = msgs.rbegin(); it != msgs.rend(); ++it)
      if (member(*it, "role") == "user") {
        *last_user_ = text_of(member(*it, "content"));
        break;
      }
  }
  return *last_user_;
}

int RequestFacts::complexity() {
  if (!complexity_) complexity_ = complexity_tier(messages());
  return *complexity_;
}

bool rule_matches(const ai_registry::Rule& rule, RequestFacts& f) {
  const json& c = rule.conditions;
  const json& models_cond = member(c, "models");
  if (models_cond.is_null()) {
    if (f.requested() != "auto") return false;  // only `auto` is routed by rules that name no models
  } else if (!contains_string(models_cond, f.requested())) {
    return false;
  }
  if (const auto& roles = member(c, "roles"); !roles.is_null() && !contains_string(roles, http::role_name(f.role())))
    return false;
  if (const auto& tiers = member(c, "userTiers"); !tiers.is_null() && !contains_tier(tiers, f.user_tier()))
    return false;
  if (member(c, "requiresTools") == true && !f.has_tools()) return false;
  if (member(c, "requiresVision") == true && !f.has_vision()) return false;
  const auto& min = member(c, "minPromptTokens");
  const auto& max = member(c, "maxPromptTokens");
  if (min.is_number_integer() && f.prompt_tokens() < min.get<std::int64_t>()) return false;
  if (max.is_number_integer() && f.prompt_tokens() > max.get<std::int64_t>()) return false;
  if (const auto& cx = member(c, "complexity"); !cx.is_null()) {
    int level = f.complexity();
    bool ok = cx.is_number_integer() ? cx.get<int>() == level : false;
    if (cx.is_array())
      for (const auto& x : cx) ok = ok || (x.is_number_integer() && x.get<int>() == level);
    if (!ok) return false;
  }
  if (rule.pattern && !rule.pattern_matches(f.last_user_text())) return false;
  return true;
}

Plan resolve(const ai_registry::Snapshot& snap, RequestFacts& f) {
  const std::string& requested = f.requested();
  auto tier = tier_alias(requested);
  for (const auto& rule : snap.rules) {
    if (!rule.enabled || !rule_matches(rule, f)) continue;
    Plan p;
    for (const auto& id : rule.model_sequence) push_usable(snap, snap.model(id), p.targets);
    if (p.targets.empty()) continue;
    p.strategy = rule.strategy;
    p.rule = &rule;
    return p;
  }
  Plan p;
  if (tier) {
    for (const auto* m : snap.by_tier[static_cast<std::size_t>(*tier)]) push_usable(snap, m, p.targets);
    if (p.targets.empty()) throw no_provider("no enabled model in tier " + std::to_string(*tier));
    return p;
  }
  if (requested == "auto") {
    int want = std::clamp(f.complexity(), 0, 3);
    // Nearest tier with models; at equal distance the higher one (an answer that is too good beats one
    // that is not good enough).
    for (int d = 0; d < 4 && p.targets.empty(); ++d)
      for (int t : {want + d, want - d})
        if (t >= 0 && t <= 3 && p.targets.empty())
          for (const auto* m : snap.by_tier[static_cast<std::size_t>(t)]) push_usable(snap, m, p.targets);
    if (p.targets.empty()) throw no_provider("no enabled model");
    return p;
  }
  const ai_registry::ModelConfig* m = snap.model(requested);
  if (!m && requested.find('/') == std::string::npos) {
    // OpenAI clients often send the bare name ("gpt-4o"): accept it when exactly one model has that name
    // after its provider prefix.
    const ai_registry::ModelConfig* only = nullptr;
    int n = 0;
    for (const auto& [id, cfg] : snap.models) {
      auto slash = id.find('/');
      if (slash != std::string::npos && id.compare(slash + 1, std::string::npos, requested) == 0) {
        only = &cfg;
        ++n;
      }
    }
    if (n == 1) m = only;
  }
  if (!m) throw NotFound("model " + requested);
  if (!snap.usable(*m)) {
    auto* prov = snap.provider_of(*m);
    throw no_provider(!prov ? "model " + m->id + " names provider " + m->provider + ", which does not exist"
                      : prov->status != "active" ? "provider " + prov->id + " of model " + m->id + " is inactive"
                                                 : "model " + m->id + " is disabled");
  }
  push_usable(snap, m, p.targets);
  return p;
}

Prices prices_of(const ai_registry::ModelConfig& m) {
  auto parse = [](const std::optional<std::string>& s) -> std::optional<Decimal> {
    if (!s) return std::nullopt;
    try {
      return Decimal::parse(*s);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  };
  return Prices{parse(m.cost_per_1k_input), parse(m.cost_per_1k_output), parse(m.cost_per_1k_cache_read),
                parse(m.cost_per_1k_cache_write)};
}

Decimal estimated_cost(const ai_registry::ModelConfig& m, RequestFacts& f) {
  std::int64_t max = f.max_completion_tokens();
  if (max == 0) max = m.max_tokens.value_or(1000);
  return estimate_cost(f.prompt_tokens(), max, prices_of(m));
}

void order_cost(std::vector<Target>& t, const std::vector<Decimal>& cost) {
  std::vector<std::size_t> idx(t.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return cost[a] < cost[b]; });
  std::vector<Target> out;
  out.reserve(t.size());
  for (auto i : idx) out.push_back(t[i]);
  t = std::move(out);
}

void order_tier(std::vector<Target>& t, bool ascending) {
  std::stable_sort(t.begin(), t.end(), [ascending](const Target& a, const Target& b) {
    return ascending ? a.model->tier < b.model->tier : a.model->tier > b.model->tier;
  });
}

std::optional<std::size_t> LoadBalancer::pick(const std::string& key, const std::vector<std::string>& members,
                                              const std::vector<double>& weights, const std::vector<bool>& healthy) {
  std::lock_guard lock(mu_);
  auto& r = rotations_[key];
  if (r.members != members) {  // the rule changed: start a fresh rotation
    r.members = members;
    r.current.assign(members.size(), 0.0);
  }
  double total = 0;
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!healthy[i]) continue;
    r.current[i] += weights[i];
    total += weights[i];
    if (!best || r.current[i] > r.current[*best]) best = i;
  }
  if (best) r.current[*best] -= total;
  return best;
}

std::vector<double> weights_of(const ai_registry::Rule* rule, const std::vector<Target>& targets) {
  std::vector<double> w(targets.size(), 1.0);
  if (!rule) return w;
  const auto& weights = member(rule->metadata, "weights");
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& x = member(weights, targets[i].model->id.c_str());
    if (x.is_number() && x.get<double>() > 0) w[i] = x.get<double>();
  }
  return w;
}

std::optional<int> backoff_ms(int retry, int base_ms, int max_retry_after_ms, std::optional<int> retry_after_ms,
                              double jitter01) {
  if (retry_after_ms) {
    if (*retry_after_ms > max_retry_after_ms) return std::nullopt;
    return *retry_after_ms;
  }
  double exp = static_cast<double>(base_ms) * static_cast<double>(1LL << std::clamp(retry, 0, 20));
  double wait = exp * (0.5 + 0.5 * std::clamp(jitter01, 0.0, 1.0));
  return static_cast<int>(std::min(wait, 60000.0));
}

void apply_strategy(Plan& p, RequestFacts& f, bool stream, LoadBalancer& lb,
                    const std::function<bool(const Target&)>& healthy) {
  auto& t = p.targets;
  if (t.size() < 2) return;
  if (p.strategy == "cost_optimize") {
    std::vector<Decimal> cost;
    cost.reserve(t.size());
    for (auto& x : t) cost.push_back(estimated_cost(*x.model, f));
    order_cost(t, cost);
  } else if (p.strategy == "quality_first" || (p.strategy == "escalation" && stream)) {
    order_tier(t, false);
  } else if (p.strategy == "escalation") {
    order_tier(t, true);
  } else if (p.strategy == "load_balance") {
    std::vector<std::string> ids;
    std::vector<bool> ok;
    for (auto& x : t) {
      ids.push_back(x.model->id);
      ok.push_back(healthy(x));
    }
    auto first = lb.pick(p.rule ? p.rule->id : f.requested(), ids, weights_of(p.rule, t), ok);
    if (first && *first != 0) std::rotate(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(*first),
                                          t.begin() + static_cast<std::ptrdiff_t>(*first) + 1);
  }
}

}  // namespace netops::gateway
