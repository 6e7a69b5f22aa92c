// HTTP shape of asset categories, at /api/v1/asset-categories and (SPEC §3) /api/v1/categories.
#include "http/crud.hpp"
#include "modules/catalog/catalog_body.hpp"
#include "modules/catalog/module.hpp"

namespace netops::catalog {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const json kCategory = {{"type", "object"},
                        {"properties",
                         {{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}},
                          {"activeSpecVersionId", {{"type", "string"}}}, {"createdAt", {{"type", "string"}}},
                          {"activeSpecVersion", {{"type", "integer"}}}}}};
const json kInput = {{"type", "object"}, {"properties", {{"name", {{"type", "string"}}}}}};
const http::ListSpec kList{
    .filters = {{"search", "string", "in name"}},
    .sorts = {{"name", "c.name"}, {"createdAt", "c.created_at"}},
    .default_sort = "name",
    .default_descending = false,
    .default_page_size = 50,
};

}  // namespace

void register_asset_category_routes(AppContext& ctx, std::shared_ptr<AssetCategoryService> svc) {
  for (std::string base : {"/api/v1/asset-categories", "/api/v1/categories"})
    http::crud(ctx.router, svc,
               http::CrudSpec<AssetCategoryInput, ListFilter>{
                   .base = base,
                   .noun = "asset category",
                   .tag = "assets",
                   .item_schema = kCategory,
                   .input_schema = kInput,
                   .list = kList,
                   .filter = [](const Request& req) {
                     ListFilter f;
                     f.search = req.query("search");
                     return f;
                   },
                   .parse = parse_category,
                   .delete_summary = "409 naming what still refers to it",
               });
}

}  // namespace netops::catalog
