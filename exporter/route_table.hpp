// RouteTable: which handler answers a path and method, for the exporter's
// HTTP server. The built-in pages register here, and so does whatever the
// daemon adds from outside (the Prometheus HTTP API of issue 12, built on
// mc_query and the store the daemon owns), so the server knows no handler.
//
// A pattern is an exact path ("/metrics") or a prefix ending in "/*"
// ("/api/v1/label/*" answers "/api/v1/label/job/values", with "job/values"
// as HttpRequest::path_suffix). An exact pattern wins over a prefix, a longer
// prefix over a shorter one. The pattern is also the route's `handler` label
// on metrics_collector_http_*, so the label set stays bounded whatever paths
// clients send.
//
// Per method: GET (which also answers HEAD, the body dropped, as Go's
// net/http does) and POST. Any other method, or one the route lacks, is a 405
// with allowed_methods() as the Allow header; an unknown path is a 404.
//
// Thread-safety: built before the server starts, read-only while it serves.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/status.hpp"
#include "exporter/http_request.hpp"
#include "exporter/http_response.hpp"

namespace mc {

using RouteHandler = std::function<HttpResponse(const HttpRequest&)>;

struct Route {
  std::string pattern;
  RouteHandler get;   // GET and HEAD; unset: 405
  RouteHandler post;  // unset: 405
};

class RouteTable {
 public:
  // Fails, naming the pattern, when it does not start with '/', has a '*'
  // other than a final "/*", has no handler, or is registered already.
  Status add(Route route);

  struct Match {
    const Route* route = nullptr;  // valid until the next add()
    std::string_view path_suffix;  // a view into the path given to find()
  };
  std::optional<Match> find(std::string_view path) const;

  // Every pattern, for the metrics' handler label.
  std::vector<std::string> patterns() const;

  // The handler of `method` ("GET", "HEAD", "POST"), nullptr when the route
  // has none.
  static const RouteHandler* handler_for(const Route& route, std::string_view method);
  // The Allow header of a 405 on this route: "GET, HEAD", "POST" or both.
  static std::string allowed_methods(const Route& route);

 private:
  std::map<std::string, Route, std::less<>> exact_;
  std::vector<Route> prefixes_;  // longest prefix first
};

}  // namespace mc
