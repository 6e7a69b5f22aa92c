#include "http/response.hpp"

namespace netops::http {

Response Response::json(const nlohmann::json& body, int status) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::text(std::string body, std::string content_type, int status) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Response::streamed(std::string content_type, std::function<Task<void>(StreamWriter&)> producer) {
  Response r;
  r.content_type = std::move(content_type);
  r.stream = std::move(producer);
  return r;
}

Response page(nlohmann::json data, long long page, long long page_size, long long total,
              std::optional<bool> total_exact) {
  nlohmann::json meta = {{"page", page}, {"pageSize", page_size}, {"total", total}};
  if (total_exact) meta["totalExact"] = *total_exact;
  return Response::json({{"data", std::move(data)}, {"meta", std::move(meta)}});
}

}  // namespace netops::http
