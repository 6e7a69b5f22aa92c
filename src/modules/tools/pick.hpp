#pragma once
// The one object a model named by text (a code, a name, a hostname — what it knows from the user's
// question) among what a search found. Keys are tried in order of preference: the first key on which exactly
// one object matches the text exactly (case-insensitively) wins; else the only object found. Nothing found:
// 404; several candidates: 422 listing them, so the model can call again with the id.
#include <nlohmann/json.hpp>

#include <iterator>
#include <string>
#include <type_traits>
#include <vector>

#include "core/error.hpp"
#include "modules/tools/builtin.hpp"

namespace netops::tools {

// found: a std::vector of objects or a JSON array of rows; keys(item) → std::vector<std::string> (in order
// of preference); describe(item) → json for the candidates.
template <class Range, class Keys, class Describe>
const auto& pick_one(const Range& found, const std::string& text, const std::string& noun,
                  const std::string& id_arg_name, Keys keys, Describe describe) {
  const std::string want = lower(text);
  for (std::size_t k = 0;; ++k) {
    const std::remove_cvref_t<decltype(*std::begin(found))>* hit = nullptr;
    std::size_t hits = 0;
    bool key_exists = false;
    for (const auto& item : found) {
      auto ks = keys(item);
      if (k >= ks.size()) continue;
      key_exists = true;
      if (!ks[k].empty() && lower(ks[k]) == want) hit = &item, ++hits;
    }
    if (hits == 1) return *hit;
    if (hits > 1 || !key_exists) break;
  }
  if (found.size() == 1) return *std::begin(found);
  if (found.empty()) throw NotFound(noun + " \"" + text.substr(0, 100) + "\"");
  nlohmann::json candidates = nlohmann::json::array();
  for (const auto& item : found) candidates.push_back(describe(item));
  throw Unprocessable("several " + noun + "s match \"" + text.substr(0, 100) + "\": call again with " + id_arg_name,
                      {{"candidates", std::move(candidates)}});
}

}  // namespace netops::tools
