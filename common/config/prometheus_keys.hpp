// The keys of a Prometheus 2.42 config (config/config.go: Config,
// GlobalConfig, ScrapeConfig with its HTTPClientConfig and service discovery
// configs; and scrape_config_files, runtime and otlp of later versions) that
// metrics-collector does not act on, so that a stock
// prometheus.yml loads: where leaving a key out changes nothing that is
// scraped or stored (evaluation_interval, alerting with no rules to alert on,
// an empty rule_files) it is a warning; where it would (service
// discovery, remote_write) it is an error naming the key. (The HTTP client
// keys are read by http_client_section.hpp.)
//
// Private to common/config. Constant tables.
#pragma once

#include <span>

#include "common/config/yaml_reader.hpp"

namespace mc {

std::span<const ForeignKey> prometheus_top_level_keys();
std::span<const ForeignKey> prometheus_global_keys();
std::span<const ForeignKey> prometheus_scrape_config_keys();
// Prometheus's `storage:` (tsdb, exemplars) shares its name with ours.
std::span<const ForeignKey> prometheus_storage_keys();

}  // namespace mc
