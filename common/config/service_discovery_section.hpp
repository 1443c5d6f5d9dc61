// The file_sd_configs, http_sd_configs and dns_sd_configs of a scrape job,
// read with Prometheus 2.42's defaults and checks (discovery/file, /http,
// /dns SDConfig.UnmarshalYAML) and its error words, at file:line:col.
// kubernetes_sd_configs has its own section.
//
// Private to common/config. Stateless; callable from any thread.
#pragma once

#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/config/service_discovery_config.hpp"
#include "common/config/yaml_reader.hpp"
#include "common/util/status.hpp"

namespace mc {

// `where` names the list ("scrape_configs[0].file_sd_configs").
Status read_file_sd_configs(const YamlReader& reader, const YAML::Node& node,
                            std::string_view where, std::vector<FileSdConfig>& out);
Status read_http_sd_configs(const YamlReader& reader, const YAML::Node& node,
                            std::string_view where, std::vector<HttpSdConfig>& out);
Status read_dns_sd_configs(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                           std::vector<DnsSdConfig>& out);

}  // namespace mc
