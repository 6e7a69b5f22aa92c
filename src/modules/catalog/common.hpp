#pragma once
// Small pieces every catalog service shares: reading text fields of a body, the audit entry, and the
// "still referenced" refusal of deletes.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cache/redis.hpp"
#include "core/error.hpp"
#include "core/task.hpp"
#include "http/request.hpp"
#include "modules/audit/types.hpp"

namespace netops::catalog {

using IfMatch = std::function<void(const nlohmann::json&)>;

// A text attribute of a catalog object: API name, SQL column, limit, whether creating needs it.
struct TextField {
  const char* api;
  const char* column;
  std::size_t max_len;
  bool required;
};

// The columns a body sets: SQL column → value (nullopt clears the column). Only keys present in the
// body appear, so the same parse serves create and partial update.
using ColumnValues = std::vector<std::pair<std::string, std::optional<std::string>>>;

// Reads `fields` from body into ColumnValues; unknown keys other than `also_known` are errors.
ColumnValues read_text_fields(const nlohmann::json& body, const std::vector<TextField>& fields, bool creating,
                              Validation& v, const std::vector<std::string>& also_known = {});

// An optional UUID attribute ("parentId"): absent → nullopt; null → optional holding nullopt.
std::optional<std::optional<std::string>> read_uuid(const nlohmann::json& body, const char* field, Validation& v);

// The assets module keys its cached list totals by the generation in `assets:gen`: a catalog change that
// moves assets between filters (a location moved, a model given another category) starts a new one.
// Tolerates Redis being down (the totals' 60 s lifetime then bounds the staleness).
Task<void> asset_totals_changed(cache::Redis& redis);

audit::Entry audit_entry(const http::Actor& by, std::string action, std::string resource, nlohmann::json details,
                         const std::string& request_id);

// One kind of row that refers to the object being deleted.
struct Reference {
  std::string key;       // details key, e.g. "assetModels"
  std::string singular;  // "asset model"
  std::string plural;    // "asset models"
  long long count = 0;
};
// 409 CONFLICT "vendor is used by 3 asset models and 1 asset" with details {"assetModels":3,"assets":1}
// when any count is non-zero.
void refuse_if_referenced(const std::string& what, const std::vector<Reference>& refs);

}  // namespace netops::catalog
