#pragma once
// What the route files of the assets module share: reading the request into the service's terms.
#include <memory>

#include "kit/context.hpp"
#include "modules/assets/service.hpp"

namespace netops::assets {

Who who_of(const http::Request& req);             // 401 when unauthenticated
Filter filter_of(const http::Request& req);       // 400 naming the bad query parameter
Check if_match_of(const http::Request& req);      // 412 when If-Match names another version
http::Response asset_response(const Asset& a, int status = 200);  // the asset with its ETag
extern const nlohmann::json kAssetSchema;

// routes_files.cpp: attachments, import, export.
void register_file_routes(AppContext& ctx, std::shared_ptr<AssetsService> svc);

}  // namespace netops::assets
