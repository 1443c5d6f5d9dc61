// api_route: a Prometheus HTTP API route, answering GET and form POST with
// one handler, as Prometheus registers each API path for both. A request
// whose query string or form body does not decode is answered for the
// handler: 400 bad_data "error parsing form values: ...", as Prometheus's
// r.ParseForm() failure reads.
#pragma once

#include <string>

#include "exporter/route_table.hpp"

namespace mc::api {

Route api_route(std::string pattern, RouteHandler handler);

}  // namespace mc::api
