#pragma once
// Shared set-up of the assets API suites: one real server per suite, an admin and a plain user, and a
// small catalog (vendors, categories, models, a location tree) written straight into the database
// (the catalog module has its own tests). Built on the kit (support/api.hpp).
#include <gtest/gtest.h>

#include <string>

#include "core/ids.hpp"
#include "support/api.hpp"

namespace assets_test {

using namespace netops::test;

struct Catalog {
  std::string vendor, vendor2, category, category2, model, model2;
  std::string hq, floor, room, branch;  // hq ⊃ floor ⊃ room; branch is another root
};

class AssetsApi : public ApiTest {
 protected:
  static void start(const std::string& suite, std::map<std::string, std::string> env = {}) {
    ServerOptions o;
    o.suite = suite;
    o.env = std::move(env);
    o.env["NETOPS_RATE_LIMIT_FREE"] = "0";  // the plain user makes many calls
    start_server(o, /*with_user=*/true);
    cat_ = seed_catalog("");
  }
  static std::string location(const std::string& name, const std::string& parent = "") {
    auto id = netops::new_uuid();
    std::string path = parent.empty() ? "/" + id + "/" : sql("SELECT path FROM locations WHERE id = '" + parent + "'") + id + "/";
    sql("INSERT INTO locations (id, name, parent_id, path) VALUES ('" + id + "', '" + name + "', " +
        (parent.empty() ? std::string("NULL") : "'" + parent + "'") + ", '" + path + "')");
    return id;
  }
  // A fresh catalog; suffix keeps names unique when a test needs its own.
  static Catalog seed_catalog(const std::string& suffix) {
    Catalog c;
    c.vendor = sql("INSERT INTO vendors (name) VALUES ('Cisco" + suffix + "') RETURNING id");
    c.vendor2 = sql("INSERT INTO vendors (name) VALUES ('Juniper" + suffix + "') RETURNING id");
    c.category = sql("INSERT INTO asset_categories (name) VALUES ('Switch" + suffix + "') RETURNING id");
    c.category2 = sql("INSERT INTO asset_categories (name) VALUES ('Router" + suffix + "') RETURNING id");
    c.model = sql("INSERT INTO asset_models (category_id, vendor_id, brand, model, spec) VALUES ('" + c.category +
                  "', '" + c.vendor + "', 'Cisco', 'C9300-48P" + suffix + "', '{\"ports\": 48, \"poe\": true}') RETURNING id");
    c.model2 = sql("INSERT INTO asset_models (category_id, vendor_id, brand, model) VALUES ('" + c.category2 + "', '" +
                   c.vendor2 + "', 'Juniper', 'MX204" + suffix + "') RETURNING id");
    c.hq = location("HQ" + suffix);
    c.floor = location("Floor 1", c.hq);
    c.room = location("Room 101", c.floor);
    c.branch = location("Branch" + suffix);
    return c;
  }

  HttpResponse as_admin(const std::string& method, const std::string& path, const json& body = nullptr,
                        Headers extra = {}) {
    auto h = bearer(admin_);
    h.insert(h.end(), extra.begin(), extra.end());
    return client.request(method, path, body.is_null() ? "" : body.dump(), h);
  }
  HttpResponse as_user(const std::string& method, const std::string& path, const json& body = nullptr) {
    return client.request(method, path, body.is_null() ? "" : body.dump(), bearer(user_));
  }
  json create(json body) {
    if (!body.contains("assetCode")) body["assetCode"] = unique("A");
    auto r = as_admin("POST", "/api/v1/assets", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  std::string path_of(const json& asset) { return "/api/v1/assets/" + asset["id"].get<std::string>(); }
  json events(const json& asset) {
    auto r = as_admin("GET", path_of(asset) + "/events?pageSize=100");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["data"];
  }
  static std::vector<std::string> event_types(const json& evs) {
    std::vector<std::string> out;
    for (auto& e : evs) out.push_back(e["eventType"]);
    return out;
  }

  static inline Catalog cat_;
};

}  // namespace assets_test
