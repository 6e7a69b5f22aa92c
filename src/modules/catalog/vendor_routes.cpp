// HTTP shape of vendors.
#include "http/crud.hpp"
#include "modules/catalog/catalog_body.hpp"
#include "modules/catalog/module.hpp"

namespace netops::catalog {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
const json kVendor = {{"type", "object"},
                      {"properties",
                       {{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}}, {"taxCode", {{"type", "string"}}},
                        {"phone", {{"type", "string"}}}, {"email", {{"type", "string"}}},
                        {"address", {{"type", "string"}}}, {"createdAt", {{"type", "string"}}}}}};
const json kInput = {{"type", "object"},
                     {"properties",
                      {{"name", {{"type", "string"}}}, {"taxCode", {{"type", "string"}}}, {"phone", {{"type", "string"}}},
                       {"email", {{"type", "string"}}}, {"address", {{"type", "string"}}}}}};
const http::ListSpec kList{
    .filters = {{"search", "string", "in name, taxCode and email"}},
    .sorts = {{"name", "name"}, {"createdAt", "created_at"}},
    .default_sort = "name",
    .default_descending = false,
    .default_page_size = 50,
};

}  // namespace

void register_vendor_routes(AppContext& ctx, std::shared_ptr<VendorService> svc) {
  http::crud(ctx.router, svc,
             http::CrudSpec<VendorInput, ListFilter>{
                 .base = "/api/v1/vendors",
                 .noun = "vendor",
                 .tag = "assets",
                 .item_schema = kVendor,
                 .input_schema = kInput,
                 .list = kList,
                 .filter = [](const Request& req) {
                   ListFilter f;
                   f.search = req.query("search");
                   return f;
                 },
                 .parse = parse_vendor,
                 .delete_summary = "409 naming what still refers to it",
             });
}

}  // namespace netops::catalog
