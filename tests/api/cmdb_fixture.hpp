#pragma once
// Shared by the CMDB API suites (support/api.hpp): one server per suite, super_admin / admin / user
// tokens, helpers to create types, CIs, relationship types and relationships. Each suite defines
// kCmdbSuite (its database's name part).
#include <gtest/gtest.h>

#include <string>

#include "support/api.hpp"

extern const char* const kCmdbSuite;

namespace cmdb_test {

using namespace netops::test;

inline std::string issue_of(const json& body, const std::string& field) {
  for (auto& e : body["error"]["details"]["errors"])
    if (e["field"] == field) return e["issue"].get<std::string>();
  return "";
}

class CmdbApi : public ApiTest {
 protected:
  static inline std::string operator_;  // role admin

  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = kCmdbSuite;
    o.env["NETOPS_RATE_LIMIT_FREE"] = "0";
    start_server(o, /*with_user=*/true);
    if (server_) operator_ = new_user(server_->port(), admin_, "admin").token;
  }
  HttpResponse send(const std::string& method, const std::string& path, const json& body, const std::string& token,
                    Headers extra = {}) {
    Headers h = bearer(token);
    h.push_back({"Content-Type", "application/json"});
    for (auto& e : extra) h.push_back(e);
    return client.request(method, path, body.is_null() ? "" : body.dump(), h);
  }
  json created(const std::string& path, const json& body) {
    auto r = send("POST", path, body, operator_);
    EXPECT_EQ(r.status, 201) << path << " " << r.body;
    return r.status == 201 ? r.json() : json::object();
  }
  static std::string id(const json& j) { return j.value("id", std::string()); }

  json type(const std::string& prefix, const json& attributes = json::array()) {
    json body = {{"code", unique(prefix)}, {"name", prefix}};
    if (!attributes.empty()) body["attributes"] = attributes;
    return created("/api/v1/cmdb/types", body);
  }
  json ci(const json& type, const std::string& prefix, const json& extra = json::object()) {
    json body = {{"typeId", id(type)}, {"name", prefix}, {"ciCode", unique(prefix)}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    return created("/api/v1/cmdb/cis", body);
  }
  json rel_type(const std::string& prefix, const json& extra = json::object()) {
    json body = {{"code", unique(prefix)}, {"name", prefix}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    return created("/api/v1/cmdb/relationship-types", body);
  }
  json link(const json& rt, const json& from, const json& to) {
    return created("/api/v1/cmdb/relationships", {{"relTypeId", id(rt)}, {"fromCiId", id(from)}, {"toCiId", id(to)}});
  }
};

}  // namespace cmdb_test
