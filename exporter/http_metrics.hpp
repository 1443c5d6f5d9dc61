// HttpMetrics: the exporter's own request metrics, in the meta-metrics registry.
//
//   metrics_collector_http_requests_total{handler,code}          counter
//   metrics_collector_http_request_duration_seconds{handler}     histogram
//   metrics_collector_http_auth_failures_total{reason}           counter
//
// `reason` of an auth failure is missing_credentials, malformed, unknown_user
// or wrong_password (basic_auth.hpp); all four exist from the start at 0.
//
// `handler` is the route's pattern ("/metrics", "/-/ready", "/api/v1/label/*"
// for every path under that prefix; route_table.hpp), "other" for unknown
// paths, so a scanner cannot grow the label set. Buckets follow Prometheus's
// own prometheus_http_request_duration_seconds.
//
// Thread-safety: observe() may be called from any thread (prometheus-cpp
// metrics are thread-safe; the per-handler histogram map is read-only after
// construction). Registration may throw, as prometheus-cpp does, when the
// registry already holds these names with another type.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace mc {

class HttpMetrics {
 public:
  // Creates the duration histogram of every handler in `handlers` up front.
  HttpMetrics(prometheus::Registry& registry, const std::vector<std::string>& handlers);

  // REQUIRES: `handler` is one of the handlers given to the constructor.
  void observe(std::string_view handler, int status_code, double seconds);
  // REQUIRES: `reason` is one of auth_failure_reason()'s non-empty values.
  void count_auth_failure(std::string_view reason);

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
  std::map<std::string, prometheus::Histogram*, std::less<>> duration_by_handler_;
  std::map<std::string, prometheus::Counter*, std::less<>> auth_failures_by_reason_;
};

}  // namespace mc
