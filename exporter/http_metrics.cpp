#include "exporter/http_metrics.hpp"

namespace mc {

HttpMetrics::HttpMetrics(prometheus::Registry& registry, const std::vector<std::string>& handlers)
    : requests_(prometheus::BuildCounter()
                    .Name("metrics_collector_http_requests_total")
                    .Help("HTTP requests served by the exporter, by handler and status code.")
                    .Register(registry)),
      durations_(prometheus::BuildHistogram()
                     .Name("metrics_collector_http_request_duration_seconds")
                     .Help("Time to serve HTTP requests of the exporter, by handler.")
                     .Register(registry)) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.1, 0.2, 0.4, 1,  3,
                                                                   8,   20,  60,  120};
  for (const auto& handler : handlers) {
    duration_by_handler_.emplace(handler, &durations_.Add({{"handler", handler}}, kBuckets));
  }
}

void HttpMetrics::observe(std::string_view handler, int status_code, double seconds) {
  requests_.Add({{"handler", std::string(handler)}, {"code", std::to_string(status_code)}})
      .Increment();
  if (auto it = duration_by_handler_.find(handler); it != duration_by_handler_.end()) {
    it->second->Observe(seconds);
  }
}

}  // namespace mc
