// The service discovery sections of a scrape job, as Prometheus 2.42 reads
// them: file_sd_configs, http_sd_configs, kubernetes_sd_configs and
// dns_sd_configs, with Prometheus's defaults. collector/discovery turns each
// into a discoverer that feeds the job's scrape pool with target groups.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/config/http_client_config.hpp"

namespace mc {

// Files of target groups (JSON or YAML, by extension), globs allowed in the
// last path element; re-read on change (inotify) and every refresh_interval.
struct FileSdConfig {
  std::vector<std::string> files;
  std::chrono::milliseconds refresh_interval = std::chrono::minutes(5);
  friend bool operator==(const FileSdConfig&, const FileSdConfig&) = default;
};

// A URL answering a JSON list of target groups, polled every refresh_interval.
struct HttpSdConfig {
  std::string url;
  std::chrono::milliseconds refresh_interval = std::chrono::minutes(1);
  HttpClientConfig http_client;
  friend bool operator==(const HttpSdConfig&, const HttpSdConfig&) = default;
};

// DNS names resolved every refresh_interval: SRV records (the default) give
// host and port; A and AAAA need `port`.
struct DnsSdConfig {
  std::vector<std::string> names;
  std::string type = "SRV";  // "SRV", "A", "AAAA" or "MX"
  int port = 0;
  std::chrono::milliseconds refresh_interval = std::chrono::seconds(30);
  friend bool operator==(const DnsSdConfig&, const DnsSdConfig&) = default;
};

struct KubernetesSelector {
  std::string role;   // which role the selector applies to
  std::string label;  // a label selector, as the API's labelSelector
  std::string field;  // a field selector, as the API's fieldSelector
  friend bool operator==(const KubernetesSelector&, const KubernetesSelector&) = default;
};

// Targets from a Kubernetes API server, listed then watched. With neither
// api_server nor kubeconfig_file the daemon runs in-cluster: the service
// account's token and CA under /var/run/secrets/kubernetes.io/serviceaccount/
// and the KUBERNETES_SERVICE_HOST/PORT environment variables.
struct KubernetesSdConfig {
  std::string role;  // "pod", "service", "endpoints", "endpointslice" or "node"
  std::string api_server;
  std::string kubeconfig_file;
  // namespaces: the names, or the daemon's own (own_namespace); none = all.
  bool own_namespace = false;
  std::vector<std::string> namespaces;
  std::vector<KubernetesSelector> selectors;
  bool attach_metadata_node = false;  // attach_metadata: {node: true}
  HttpClientConfig http_client;
  friend bool operator==(const KubernetesSdConfig&, const KubernetesSdConfig&) = default;
};

}  // namespace mc
