#include "exporter/http_metrics.hpp"

#include "exporter/basic_auth.hpp"

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
  auto& auth_failures = prometheus::BuildCounter()
                            .Name("metrics_collector_http_auth_failures_total")
                            .Help(
                                "HTTP requests refused for missing or wrong basic auth "
                                "credentials, by reason.")
                            .Register(registry);
  for (AuthOutcome outcome : {AuthOutcome::missing_credentials, AuthOutcome::malformed,
                              AuthOutcome::unknown_user, AuthOutcome::wrong_password}) {
    const std::string reason(auth_failure_reason(outcome));
    auth_failures_by_reason_.emplace(reason, &auth_failures.Add({{"reason", reason}}));
  }
}

void HttpMetrics::count_auth_failure(std::string_view reason) {
  if (auto it = auth_failures_by_reason_.find(reason); it != auth_failures_by_reason_.end()) {
    it->second->Increment();
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
