// How Kubernetes objects become target groups, as Prometheus 2.42's
// discovery/kubernetes builds them: one group per object (source
// "pod/<namespace>/<name>", "svc/...", "endpoints/...", "endpointslice/...",
// "node/<name>", "ingress/..."), the object's metadata as group labels and one target per
// container port, service port, endpoint address and port, node, or ingress rule and path, with the
// `__meta_kubernetes_*` names Prometheus gives them.
//
// Pure functions over the API's JSON: the discoverer keeps the objects it
// listed and watched in ObjectStores and calls these on every change.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "collector/discovery/kubernetes_json.hpp"
#include "common/config/target_group.hpp"

namespace mc::kubernetes {

// The objects of one resource as last seen, by "<namespace>/<name>" (nodes:
// "<name>").
using ObjectStore = std::map<std::string, JsonValue, std::less<>>;

// "<namespace>/<name>" of a namespaced object, "<name>" of a node.
std::string object_key(const JsonValue& object);

// What a role's builder may look up besides the object itself. `nodes` is set
// when attach_metadata.node is on.
struct RelatedObjects {
  const ObjectStore* pods = nullptr;
  const ObjectStore* services = nullptr;
  const ObjectStore* nodes = nullptr;
};

TargetGroup pod_target_group(const JsonValue& pod, const RelatedObjects& related);
TargetGroup service_target_group(const JsonValue& service);
TargetGroup endpoints_target_group(const JsonValue& endpoints, const RelatedObjects& related);
TargetGroup endpointslice_target_group(const JsonValue& slice, const RelatedObjects& related);
// networking.k8s.io/v1 Ingress: one target per rule host and path.
TargetGroup ingress_target_group(const JsonValue& ingress);
// Logs nothing: a node without an address gets a group with labels and no
// targets, and `missing_address` is set so the caller can warn.
TargetGroup node_target_group(const JsonValue& node, bool* missing_address = nullptr);

// The group source of an object of `role` ("pod", "service", ...) by its
// store key, for the empty group that removes a deleted object's targets.
std::string group_source(std::string_view role, std::string_view key);

// Prometheus's strutil.SanitizeLabelName: every byte outside [a-zA-Z0-9_]
// becomes '_'.
std::string sanitize_label_name(std::string_view name);

}  // namespace mc::kubernetes
