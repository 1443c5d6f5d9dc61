// HttpRequest: what a route handler sees of a request, free of civetweb, so
// handlers (and their tests) need no server.
//
// `params` holds the form body's parameters (a POST with Content-Type
// application/x-www-form-urlencoded) followed by the query string's, the
// order of Go's Request.Form, so value() prefers the body as FormValue does.
// The server has decoded both before the handler runs. When one is malformed,
// `params_status` says which and why, and `params` keeps what came before the
// bad piece: a handler that reads parameters answers 400 with it (the HTTP
// API in its JSON envelope, as Prometheus does for ParseForm errors); one that
// does not, such as /metrics, serves as before.
//
// The views point into the server's request buffers: valid for the handler
// call only.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "common/util/status.hpp"
#include "exporter/form_params.hpp"

namespace mc {

struct HttpRequest {
  std::string_view method;  // "GET", "HEAD" or "POST"
  // Percent-decoded, without the query string: "/api/v1/label/job/values".
  std::string_view path;
  // For a prefix route ("/api/v1/label/*"), what follows the prefix
  // ("job/values"); empty for an exact route.
  std::string_view path_suffix;
  std::string_view query_string;  // raw, without '?'
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  FormParams params;
  Status params_status;

  // The value of a header, names compared case-insensitively; "" when absent.
  std::string_view header(std::string_view name) const;
};

// HTTP header names are case-insensitive.
bool header_names_equal(std::string_view a, std::string_view b);

}  // namespace mc
