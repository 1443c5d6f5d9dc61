// api_route: a Prometheus HTTP API route: GET (and HEAD), plus form POST with
// the same handler where Prometheus 2.42 registers POST too (query,
// query_range, series, labels, query_exemplars; not status/*, metadata or
// label values, which answer POST with 405). A request
// whose query string or form body does not decode is answered for the
// handler: 400 bad_data "error parsing form values: ...", as Prometheus's
// r.ParseForm() failure reads.
#pragma once

#include <string>

#include "exporter/route_table.hpp"

namespace mc::api {

enum class PostToo { no, yes };

Route api_route(std::string pattern, RouteHandler handler, PostToo post = PostToo::yes);

}  // namespace mc::api
