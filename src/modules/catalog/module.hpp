#pragma once
#include <memory>

#include "kit/context.hpp"

namespace netops::catalog {
// /api/v1/vendors, /asset-categories (+ spec versions and definitions), /locations, /asset-models
// (SPEC §3 "Assets", §4.4); reads need Role::user, writes Role::admin.
void register_routes(AppContext& ctx);

class CatalogService;
class SpecService;
class ModelService;
void register_catalog_routes(AppContext& ctx, std::shared_ptr<CatalogService> svc);
void register_spec_routes(AppContext& ctx, std::shared_ptr<SpecService> svc);
void register_model_routes(AppContext& ctx, std::shared_ptr<ModelService> svc);
}  // namespace netops::catalog
