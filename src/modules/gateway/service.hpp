#pragma once
// Transitional: chat includes this name. The service is gateway_service.hpp; the HTTP shape of what it
// returns (x-netops-* headers) is served_headers.hpp.
#include "modules/gateway/gateway_service.hpp"
#include "modules/gateway/served_headers.hpp"
