#include "modules/catalog/module.hpp"

namespace netops::catalog {

Module<CatalogServices> register_module(AppContext& ctx, std::shared_ptr<audit::AuditService> audit) {
  CatalogServices s{std::make_shared<VendorService>(ctx, audit), std::make_shared<AssetCategoryService>(ctx, audit),
                    std::make_shared<LocationService>(ctx, audit), std::make_shared<AssetModelService>(ctx, audit),
                    std::make_shared<SpecVersionService>(ctx, audit)};
  register_vendor_routes(ctx, s.vendors);
  register_asset_category_routes(ctx, s.categories);
  register_location_routes(ctx, s.locations);
  register_spec_version_routes(ctx, s.spec_versions);
  register_asset_model_routes(ctx, s.models);
  return {std::make_shared<CatalogServices>(std::move(s)), {}};
}

}  // namespace netops::catalog
