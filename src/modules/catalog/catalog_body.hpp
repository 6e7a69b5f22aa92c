#pragma once
// Request bodies of the catalog → typed inputs (types.hpp), pure and unit-testable. Every problem of a body
// in one 400 VALIDATION_ERROR. The catalog's text attributes have their own rule on top of
// http::BodyReader: a required one must not be null or blank; an optional one is cleared by null or a
// blank string; both are limited in length ("at most N characters").
#include <nlohmann/json.hpp>

#include "modules/catalog/types.hpp"
#include "specs/engine.hpp"

namespace netops::catalog {

VendorInput parse_vendor(const nlohmann::json& body, bool creating);
AssetCategoryInput parse_category(const nlohmann::json& body, bool creating);
LocationInput parse_location(const nlohmann::json& body, bool creating);
AssetModelInput parse_asset_model(const nlohmann::json& body, bool creating);

// One field definition (specs::def_from_json), checked by the engine's rules: every problem at once,
// keyed by the camelCase attribute ("the field definition is invalid").
specs::FieldDef parse_spec_def(const nlohmann::json& body);

}  // namespace netops::catalog
