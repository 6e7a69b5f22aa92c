#include "support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <thread>

namespace netops::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

struct HttpClient::Impl {
  net::io_context ioc;
  std::unique_ptr<beast::tcp_stream> stream;
  beast::flat_buffer buf;
};

HttpClient::HttpClient(int port, std::string host) : impl_(std::make_unique<Impl>()), port_(port), host_(std::move(host)) {}
HttpClient::~HttpClient() = default;

HttpResponse HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                                 const std::vector<std::pair<std::string, std::string>>& headers) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!impl_->stream) {
      impl_->stream = std::make_unique<beast::tcp_stream>(impl_->ioc);
      impl_->stream->connect(tcp::endpoint(net::ip::make_address(host_), static_cast<unsigned short>(port_)));
      impl_->buf.clear();
    }
    bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(method), target, 11);
    if (req.method() == bhttp::verb::unknown) req.method_string(method);
    req.set(bhttp::field::host, host_);
    bool has_ct = false;
    for (auto& [k, v] : headers) {
      req.set(k, v);
      if (beast::iequals(k, "content-type")) has_ct = true;
    }
    if (!bearer_.empty() && req.find(bhttp::field::authorization) == req.end())
      req.set(bhttp::field::authorization, "Bearer " + bearer_);
    if (!body.empty() && !has_ct) req.set(bhttp::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    beast::error_code ec;
    impl_->stream->expires_after(std::chrono::seconds(60));
    bhttp::write(*impl_->stream, req, ec);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    if (!ec) bhttp::read(*impl_->stream, impl_->buf, parser, ec);
    if (ec) {
      impl_->stream.reset();  // stale keep-alive connection: reconnect once
      if (attempt == 0) continue;
      throw std::runtime_error("HTTP " + method + " " + target + " failed: " + ec.message());
    }
    auto res = parser.release();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (auto& f : res) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(f.value());
    }
    out.body = std::move(res.body());
    if (!res.keep_alive()) impl_->stream.reset();
    return out;
  }
  throw std::runtime_error("unreachable");
}

std::string HttpClient::raw(const std::string& bytes, int timeout_ms) {
  net::io_context ioc;
  beast::tcp_stream s(ioc);
  s.connect(tcp::endpoint(net::ip::make_address(host_), static_cast<unsigned short>(port_)));
  s.expires_after(std::chrono::milliseconds(timeout_ms));
  beast::error_code ec;
  net::write(s, net::buffer(bytes), ec);
  std::string out;
  char chunk[4096];
  for (;;) {
    s.expires_after(std::chrono::milliseconds(timeout_ms));
    auto n = s.read_some(net::buffer(chunk), ec);
    out.append(chunk, n);
    if (ec) break;
  }
  return out;
}

}  // namespace netops::test
