#include "modules/ai_registry/rule_body.hpp"

#include <algorithm>
#include <re2/re2.h>
#include <set>

#include "core/tier.hpp"

namespace netops::ai_registry {

using nlohmann::json;

namespace {
bool in(const json& j, std::initializer_list<const char*> allowed) {
  return j.is_string() && std::any_of(allowed.begin(), allowed.end(),
                                      [&j](const char* a) { return j.get_ref<const std::string&>() == a; });
}

void check_string_array(const json& c, const char* key, std::initializer_list<const char*> allowed, Validation& v) {
  auto it = c.find(key);
  if (it == c.end()) return;
  std::string f = std::string("conditions.") + key;
  bool ok = it->is_array() && !it->empty();
  if (ok)
    for (auto& x : *it) ok = ok && x.is_string() && !x.get_ref<const std::string&>().empty() && (allowed.size() == 0 || in(x, allowed));
  if (ok) return;
  std::string list;
  for (auto* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  v.add(f, allowed.size() ? "must be a non-empty array of " + list : "must be a non-empty array of strings");
}

void check_conditions(const json& c, Validation& v) {
  static const std::set<std::string> kKeys = {"models",          "roles",          "userTiers",      "minPromptTokens",
                                              "maxPromptTokens", "requiresTools", "requiresVision", "pattern",
                                              "complexity"};
  for (auto& [k, _] : c.items())
    if (!kKeys.count(k))
      v.add("conditions." + k, "unknown condition (allowed: models, roles, userTiers, minPromptTokens, "
                               "maxPromptTokens, requiresTools, requiresVision, pattern, complexity)");
  check_string_array(c, "models", {}, v);
  check_string_array(c, "roles", {"user", "admin", "super_admin"}, v);
  if (auto it = c.find("userTiers"); it != c.end()) {
    bool ok = it->is_array() && !it->empty();
    if (ok)
      for (auto& x : *it) ok = ok && x.is_string() && parse_tier(x.get_ref<const std::string&>()).has_value();
    std::string names;
    for (auto t : kTiers) names += (names.empty() ? "" : ", ") + std::string(tier_name(t));
    if (!ok) v.add("conditions.userTiers", "must be a non-empty array of " + names);
  }
  for (const char* k : {"minPromptTokens", "maxPromptTokens"})
    if (c.contains(k) && (!c[k].is_number_integer() || c[k].get<long long>() < 0))
      v.add(std::string("conditions.") + k, "must be a non-negative integer");
  if (c.contains("minPromptTokens") && c.contains("maxPromptTokens") && c["minPromptTokens"].is_number_integer() &&
      c["maxPromptTokens"].is_number_integer() && c["minPromptTokens"].get<long long>() > c["maxPromptTokens"].get<long long>())
    v.add("conditions.maxPromptTokens", "must not be below minPromptTokens");
  for (const char* k : {"requiresTools", "requiresVision"})
    if (c.contains(k) && !c[k].is_boolean()) v.add(std::string("conditions.") + k, "must be true or false");
  if (c.contains("pattern")) {
    auto& p = c["pattern"];
    if (!p.is_string() || p.get_ref<const std::string&>().empty() || p.get_ref<const std::string&>().size() > 1000) {
      v.add("conditions.pattern", "must be a non-empty string of at most 1000 characters");
    } else {
      auto re = compile_rule_pattern(p.get<std::string>());
      if (!re->ok()) v.add("conditions.pattern", "is not a valid RE2 regular expression: " + re->error());
    }
  }
  if (c.contains("complexity")) {
    auto& x = c["complexity"];
    auto level = [](const json& j) { return j.is_number_integer() && j.get<long long>() >= 0 && j.get<long long>() <= 3; };
    bool ok = level(x) || (x.is_array() && !x.empty() && std::all_of(x.begin(), x.end(), level));
    if (!ok) v.add("conditions.complexity", "must be an integer 0–3 or a non-empty array of them");
  }
}
}  // namespace

RuleInput read_rule(const json& body, bool creating, Validation& v) {
  http::BodyReader f(body, v, creating);
  RuleInput in;
  f.only({"name", "description", "strategy", "modelSequence", "conditions", "enabled", "priority", "metadata"},
         {"id", "createdAt", "updatedAt"});
  read_text(f, "name", in.name, 255);
  read_opt_text(f, "description", in.description, 10000);
  read_one_of(f, "strategy", in.strategy, {"fallback", "load_balance", "cost_optimize", "quality_first", "escalation"},
              true);
  if (auto* j = f.get("modelSequence")) {
    std::set<std::string> seen;
    bool ok = j->is_array() && !j->empty() && j->size() <= 20;
    if (ok)
      for (auto& m : *j)
        ok = ok && m.is_string() && !m.get_ref<const std::string&>().empty() && seen.insert(m.get<std::string>()).second;
    if (ok) in.model_sequence = j->get<std::vector<std::string>>();
    else v.add("modelSequence", "must be a non-empty array of at most 20 distinct model ids");
  } else {
    f.missing("modelSequence");
  }
  read_object(f, "conditions", in.conditions);
  if (in.conditions) check_conditions(*in.conditions, v);
  read_boolean(f, "enabled", in.enabled);
  read_integer(f, "priority", in.priority, -1000000, 1000000, false);
  read_object(f, "metadata", in.metadata);
  return in;
}

void apply_rule(const RuleInput& in, Rule& r, Validation& v) {
  set_if(r.name, in.name);
  set_if(r.description, in.description);
  set_if(r.strategy, in.strategy);
  set_if(r.model_sequence, in.model_sequence);
  set_if(r.conditions, in.conditions);
  set_if(r.enabled, in.enabled);
  set_if(r.priority, in.priority);
  set_if(r.metadata, in.metadata);
  if (auto it = r.metadata.find("weights"); it != r.metadata.end()) {
    if (!it->is_object()) v.add("metadata.weights", "must be an object of model id → positive number");
    else
      for (auto& [model, w] : it->items()) {
        if (!w.is_number() || w.get<double>() <= 0) v.add("metadata.weights." + model, "must be a positive number");
        if (std::find(r.model_sequence.begin(), r.model_sequence.end(), model) == r.model_sequence.end())
          v.add("metadata.weights." + model, "names a model that is not in modelSequence");
      }
  }
}

void apply_rule(const json& body, Rule& r, bool creating, Validation& v) {
  auto in = read_rule(body, creating, v);
  apply_rule(in, r, v);
}

RuleInput parse_rule(const json& body, bool creating) {
  Validation v;
  auto in = read_rule(body, creating, v);
  if (creating) {
    Rule whole;
    apply_rule(in, whole, v);
  }
  v.throw_if_any();
  return in;
}

}  // namespace netops::ai_registry
