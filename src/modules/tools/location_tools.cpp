// Locations: find_location — by id (the location and its subtree) or by name (matches with their paths,
// and the subtree of the only match). LocationService, exactly as GET /api/v1/locations[/{id}/tree].
#include "core/error.hpp"
#include "modules/tools/builtin.hpp"

namespace netops::tools {

using nlohmann::json;

void add_location_tools(Registry& r, const ToolDeps& d) {
  auto locations = d.locations;
  r.add(Tool{
      .name = "find_location",
      .title = "Location tree lookup",
      .description =
          "Look up sites, buildings, floors, rooms and racks. With `name`: the locations whose name contains it "
          "(with their materialised path of ancestor ids) and, when exactly one matches, its whole subtree. With "
          "`id`: that location and its subtree. Use the returned ids as locationId in find_assets.",
      .input_schema = {{"type", "object"},
                       {"properties",
                        {{"id", uuid_schema("a location id")},
                         {"name", {{"type", "string"}, {"minLength", 1}, {"maxLength", 100},
                                   {"description", "part of a location's name"}}}}},
                       {"additionalProperties", false}},
      .output_schema = {{"type", "object"},
                        {"properties", {{"matches", {{"type", "array"}}}, {"tree", {{"type", "object"}}}}},
                        {"required", {"matches"}}},
      .min_role = Role::user,
      .read_only = true,
      .run = [locations](const json& a, const Caller&) -> Task<json> {
        json out = {{"matches", json::array()}};
        std::string id;
        if (a.contains("id")) {
          id = id_arg(a, "id");
          auto one = co_await locations->get(id);
          out["matches"].push_back(to_json(one));
        } else if (a.contains("name")) {
          catalog::ListFilter f;
          f.search = a["name"].get<std::string>();
          db::PageRequest p{.page = 1, .page_size = 25};
          db::Sort s{"name", false};
          auto page = co_await locations->list(f, p, s);
          for (const auto& l : page.items) out["matches"].push_back(to_json(l));
          out["total"] = page.total;
          if (page.items.size() == 1) id = page.items.front().id;
        } else {
          throw ValidationError("arguments", "give id or name");
        }
        if (!id.empty()) {
          auto tree = co_await locations->tree(id);
          out["tree"] = to_json(tree);
        }
        co_return out;
      },
  });
}

}  // namespace netops::tools
