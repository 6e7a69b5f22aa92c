// HTTP request path, raw bytes → a route: Beast's request parser under the server's limits, then what
// src/http/server.cpp does with the header before any handler (target split, percent-decoding of the path and
// the query, lower-cased header names, X-Request-Id, X-Forwarded-For through trusted proxies, the route
// match), then the Request helpers handlers call on that data. The conversion mirrors Server::Impl::session
// (keep the two in step); everything it calls is the gateway's own code.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/cidr.hpp"
#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/text.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "support.hpp"

namespace beast = boost::beast;
namespace bhttp = beast::http;
using namespace netops;

namespace {

// valid_request_id lives in pipeline.cpp (coroutines, spdlog); its rule is small enough to restate here.
bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 100) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':')) return false;
  return true;
}

template <class F>
void tolerate(F&& f) {  // 4xx errors are the expected outcome for bad input; anything else escapes
  try {
    f();
  } catch (const AppError&) {
  }
}

void exercise(http::Request& req) {
  const http::Match m = fuzz::router().match(req.method, req.path);
  if (m.route) req.path_params = m.params;
  for (const auto& param : req.path_params) {
    const std::string& name = param.first;  // not a structured binding: clang 14 cannot capture those
    tolerate([&] { (void)req.path_param(name); });
    tolerate([&] {
      auto id = req.path_uuid(name);
      fuzz::check(is_uuid(id), "path_uuid returned a non-UUID");
    });
  }
  for (const char* q : {"page", "pageSize", "limit", "dryRun", "mode", "status", "id", "search", "sort"}) {
    tolerate([&] {
      if (auto v = req.query(q)) fuzz::check(!invalid_text_at(*v), "query() returned text PostgreSQL refuses");
    });
    tolerate([&] { (void)req.query_int(q, 1, 1, 500); });
    tolerate([&] { (void)req.query_bool(q); });
    tolerate([&] { (void)req.query_uuid(q); });
  }
  (void)req.if_match();
  auto caller = req.caller();
  fuzz::check(!invalid_text_at(caller.user_agent), "caller().user_agent is not clean text");
  fuzz::check(caller.user_agent.size() <= 512, "caller().user_agent longer than 512 bytes");
  tolerate([&] {
    const auto& j = req.json();
    fuzz::check(j.is_object(), "Request::json() returned a non-object");
    fuzz::render_like_server(j);
  });
  // The access log line and an error envelope naming the path.
  fuzz::render_like_server({{"method", req.method}, {"path", req.path}, {"requestId", req.request_id}, {"ip", req.remote_ip}});
  fuzz::render_like_server(error_envelope(AppError(ErrorCode::not_found, "no route for " + req.method + " " + req.path),
                                          req.request_id));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const TrustedProxies proxies = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8, ::1");
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1 << 20);
  parser.eager(true);
  beast::error_code ec;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::size_t used = 0;
  while (used < in.size() && !parser.is_done()) {
    auto n = parser.put(boost::asio::buffer(in.data() + used, in.size() - used), ec);
    if (ec == bhttp::error::need_more) {
      ec = {};
      break;
    }
    if (ec) break;
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_header_done()) return 0;  // the server answers 400 and closes: nothing of ours ran

  auto& hdr = parser.get();
  http::Request req;
  req.remote_ip = "127.0.0.1";
  req.request_id = "00000000-0000-4000-8000-000000000000";
  req.method = std::string(hdr.method_string());
  req.target = std::string(hdr.target());
  auto q = req.target.find('?');
  req.path = http::url_decode(std::string_view(req.target).substr(0, q));
  if (q != std::string::npos) req.query_params = http::parse_query(std::string_view(req.target).substr(q + 1));
  for (auto& f : hdr) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  if (auto id = req.header("x-request-id"); id && valid_request_id(*id)) req.request_id = std::string(*id);
  std::optional<std::string> xff;
  for (auto& [k, v] : req.headers)
    if (k == "x-forwarded-for") xff = xff ? *xff + "," + v : v;
  req.remote_ip = proxies.client_ip("10.1.2.3", xff ? std::optional<std::string_view>(*xff) : std::nullopt);
  fuzz::check(parse_ip(req.remote_ip).has_value(), "client_ip is not an IP address");
  if (parser.is_done() && !ec) req.body = parser.get().body();
  exercise(req);
  return 0;
}
