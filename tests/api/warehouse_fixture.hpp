#pragma once
// Shared set-up of the warehouse and repair API suites: one real server per suite, an admin and a plain
// user, and helpers that speak HTTP to the warehouse routes (SQL only to check what HTTP cannot show).
#include <gtest/gtest.h>

#include <string>

#include "support/api.hpp"

namespace warehouse_test {

using namespace netops::test;

class WarehouseApi : public ApiTest {
 protected:
  static void start(const std::string& suite) {
    ServerOptions o;
    o.suite = suite;
    o.env["NETOPS_RATE_LIMIT_FREE"] = "0";
    start_server(o, /*with_user=*/true);
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
  std::string warehouse(const std::string& prefix = "WH") {
    auto r = as_admin("POST", "/api/v1/warehouse/warehouses", {{"code", unique(prefix)}, {"name", "Store " + prefix}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"];
  }
  std::string part(const std::string& prefix = "P", int min_level = 0) {
    auto r = as_admin("POST", "/api/v1/warehouse/parts",
                      {{"partCode", unique(prefix)}, {"name", "Part " + prefix}, {"minLevel", min_level}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"];
  }
  static json line(const std::string& part_id, int qty, const json& extra = json::object()) {
    json l = {{"partId", part_id}, {"qty", qty}};
    l.update(extra);
    return l;
  }
  // POST /documents (?post=true when post); the whole response.
  HttpResponse document(const std::string& type, const std::string& wh, const json& lines, bool post,
                        const json& extra = json::object()) {
    json body = {{"docType", type}, {"warehouseId", wh}, {"lines", lines}};
    body.update(extra);
    return as_admin("POST", std::string("/api/v1/warehouse/documents") + (post ? "?post=true" : ""), body);
  }
  json posted(const std::string& type, const std::string& wh, const json& lines, const json& extra = json::object()) {
    auto r = document(type, wh, lines, true, extra);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json();
  }
  json receive(const std::string& wh, const std::string& p, int qty, const std::string& cost) {
    return posted("receipt", wh, json::array({line(p, qty, {{"unitCost", cost}})}));
  }
  json stock(const std::string& wh, const std::string& p) {
    auto r = as_user("GET", "/api/v1/warehouse/stock?warehouseId=" + wh + "&partId=" + p);
    EXPECT_EQ(r.status, 200) << r.body;
    auto data = r.json()["data"];
    if (data.empty()) return json{{"onHand", 0}, {"reserved", 0}, {"available", 0}};
    return data[0];
  }
  void expect_ledger_balanced() {
    auto r = as_user("GET", "/api/v1/warehouse/stock/verify");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["differences"], json::array()) << r.body;
    EXPECT_TRUE(r.json()["healthy"].get<bool>());
  }
};

}  // namespace warehouse_test
