#include "support/api.hpp"

#include <unistd.h>

#include <atomic>
#include <stdexcept>

namespace netops::test {

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

std::string unique(const std::string& prefix) {
  static std::atomic<int> n{0};
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n);
}

Session login(int port, const std::string& email, const std::string& password, const Headers& extra) {
  HttpClient c(port);
  auto r = c.post("/api/auth/login", {{"email", email}, {"password", password}}, extra);
  if (r.status != 200) throw std::runtime_error("login " + email + ": " + std::to_string(r.status) + " " + r.body);
  Session s;
  s.body = r.json();
  s.token = s.body["accessToken"].get<std::string>();
  s.id = s.body["user"]["id"].get<std::string>();
  s.email = s.body["user"]["email"].get<std::string>();
  return s;
}

Session login_admin(const ServerProcess& server, const Headers& extra) {
  return login(server.port(), kAdminEmail, server.admin_password(), extra);
}

json create_user(int port, const std::string& admin_token, const std::string& role, const std::string& tier,
                 const Headers& extra, const std::string& prefix) {
  HttpClient c(port);
  Headers h = bearer(admin_token);
  h.insert(h.end(), extra.begin(), extra.end());
  json body = {{"email", unique(prefix) + "@example.com"}, {"name", "Test User"},
               {"password", kUserPassword},                {"role", role},
               {"tier", tier}};
  auto r = c.post("/api/admin/users", body, h);
  if (r.status != 201) throw std::runtime_error("create user: " + std::to_string(r.status) + " " + r.body);
  return r.json();
}

Session new_user(int port, const std::string& admin_token, const std::string& role, const std::string& tier,
                 const Headers& extra) {
  auto u = create_user(port, admin_token, role, tier, extra);
  return login(port, u["email"].get<std::string>(), kUserPassword, extra);
}

json create_api_key(int port, const std::string& token, const json& body, const Headers& extra) {
  HttpClient c(port);
  Headers h = bearer(token);
  h.insert(h.end(), extra.begin(), extra.end());
  auto r = c.post("/api/keys", body, h);
  if (r.status != 201) throw std::runtime_error("create API key: " + std::to_string(r.status) + " " + r.body);
  return r.json();
}

void ApiTest::start_server(ServerOptions options, bool with_user) {
  server_ = new ServerProcess(std::move(options));
  server_->start();
  auto admin = login_admin(*server_);
  admin_ = admin.token;
  admin_id_ = admin.id;
  if (with_user) {
    auto user = new_user(server_->port(), admin_);
    user_ = user.token;
    user_id_ = user.id;
  }
}

void ApiTest::TearDownTestSuite() {
  delete server_;
  server_ = nullptr;
  admin_.clear();
  admin_id_.clear();
  user_.clear();
  user_id_.clear();
}

}  // namespace netops::test
