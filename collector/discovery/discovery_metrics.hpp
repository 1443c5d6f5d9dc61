// DiscoveryMetrics: the meta-metrics of service discovery, named after
// Prometheus's prometheus_sd_* so that dashboards translate one to one:
//   metrics_collector_sd_discovered_targets{config="<job>"}     gauge
//   metrics_collector_sd_file_read_errors_total                 counter
//   metrics_collector_sd_http_failures_total                    counter
//   metrics_collector_sd_dns_lookups_total                      counter
//   metrics_collector_sd_dns_lookup_failures_total              counter
//   metrics_collector_sd_refresh_failures_total{mechanism}      counter (http, dns)
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace mc {

class DiscoveryMetrics {
 public:
  // Throws (prometheus-cpp) when the registry holds one of the names with another type.
  explicit DiscoveryMetrics(prometheus::Registry& registry);

  void set_discovered_targets(const std::string& job, double count);
  void remove_job(const std::string& job);
  void file_read_error() { file_read_errors_.Increment(); }
  void http_failure() { http_failures_.Increment(); }
  void dns_lookup() { dns_lookups_.Increment(); }
  void dns_lookup_failure() { dns_lookup_failures_.Increment(); }
  // A refresh of a polling mechanism ("http", "dns") that failed as a whole.
  void refresh_failure(const std::string& mechanism);

 private:
  prometheus::Family<prometheus::Gauge>& discovered_targets_;
  prometheus::Counter& file_read_errors_;
  prometheus::Counter& http_failures_;
  prometheus::Counter& dns_lookups_;
  prometheus::Counter& dns_lookup_failures_;
  prometheus::Family<prometheus::Counter>& refresh_failures_;
};

}  // namespace mc
