#pragma once
// Shared by the catalog API suites, on the kit (support/api.hpp): one server per suite, an admin and a
// plain user token, helpers. Each suite defines kCatalogSuite (its database's name part).
#include <gtest/gtest.h>

#include <string>

#include "support/api.hpp"

extern const char* const kCatalogSuite;

namespace catalog_test {

using namespace netops::test;
// The issue text of a field in a VALIDATION_ERROR envelope; "" when the field is not named.
inline std::string issue_of(const json& body, const std::string& field) {
  json errors = body["error"]["details"]["errors"];
  for (auto& e : errors)
    if (e["field"] == field) return e["issue"].get<std::string>();
  return "";
}
inline bool has_field(const json& body, const std::string& field) { return !issue_of(body, field).empty(); }

class CatalogApi : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = kCatalogSuite;
    o.env["NETOPS_RATE_LIMIT_FREE"] = "0";
    start_server(o, /*with_user=*/true);
  }
  HttpResponse send(const std::string& method, const std::string& path, const json& body, const std::string& token,
                    Headers extra = {}) {
    Headers h = bearer(token);
    h.push_back({"Content-Type", "application/json"});
    for (auto& e : extra) h.push_back(e);
    return client.request(method, path, body.is_null() ? "" : body.dump(), h);
  }
  // POST as admin, expecting 201; returns the body.
  json created(const std::string& path, const json& body) {
    auto r = send("POST", path, body, admin_);
    EXPECT_EQ(r.status, 201) << path << " " << r.body;
    return r.status == 201 ? r.json() : json::object();
  }
  static std::string id(const json& j) { return j["id"].get<std::string>(); }
};

}  // namespace catalog_test
