#include "collector/discovery/discovery_metrics.hpp"

namespace mc {

DiscoveryMetrics::DiscoveryMetrics(prometheus::Registry& registry)
    : discovered_targets_(prometheus::BuildGauge()
                              .Name("metrics_collector_sd_discovered_targets")
                              .Help("Current number of discovered targets.")
                              .Register(registry)),
      file_read_errors_(prometheus::BuildCounter()
                            .Name("metrics_collector_sd_file_read_errors_total")
                            .Help("The number of File-SD read errors.")
                            .Register(registry)
                            .Add({})),
      http_failures_(prometheus::BuildCounter()
                         .Name("metrics_collector_sd_http_failures_total")
                         .Help("Number of HTTP service discovery refresh failures.")
                         .Register(registry)
                         .Add({})),
      dns_lookups_(prometheus::BuildCounter()
                       .Name("metrics_collector_sd_dns_lookups_total")
                       .Help("The number of DNS-SD lookups.")
                       .Register(registry)
                       .Add({})),
      dns_lookup_failures_(prometheus::BuildCounter()
                               .Name("metrics_collector_sd_dns_lookup_failures_total")
                               .Help("The number of DNS-SD lookup failures.")
                               .Register(registry)
                               .Add({})),
      refresh_failures_(prometheus::BuildCounter()
                            .Name("metrics_collector_sd_refresh_failures_total")
                            .Help("Number of refresh failures for the given SD mechanism.")
                            .Register(registry)) {
  // Present from the start, as Prometheus registers them per mechanism.
  refresh_failures_.Add({{"mechanism", "http"}});
  refresh_failures_.Add({{"mechanism", "dns"}});
}

void DiscoveryMetrics::set_discovered_targets(const std::string& job, double count) {
  discovered_targets_.Add({{"config", job}}).Set(count);
}

void DiscoveryMetrics::remove_job(const std::string& job) {
  discovered_targets_.Remove(&discovered_targets_.Add({{"config", job}}));
}

void DiscoveryMetrics::refresh_failure(const std::string& mechanism) {
  refresh_failures_.Add({{"mechanism", mechanism}}).Increment();
}

}  // namespace mc
