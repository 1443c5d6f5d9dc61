// The `global:` section: scrape defaults every job inherits, limits and
// external labels. Read in two steps because `global:` may follow
// `scrape_configs:` in the file: read_global() takes the values, and
// finish_global() applies Prometheus's defaults once the document is read.
//
// Private to common/config. Stateless; callable from any thread.
#pragma once

#include <yaml-cpp/yaml.h>

#include "common/config/config.hpp"
#include "common/config/yaml_reader.hpp"
#include "common/util/status.hpp"

namespace mc {

// Where the global values came from, kept until the whole document is read.
struct GlobalNodes {
  YAML::Node scrape_timeout;  // null when absent
};

Status read_global(const YamlReader& reader, const YAML::Node& node, GlobalConfig& global,
                   GlobalNodes& nodes);

// Prometheus's GlobalConfig rules: zero means unset; an explicit timeout may
// not exceed the interval; an implicit one is min(10s, interval).
Status finish_global(const YamlReader& reader, GlobalConfig& global, const GlobalNodes& nodes);

}  // namespace mc
