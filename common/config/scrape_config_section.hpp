// One entry of `scrape_configs:` (a job): how it is scraped, its limits and
// its static targets. read_scrape_config() takes the values;
// finish_scrape_configs() checks the jobs together (names required and
// unique) and fills what they inherit from `global:`, once it is read.
//
// Private to common/config. Stateless; callable from any thread.
#pragma once

#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/config/config.hpp"
#include "common/config/yaml_reader.hpp"
#include "common/util/status.hpp"

namespace mc {

// Where a job's values came from, kept until the whole document is read:
// inheritance needs `global:`, which may come after `scrape_configs:` in the file.
struct ScrapeConfigNodes {
  YAML::Node mapping;
  YAML::Node job_name;                  // null when absent
  YAML::Node scrape_timeout;            // null when absent
  YAML::Node body_size_limit;           // null when absent
  YAML::Node sample_limit;              // null when absent
  YAML::Node label_limit;               // null when absent
  YAML::Node label_name_length_limit;   // null when absent
  YAML::Node label_value_length_limit;  // null when absent
  bool read_ok = false;                 // finished only when it read without errors
};

Status read_scrape_config(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                          ScrapeConfig& job, ScrapeConfigNodes& nodes);

// Prometheus's ScrapeConfig rules: a job inherits the global interval; an
// explicit timeout may not exceed the job's interval; an inherited timeout is
// cut down to the interval. Each job's errors are reported to the reader's
// diagnostics; the first is returned.
Status finish_scrape_configs(const YamlReader& reader, Config& config,
                             const std::vector<ScrapeConfigNodes>& nodes);

}  // namespace mc
