#pragma once
// The catalog: /api/v1/vendors, /asset-categories (+ /categories, spec versions and definitions),
// /locations, /asset-models (SPEC §3 "Assets", §4.4); reads need Role::user, writes Role::admin.
#include <memory>

#include "kit/context.hpp"
#include "kit/module.hpp"
#include "modules/audit/audit_service.hpp"
#include "modules/catalog/asset_category_service.hpp"
#include "modules/catalog/asset_model_service.hpp"
#include "modules/catalog/location_service.hpp"
#include "modules/catalog/spec_version_service.hpp"
#include "modules/catalog/vendor_service.hpp"

namespace netops::catalog {

// The services of the catalog's resources, one per resource, for the modules that use the catalog.
struct CatalogServices {
  std::shared_ptr<VendorService> vendors;
  std::shared_ptr<AssetCategoryService> categories;
  std::shared_ptr<LocationService> locations;
  std::shared_ptr<AssetModelService> models;
  std::shared_ptr<SpecVersionService> spec_versions;
};

Module<CatalogServices> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit);

// One per <resource>_routes.cpp, called by register_module.
void register_vendor_routes(AppContext& ctx, std::shared_ptr<VendorService> svc);
void register_asset_category_routes(AppContext& ctx, std::shared_ptr<AssetCategoryService> svc);
void register_location_routes(AppContext& ctx, std::shared_ptr<LocationService> svc);
void register_asset_model_routes(AppContext& ctx, std::shared_ptr<AssetModelService> svc);
void register_spec_version_routes(AppContext& ctx, std::shared_ptr<SpecVersionService> svc);

}  // namespace netops::catalog
