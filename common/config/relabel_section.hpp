// `relabel_configs:` and `metric_relabel_configs:` of a job: a list of rules,
// each read strictly (unknown keys, wrong kinds) and checked as Prometheus
// 2.42 checks it (common/relabel/relabel_config.hpp), every error at the
// rule's file:line:col with its path ("scrape_configs[0].relabel_configs[2]").
//
// Private to common/config. Stateless; callable from any thread.
#pragma once

#include <string_view>
#include <vector>

#include "common/config/yaml_reader.hpp"
#include "common/relabel/relabel_config.hpp"

namespace mc {

// `null_rule_error` is what Prometheus says of a null entry ("empty or null
// target relabeling rule in scrape config").
Result<std::vector<RelabelConfig>> read_relabel_configs(const YamlReader& reader,
                                                        const YAML::Node& node,
                                                        std::string_view where,
                                                        std::string_view null_rule_error);

}  // namespace mc
