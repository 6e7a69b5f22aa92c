// HTTP shape of asset models.
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "http/crud.hpp"
#include "modules/catalog/catalog_body.hpp"
#include "modules/catalog/module.hpp"

namespace netops::catalog {

using http::Request;
using http::Response;
using nlohmann::json;

namespace {
json strings(std::initializer_list<const char*> names) {
  json props = json::object();
  for (auto n : names) props[n] = {{"type", "string"}};
  return props;
}

const http::ListSpec kList{
    .filters = {{"categoryId", "string", ""},
                {"vendorId", "string", ""},
                {"brand", "string", "exact brand"},
                {"search", "string", "in model and brand"},
                {"spec.<key>", "string", "value of a filterable spec field (multi_enum: contains the value)"}},
    .sorts = {{"model", "m.model"}, {"brand", "m.brand"}, {"createdAt", "m.created_at"}},
    .default_sort = "model",
    .default_descending = false,
    .default_page_size = 50,
};

// categoryId, vendorId, brand, search and every spec.<key>=value, in query order.
AssetModelFilter read_filter(const Request& req) {
  AssetModelFilter f;
  Validation v;
  f.category_id = req.query("categoryId");
  f.vendor_id = req.query("vendorId");
  f.brand = req.query("brand");
  f.search = req.query("search");
  if (f.category_id && !is_uuid(*f.category_id)) v.add("categoryId", "must be a UUID");
  if (f.vendor_id && !is_uuid(*f.vendor_id)) v.add("vendorId", "must be a UUID");
  v.throw_if_any();
  for (const auto& qp : req.query_params) {
    const auto& name = qp.first;
    if (name.rfind("spec.", 0) != 0) continue;
    if (invalid_text_at(name)) {
      f.spec_values.push_back({"", std::nullopt});  // reported by the service with the other spec problems
      continue;
    }
    f.spec_values.push_back({name.substr(5), *req.query(name)});  // 400 unless UTF-8 text
  }
  return f;
}

}  // namespace

void register_asset_model_routes(AppContext& ctx, std::shared_ptr<AssetModelService> svc) {
  json model = {{"type", "object"},
                {"properties", strings({"id", "categoryId", "categoryName", "specVersionId", "vendorId", "vendorName",
                                        "brand", "model", "createdAt"})}};
  model["properties"]["specVersion"] = {{"type", "integer"}};
  model["properties"]["spec"] = {{"type", "object"}};
  json input = {{"type", "object"},
                {"required", {"model"}},
                {"properties", strings({"categoryId", "vendorId", "specVersionId", "brand", "model"})}};
  input["properties"]["spec"] = {{"type", "object"}};
  http::crud(ctx.router, svc,
             http::CrudSpec<AssetModelInput, AssetModelFilter>{
                 .base = "/api/v1/asset-models",
                 .noun = "asset model",
                 .tag = "assets",
                 .item_schema = model,
                 .input_schema = input,
                 .list = kList,
                 .filter = read_filter,
                 .parse = parse_asset_model,
                 .delete_summary = "409 while assets use it",
                 .summaries = {.list = "List asset models (categoryId, vendorId, brand, search, spec.<key>=value "
                                       "on filterable fields)",
                               .get = "",
                               .create = "Create an asset model; spec validated against the category's active "
                                         "version (or specVersionId)",
                               .update = "Update an asset model (partial; spec replaced and re-validated when "
                                         "given; If-Match honoured)"},
             });
}

}  // namespace netops::catalog
