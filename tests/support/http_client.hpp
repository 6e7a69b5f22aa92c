#pragma once
// A small synchronous HTTP/1.1 client for API tests (one keep-alive connection).
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace netops::test {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
  std::string header(const std::string& lower) const {
    auto it = headers.find(lower);
    return it == headers.end() ? "" : it->second;
  }
};

class HttpClient {
 public:
  explicit HttpClient(int port, std::string host = "127.0.0.1");
  ~HttpClient();
  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = "",
                       const std::vector<std::pair<std::string, std::string>>& headers = {});
  HttpResponse get(const std::string& target, const std::vector<std::pair<std::string, std::string>>& h = {}) {
    return request("GET", target, "", h);
  }
  HttpResponse post(const std::string& target, const nlohmann::json& body,
                    const std::vector<std::pair<std::string, std::string>>& h = {}) {
    return request("POST", target, body.dump(), h);
  }
  // Sends raw bytes on a fresh connection and returns whatever comes back until close or timeout.
  std::string raw(const std::string& bytes, int timeout_ms = 3000);
  void set_bearer(std::string token) { bearer_ = std::move(token); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_;
  std::string host_;
  std::string bearer_;
};

}  // namespace netops::test
