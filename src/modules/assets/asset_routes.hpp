#pragma once
// What the route files of the assets module share: the list filters and the asset's response.
#include <memory>

#include "kit/context.hpp"
#include "modules/assets/asset_service.hpp"

namespace netops::assets {

Filter filter_of(const http::Request& req);       // 400 naming the bad query parameter
http::Response asset_response(const Asset& a, int status = 200);  // the asset with its ETag
extern const nlohmann::json kAssetSchema;

void register_asset_routes(AppContext& ctx, std::shared_ptr<AssetService> svc);
void register_import_routes(AppContext& ctx, std::shared_ptr<AssetService> svc);      // import_routes.cpp
void register_attachment_routes(AppContext& ctx);                                      // attachment_routes.cpp
void register_asset_bulk_routes(AppContext& ctx, std::shared_ptr<AssetService> svc);  // asset_bulk_routes.cpp

}  // namespace netops::assets
