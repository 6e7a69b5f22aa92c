#pragma once
// Shared pieces of the fuzz targets (tests/fuzz/README.md): fixtures built once per process and the checks
// every target applies to what the gateway would send back.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/router.hpp"
#include "modules/assets/csv_names.hpp"
#include "specs/engine.hpp"

namespace netops::fuzz {

// A crash with a message (libFuzzer saves the input): for properties the code promises, not just "no UB".
[[noreturn]] void fail(std::string_view what);
inline void check(bool ok, std::string_view what) {
  if (!ok) fail(what);
}

// A route table with the real shapes (literal segments beside {id}, nested parameters, several methods on
// one path); handlers are never called.
const http::Router& router();

// One definition of every field type, with the constraints each type takes (patterns, bounds, steps,
// precision, enum values, defaults), as a category's spec version would hold them.
const std::vector<specs::FieldDef>& spec_defs();

// A names snapshot for the CSV import: models (with specs), vendors and a location tree.
const assets::CsvNames& csv_names();

// What error envelopes and access-log lines do with text taken from a request: must never throw.
void render_like_server(const nlohmann::json& j);

}  // namespace netops::fuzz
