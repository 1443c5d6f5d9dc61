// HttpSdDiscoverer: one http_sd_configs entry, as Prometheus's discovery/http.
// Every refresh_interval it GETs the URL (User-Agent, Accept:
// application/json, X-Prometheus-Refresh-Interval-Seconds, as Prometheus
// sends them; the request times out after refresh_interval) and reads a JSON
// list of target groups (target_group_parser.hpp), with sources "<url>:<index>"
// and the group label __meta_url="<url>". Groups the answer no longer has are
// published empty, which removes them.
//
// A failure (no answer, a status other than 200, a content type other than
// application/json, a body that does not parse) is logged naming the URL,
// counts in metrics_collector_sd_http_failures_total and
// metrics_collector_sd_refresh_failures_total{mechanism="http"}, and publishes
// nothing: the last groups stay.
//
// The entry's HTTP client settings (tls_config, basic_auth, authorization,
// proxy_url, follow_redirects, enable_http2) apply as to a scrape
// (collector/http_client's HttpClientSetup: rotated files are re-read).
//
// Thread-safety: run() on one thread at a time.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "collector/discovery/discoverer.hpp"
#include "collector/discovery/discovery_metrics.hpp"
#include "collector/http_client/http_client_setup.hpp"
#include "common/config/service_discovery_config.hpp"

namespace mc {

class HttpSdDiscoverer : public Discoverer {
 public:
  // `metrics` may be null (tests).
  HttpSdDiscoverer(HttpSdConfig config, DiscoveryMetrics* metrics);

  void run(std::stop_token stop, const Publish& publish) override;

  // One GET and parse: the groups with sources and __meta_url set, or the
  // error naming the URL. Public for tests.
  Result<std::vector<TargetGroup>> fetch(std::stop_token stop);

 private:
  HttpSdConfig config_;
  HttpClientSetup client_;
  DiscoveryMetrics* metrics_;
};

}  // namespace mc
