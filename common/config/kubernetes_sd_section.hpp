// kubernetes_sd_configs of a scrape job, read as Prometheus 2.42 reads them:
// role (pod, service, endpoints, endpointslice, node, ingress), api_server,
// kubeconfig_file, namespaces {own_namespace, names}, selectors [{role,
// label, field}], attach_metadata {node}, and the HTTP client keys
// (http_client_section.hpp) for talking to api_server. The rules across keys
// are Prometheus's, in its words: a role is required and must be known;
// api_server and kubeconfig_file exclude each other; HTTP client settings
// need api_server and cannot go with kubeconfig_file; own_namespace needs the
// in-cluster connection; each selector's role must be one the config's role
// lists objects of, and appear once. kubeconfig_file is taken relative to the
// config file's directory, as Prometheus's SetDirectory does.
//
// Private to common/config.
#pragma once

#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/config/service_discovery_config.hpp"
#include "common/config/yaml_reader.hpp"
#include "common/util/status.hpp"

namespace mc {

// The list under a job's kubernetes_sd_configs; `where` names it
// ("scrape_configs[0].kubernetes_sd_configs").
Status read_kubernetes_sd_configs(const YamlReader& reader, const YAML::Node& list,
                                  std::string_view where, std::vector<KubernetesSdConfig>& out);

}  // namespace mc
