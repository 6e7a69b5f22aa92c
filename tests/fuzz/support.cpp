#include "support.hpp"

#include <cstdio>
#include <cstdlib>

namespace netops::fuzz {

void fail(std::string_view what) {
  std::fprintf(stderr, "fuzz property violated: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

const http::Router& router() {
  static const http::Router* r = [] {
    auto* r = new http::Router();
    http::Handler none;
    for (const char* p : {"/health", "/health/live", "/health/ready", "/v1/models", "/api/auth/me", "/api/keys",
                          "/api/v1/assets", "/api/v1/assets/export", "/api/v1/assets/status-counts",
                          "/api/v1/assets/{id}", "/api/v1/assets/{id}/events", "/api/v1/assets/{id}/assignments",
                          "/api/v1/assets/{id}/attachments",
                          "/api/v1/assets/{id}/attachments/{attachmentId}/download",
                          "/api/conversations/{id}/messages", "/api/v1/cmdb/cis/{id}/graph",
                          "/api/v1/cmdb/services/{id}/members", "/api/usage/logs", "/api/v1/ops-events"})
      r->get(p, http::Role::user, none);
    for (const char* p : {"/v1/chat/completions", "/api/completions", "/api/auth/login", "/api/v1/assets",
                          "/api/v1/assets/import", "/api/v1/assets/{id}/assign", "/api/v1/assets/{id}/move",
                          "/api/v1/assets/{id}/status", "/api/v1/assets/{id}/attachments",
                          "/api/tools/{name}/invoke", "/api/conversations/{id}/messages", "/mcp"})
      r->post(p, http::Role::user, none);
    for (const char* p : {"/api/v1/assets/{id}", "/api/admin/users/{id}", "/api/keys/{id}"}) {
      r->patch(p, http::Role::admin, none);
      r->put(p, http::Role::admin, none);
      r->del(p, http::Role::admin, none);
    }
    r->del("/api/v1/cmdb/services/{id}/members/{memberId}", http::Role::admin, none);
    return r;
  }();
  return *r;
}

namespace {
specs::FieldDef def(std::string key, std::string type) {
  specs::FieldDef d;
  d.id = "00000000-0000-4000-8000-0000000000" + std::to_string(10 + key.size());
  d.key = std::move(key);
  d.label = d.key;
  d.field_type = std::move(type);
  return d;
}
}  // namespace

const std::vector<specs::FieldDef>& spec_defs() {
  static const std::vector<specs::FieldDef> defs = [] {
    std::vector<specs::FieldDef> v;
    auto s = def("name", "string");
    s.min_len = 1;
    s.max_len = 40;
    s.pattern = "^[A-Za-z][A-Za-z0-9 ._-]*$";
    s.required = true;
    v.push_back(s);
    auto n = def("weightKg", "number");
    n.min_value = "0.01";
    n.max_value = "1000000";
    n.step_value = "0.05";
    n.precision = 12;
    n.scale = 2;
    v.push_back(n);
    auto i = def("cpuCores", "integer");
    i.min_value = "1";
    i.max_value = "4096";
    i.default_value = 2;
    v.push_back(i);
    auto b = def("poe", "boolean");
    v.push_back(b);
    auto e = def("formFactor", "enum");
    e.enum_values = {"rack", "tower", "blade"};
    v.push_back(e);
    auto me = def("features", "multi_enum");
    me.enum_values = {"wifi6", "poe", "sfp", "stack"};
    me.max_len = 3;
    v.push_back(me);
    v.push_back(def("releasedOn", "date"));
    v.push_back(def("seenAt", "datetime"));
    v.push_back(def("mgmtIp", "ip"));
    v.push_back(def("subnet", "cidr"));
    v.push_back(def("mac", "mac"));
    auto h = def("host", "hostname");
    h.pattern = "^[a-z]";
    v.push_back(h);
    auto p = def("port", "port");
    p.min_value = "1";
    p.max_value = "65535";
    v.push_back(p);
    v.push_back(def("homepage", "url"));
    auto em = def("contact", "email");
    em.max_len = 254;
    v.push_back(em);
    auto j = def("extra", "json");
    j.max_len = 4096;
    v.push_back(j);
    auto ro = def("serialRo", "string");
    ro.is_readonly = true;
    v.push_back(ro);
    auto old = def("legacy", "string");
    old.is_active = false;
    v.push_back(old);
    auto big = def("ratio", "number");
    big.min_value = "-" + std::string(1, '1') + std::string(300, '0');
    big.step_value = "0.000001";
    v.push_back(big);
    return v;
  }();
  return defs;
}

const assets::CsvNames& csv_names() {
  static const assets::CsvNames* names = [] {
    auto* n = new assets::CsvNames();
    n->add_model("11111111-1111-4111-8111-111111111111", "Catalyst 9300",
                 {{"ports", 48}, {"poe", true}, {"formFactor", "rack"}, {"weightKg", 7.5}});
    n->add_model("22222222-2222-4222-8222-222222222222", "ThinkPad T14", nlohmann::json::object());
    n->add_model("33333333-3333-4333-8333-333333333333", "thinkpad t14", nullptr);  // same name, other case
    n->add_vendor("44444444-4444-4444-8444-444444444444", "Cisco");
    n->add_vendor("55555555-5555-4555-8555-555555555555", "Lenovo");
    n->add_location("66666666-6666-4666-8666-666666666666", "HQ", "/66666666-6666-4666-8666-666666666666/");
    n->add_location("77777777-7777-4777-8777-777777777777", "Floor 1",
                    "/66666666-6666-4666-8666-666666666666/77777777-7777-4777-8777-777777777777/");
    n->add_location("88888888-8888-4888-8888-888888888888", "Floor 1", "/88888888-8888-4888-8888-888888888888/");
    n->finish();
    return n;
  }();
  return *names;
}

void render_like_server(const nlohmann::json& j) {
  // Access-log lines and error envelopes are dumped with invalid UTF-8 replaced (server.cpp).
  auto s = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  check(!s.empty(), "dump produced nothing");
}

}  // namespace netops::fuzz
