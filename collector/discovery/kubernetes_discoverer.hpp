// The Kubernetes discoverer of one kubernetes_sd_configs entry of a job, as
// Prometheus 2.42's discovery/kubernetes: it lists and watches the objects
// its role needs (pods; services; endpoints with their services and pods;
// endpointslices with their services and pods; nodes; ingresses; and nodes when
// attach_metadata.node is on), in each namespace asked for or cluster-wide,
// and publishes one target group per object (kubernetes_targets.hpp).
//
// Nothing is published until every list has answered once (Prometheus waits
// for its informers' caches to sync); then the first publish carries every
// group, and later ones only the groups that changed (an object deleted
// publishes its source with no targets).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "collector/discovery/discoverer.hpp"
#include "collector/discovery/kubernetes_connection.hpp"
#include "common/config/service_discovery_config.hpp"

namespace mc {

struct KubernetesDiscoveryOptions {
  // Where in-cluster credentials are looked for, and the environment read.
  kubernetes::InClusterEnvironment in_cluster;
  // Failed lists and watches are retried after min_backoff, doubling up to
  // max_backoff.
  std::chrono::milliseconds min_backoff{1000};
  std::chrono::milliseconds max_backoff{30000};
  // timeoutSeconds of each watch; client-go picks 5 to 10 minutes.
  std::chrono::seconds watch_timeout{300};
};

std::unique_ptr<Discoverer> make_kubernetes_discoverer(const KubernetesSdConfig& config,
                                                       std::string job_name,
                                                       KubernetesDiscoveryOptions options = {});

}  // namespace mc
