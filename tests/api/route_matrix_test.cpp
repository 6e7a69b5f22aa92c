// The role × error-code matrix: every case in tests/api/matrix/*.json (a request, who sends it, the
// expected status and error.code) against one real server, and every route of /docs/json covered by at
// least one case. How to add cases: tests/README.md.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "support/api.hpp"

using namespace netops::test;

namespace {

// Every case of every file, each with the file it came from as "file".
json load_cases() {
  std::vector<std::filesystem::path> files;
  for (auto& f : std::filesystem::directory_iterator(NETOPS_ROUTE_MATRIX_DIR))
    if (f.path().extension() == ".json") files.push_back(f.path());
  std::sort(files.begin(), files.end());
  json out = json::array();
  for (auto& f : files) {
    std::ifstream in(f);
    json doc = json::parse(in);  // named: iterating into a temporary's member would dangle
    for (auto c : doc.at("cases")) {
      c["file"] = f.filename().string();
      out.push_back(c);
    }
  }
  return out;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

class RouteMatrix : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    ServerOptions o;
    o.suite = "route_matrix";
    o.env["NETOPS_RATE_LIMIT_FREE"] = "0";
    start_server(o, /*with_user=*/true);
    int port = server_->port();
    callers_ = {{"anonymous", ""},
                {"user", user_},
                {"admin", new_user(port, admin_, "admin").token},
                {"super_admin", admin_},
                {"key:read", create_api_key(port, user_, {{"name", "matrix"}, {"scopes", {"read"}}})["key"].get<std::string>()}};
  }
  static inline std::map<std::string, std::string> callers_;
};

TEST_F(RouteMatrix, EveryCaseAnswersItsStatusAndErrorCode) {
  auto cases = load_cases();
  ASSERT_FALSE(cases.empty()) << "no cases in " << NETOPS_ROUTE_MATRIX_DIR;
  for (auto& c : cases) {
    std::string as = c.at("as");
    ASSERT_TRUE(callers_.count(as)) << c.dump() << ": unknown caller";
    Headers h;
    if (!callers_[as].empty()) h = bearer(callers_[as]);
    std::string body = c.contains("body") ? c["body"].dump() : "";
    std::string route = c.at("route");
    auto r = client.request(route.substr(0, route.find(' ')), c.at("path"), body, h);
    std::string where = c["file"].get<std::string>() + ": " + route + " as " + as + " (" + c["path"].get<std::string>() + ")";
    EXPECT_EQ(r.status, c.at("status").get<int>()) << where << " → " << r.body.substr(0, 300);
    json code = nullptr;
    if (r.header("content-type").rfind("application/json", 0) == 0 && !r.body.empty()) {
      auto j = json::parse(r.body, nullptr, false);
      // The SPEC envelope's error.code; routes in Anthropic's wire format (/v1/messages) answer
      // {"type": "error", "error": {"type": …}}: their error.type stands for the code.
      if (j.is_object() && j.contains("error") && j["error"].is_object())
        code = j.value("type", "") == "error" ? j["error"].value("type", json()) : j["error"].value("code", json());
    }
    EXPECT_EQ(code, c.value("code", json())) << where << " → " << r.body.substr(0, 300);
  }
}

TEST_F(RouteMatrix, EveryDocumentedRouteHasACaseAndEveryCaseARoute) {
  std::set<std::string> documented, covered;
  auto doc = client.get("/docs/json").json();
  for (auto& [path, ops] : doc.at("paths").items())
    for (auto& [method, op] : ops.items()) documented.insert(upper(method) + " " + path);
  ASSERT_FALSE(documented.empty());
  for (auto& c : load_cases()) covered.insert(c.at("route").get<std::string>());
  for (auto& r : documented) EXPECT_TRUE(covered.count(r)) << r << " has no case in tests/api/matrix/";
  for (auto& r : covered) EXPECT_TRUE(documented.count(r)) << r << " (tests/api/matrix/) is not in /docs/json";
}
