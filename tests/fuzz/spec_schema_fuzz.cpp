// The spec-schema engine (src/specs) as the catalog and CMDB routes drive it: a definition body (camelCase)
// → def_from_json → validate_definition(s) → def_to_json and back; a values document validated against a
// fixed version holding every field type (and against the fuzzed definitions when they are valid). The
// input is one JSON document: {"defs": [ …definition bodies… ], "values": { … }} or any JSON, used as both.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "core/json.hpp"
#include "specs/engine.hpp"
#include "support.hpp"

using namespace netops;
using nlohmann::json;

namespace {

void values_against(const std::vector<specs::FieldDef>& defs, const json& values) {
  for (bool readonly : {true, false}) {
    auto r = specs::validate_values(defs, values, specs::ValidateOptions{.allow_readonly = readonly, .version = 3});
    Validation v;
    specs::report(r.issues, v, "spec.");
    if (!r.ok()) continue;
    fuzz::check(r.normalized.is_object(), "normalized values are not an object");
    fuzz::render_like_server(r.normalized);
    // Stored values are canonical: validating them again changes nothing.
    auto again = specs::validate_values(defs, r.normalized, specs::ValidateOptions{.allow_readonly = true});
    fuzz::check(again.ok(), "normalized values are refused on a second validation");
    fuzz::check(again.normalized == r.normalized, "normalizing is not idempotent");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  json doc = parse_json(text);
  if (doc.is_discarded()) return 0;
  const json& values = doc.is_object() && doc.contains("values") ? doc["values"] : doc;
  values_against(fuzz::spec_defs(), values);

  const json& bodies = doc.is_object() && doc.contains("defs") ? doc["defs"] : json::array({doc});
  if (!bodies.is_array() || bodies.size() > 64) return 0;
  std::vector<specs::FieldDef> defs;
  bool all_valid = true;
  for (const auto& body : bodies) {
    auto parsed = specs::def_from_json(body);
    auto issues = specs::validate_definition(parsed.def);
    if (!parsed.issues.empty() || !issues.empty()) {
      all_valid = false;
      continue;
    }
    // A valid definition survives its API shape: to JSON and back gives the same definition, still valid.
    auto shown = specs::def_to_json(parsed.def);
    fuzz::render_like_server(shown);
    auto back = specs::def_from_json(shown);
    fuzz::check(back.issues.empty(), "def_to_json output is refused by def_from_json");
    fuzz::check(specs::validate_definition(back.def).empty(), "a valid definition is invalid after a round trip");
    fuzz::check(specs::def_to_json(back.def) == shown, "def_to_json is not stable across a round trip");
    defs.push_back(parsed.def);
  }
  auto list_issues = specs::validate_definitions(defs);
  if (all_valid && list_issues.empty() && !defs.empty()) values_against(defs, values);
  return 0;
}
