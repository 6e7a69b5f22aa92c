#pragma once
// The OpenAPI 3 document, built from the route table at start-up (so it covers every route).
#include <nlohmann/json.hpp>
#include <string>

#include "http/router.hpp"

namespace netops::http {
nlohmann::json openapi_document(const Router& router, const std::string& version);
std::string docs_page_html();  // a small browsable page over /docs/json
}  // namespace netops::http
