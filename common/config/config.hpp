// The daemon's configuration, read from YAML that a Prometheus user recognises
// (a subset of prometheus.yml plus our own sections as later issues add them).
//
// Loading is strict: an unknown key, a value of the wrong kind or a bad
// duration fails with "file:line:col: message". Defaults follow Prometheus:
// scrape_interval 1m, scrape_timeout 10s (never longer than the interval),
// metrics_path /metrics, scheme http, honor_labels false, honor_timestamps true.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/labels.hpp"
#include "common/util/status.hpp"

namespace mc {

using Duration = std::chrono::milliseconds;

struct StaticConfig {
  std::vector<std::string> targets;  // host:port
  std::vector<Label> labels;         // extra target labels, sorted by name
};

struct ScrapeConfig {
  std::string job_name;
  Duration scrape_interval{0};  // filled from global when not given
  Duration scrape_timeout{0};   // filled from global when not given
  std::string metrics_path = "/metrics";
  std::string scheme = "http";
  std::map<std::string, std::vector<std::string>> params;  // URL query parameters
  bool honor_labels = false;
  bool honor_timestamps = true;
  std::vector<StaticConfig> static_configs;
};

struct GlobalConfig {
  Duration scrape_interval = std::chrono::minutes(1);
  Duration scrape_timeout = std::chrono::seconds(10);
  std::vector<Label> external_labels;  // sorted by name
};

struct Config {
  GlobalConfig global;
  std::vector<ScrapeConfig> scrape_configs;
};

// Parses YAML text; `source_name` prefixes every error ("config.yml:3:5: ...").
Result<Config> parse_config(std::string_view yaml, std::string_view source_name);
// Reads and parses a file; a file that cannot be read is an error naming it.
Result<Config> load_config_file(const std::string& path);

}  // namespace mc
