// The target groups of each Kubernetes role for realistic objects (shapes
// from the Kubernetes API reference), against the labels Prometheus 2.42
// gives the same objects.
#include "collector/discovery/kubernetes_targets.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>

namespace mc::kubernetes {
namespace {

using LabelMap = std::map<std::string, std::string>;

LabelMap as_map(const std::vector<Label>& labels) {
  LabelMap map;
  for (const Label& label : labels) map[label.name] = label.value;
  return map;
}

JsonValue parse(const std::string& text) {
  auto value = JsonValue::parse(text);
  REQUIRE(value);
  return *value;
}

constexpr const char* kPod = R"({
  "kind": "Pod", "apiVersion": "v1",
  "metadata": {
    "name": "web-7d4b9c-x2x9z", "namespace": "shop", "uid": "5f1c3b7e-0f4d-4c39-9d3e-2b1f0c8a9e11",
    "resourceVersion": "40512",
    "labels": {"app.kubernetes.io/name": "web", "pod-template-hash": "7d4b9c"},
    "annotations": {"prometheus.io/scrape": "true"},
    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d4b9c",
                         "uid": "a1b2", "controller": true, "blockOwnerDeletion": true}]
  },
  "spec": {
    "nodeName": "node-a",
    "initContainers": [{"name": "init-schema", "image": "busybox:1.36"}],
    "containers": [
      {"name": "web", "image": "nginx:1.25",
       "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"},
                 {"name": "metrics", "containerPort": 9113, "protocol": "TCP"}]},
      {"name": "log-shipper", "image": "fluent-bit:2.1"}
    ]
  },
  "status": {
    "phase": "Running", "hostIP": "10.0.0.5", "podIP": "10.244.1.7",
    "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}],
    "initContainerStatuses": [{"name": "init-schema", "containerID": "containerd://0a1"}],
    "containerStatuses": [{"name": "web", "containerID": "containerd://b2c"},
                          {"name": "log-shipper", "containerID": "containerd://d3e"}]
  }
})";

constexpr const char* kNode = R"({
  "kind": "Node", "apiVersion": "v1",
  "metadata": {"name": "node-a", "resourceVersion": "7",
               "labels": {"kubernetes.io/hostname": "node-a", "topology.kubernetes.io/zone": "z1"},
               "annotations": {"node.alpha.kubernetes.io/ttl": "0"}},
  "spec": {"providerID": "aws:///eu-west-1a/i-0abc"},
  "status": {
    "addresses": [{"type": "Hostname", "address": "node-a"},
                  {"type": "ExternalIP", "address": "203.0.113.9"},
                  {"type": "InternalIP", "address": "10.0.0.5"},
                  {"type": "InternalIP", "address": "10.0.0.6"}],
    "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}}
  }
})";

constexpr const char* kService = R"({
  "kind": "Service", "apiVersion": "v1",
  "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"},
               "annotations": {"prometheus.io/port": "9113"}},
  "spec": {"type": "ClusterIP", "clusterIP": "10.96.12.34",
           "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"},
                     {"name": "metrics", "port": 9113, "targetPort": 9113, "protocol": "TCP"}]}
})";

TEST_CASE(
    "kubernetes targets: a pod gives one target per container port, and one per portless "
    "container") {
  ObjectStore nodes;
  RelatedObjects related;
  TargetGroup group = pod_target_group(parse(kPod), related);
  CHECK(group.source == "pod/shop/web-7d4b9c-x2x9z");
  CHECK(as_map(group.labels) ==
        LabelMap{
            {"__meta_kubernetes_namespace", "shop"},
            {"__meta_kubernetes_pod_name", "web-7d4b9c-x2x9z"},
            {"__meta_kubernetes_pod_ip", "10.244.1.7"},
            {"__meta_kubernetes_pod_ready", "true"},
            {"__meta_kubernetes_pod_phase", "Running"},
            {"__meta_kubernetes_pod_node_name", "node-a"},
            {"__meta_kubernetes_pod_host_ip", "10.0.0.5"},
            {"__meta_kubernetes_pod_uid", "5f1c3b7e-0f4d-4c39-9d3e-2b1f0c8a9e11"},
            {"__meta_kubernetes_pod_controller_kind", "ReplicaSet"},
            {"__meta_kubernetes_pod_controller_name", "web-7d4b9c"},
            {"__meta_kubernetes_pod_label_app_kubernetes_io_name", "web"},
            {"__meta_kubernetes_pod_labelpresent_app_kubernetes_io_name", "true"},
            {"__meta_kubernetes_pod_label_pod_template_hash", "7d4b9c"},
            {"__meta_kubernetes_pod_labelpresent_pod_template_hash", "true"},
            {"__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true"},
            {"__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape", "true"},
        });
  REQUIRE(group.targets.size() == 4);
  CHECK(as_map(group.targets[0]) == LabelMap{
                                        {"__address__", "10.244.1.7:8080"},
                                        {"__meta_kubernetes_pod_container_name", "web"},
                                        {"__meta_kubernetes_pod_container_id", "containerd://b2c"},
                                        {"__meta_kubernetes_pod_container_image", "nginx:1.25"},
                                        {"__meta_kubernetes_pod_container_init", "false"},
                                        {"__meta_kubernetes_pod_container_port_name", "http"},
                                        {"__meta_kubernetes_pod_container_port_number", "8080"},
                                        {"__meta_kubernetes_pod_container_port_protocol", "TCP"},
                                    });
  CHECK(as_map(group.targets[1])["__address__"] == "10.244.1.7:9113");
  CHECK(as_map(group.targets[2]) == LabelMap{
                                        {"__address__", "10.244.1.7"},
                                        {"__meta_kubernetes_pod_container_name", "log-shipper"},
                                        {"__meta_kubernetes_pod_container_id", "containerd://d3e"},
                                        {"__meta_kubernetes_pod_container_image", "fluent-bit:2.1"},
                                        {"__meta_kubernetes_pod_container_init", "false"},
                                    });
  CHECK(as_map(group.targets[3]) == LabelMap{
                                        {"__address__", "10.244.1.7"},
                                        {"__meta_kubernetes_pod_container_name", "init-schema"},
                                        {"__meta_kubernetes_pod_container_id", "containerd://0a1"},
                                        {"__meta_kubernetes_pod_container_image", "busybox:1.36"},
                                        {"__meta_kubernetes_pod_container_init", "true"},
                                    });

  SECTION("attach_metadata.node adds the node's name and labels") {
    nodes["node-a"] = parse(kNode);
    related.nodes = &nodes;
    auto labels = as_map(pod_target_group(parse(kPod), related).labels);
    CHECK(labels["__meta_kubernetes_node_name"] == "node-a");
    CHECK(labels["__meta_kubernetes_node_label_topology_kubernetes_io_zone"] == "z1");
    CHECK(labels["__meta_kubernetes_node_labelpresent_kubernetes_io_hostname"] == "true");
    CHECK_FALSE(labels.contains("__meta_kubernetes_node_annotation_node_alpha_kubernetes_io_ttl"));
  }
}

TEST_CASE("kubernetes targets: a pod without an IP yet has a group with no targets") {
  auto pod = parse(R"({"metadata":{"name":"p","namespace":"n"},"spec":{"containers":[{"name":"c"}]},
                      "status":{"phase":"Pending"}})");
  TargetGroup group = pod_target_group(pod, {});
  CHECK(group.source == "pod/n/p");
  CHECK(group.targets.empty());
  CHECK(group.labels.empty());
}

TEST_CASE("kubernetes targets: pod readiness without a Ready condition is unknown") {
  auto pod = parse(R"({"metadata":{"name":"p","namespace":"n"},"spec":{"containers":[{"name":"c"}]},
                      "status":{"podIP":"10.1.1.1","conditions":[{"type":"Ready","status":"False"}]}})");
  CHECK(as_map(pod_target_group(pod, {}).labels)["__meta_kubernetes_pod_ready"] == "false");
  auto no_condition = parse(R"({"metadata":{"name":"p","namespace":"n"},
                               "spec":{"containers":[{"name":"c"}]},"status":{"podIP":"10.1.1.1"}})");
  CHECK(as_map(pod_target_group(no_condition, {}).labels)["__meta_kubernetes_pod_ready"] ==
        "unknown");
}

TEST_CASE("kubernetes targets: a service gives one target per port at its cluster DNS name") {
  TargetGroup group = service_target_group(parse(kService));
  CHECK(group.source == "svc/shop/web");
  CHECK(as_map(group.labels) ==
        LabelMap{
            {"__meta_kubernetes_namespace", "shop"},
            {"__meta_kubernetes_service_name", "web"},
            {"__meta_kubernetes_service_label_app", "web"},
            {"__meta_kubernetes_service_labelpresent_app", "true"},
            {"__meta_kubernetes_service_annotation_prometheus_io_port", "9113"},
            {"__meta_kubernetes_service_annotationpresent_prometheus_io_port", "true"},
        });
  REQUIRE(group.targets.size() == 2);
  CHECK(as_map(group.targets[1]) == LabelMap{
                                        {"__address__", "web.shop.svc:9113"},
                                        {"__meta_kubernetes_service_port_name", "metrics"},
                                        {"__meta_kubernetes_service_port_number", "9113"},
                                        {"__meta_kubernetes_service_port_protocol", "TCP"},
                                        {"__meta_kubernetes_service_type", "ClusterIP"},
                                        {"__meta_kubernetes_service_cluster_ip", "10.96.12.34"},
                                    });
  auto external = parse(R"({"metadata":{"name":"db","namespace":"shop"},
      "spec":{"type":"ExternalName","externalName":"db.example.com",
              "ports":[{"port":5432,"protocol":"TCP"}]}})");
  auto target = as_map(service_target_group(external).targets.at(0));
  CHECK(target["__meta_kubernetes_service_external_name"] == "db.example.com");
  CHECK_FALSE(target.contains("__meta_kubernetes_service_cluster_ip"));
  CHECK(target["__meta_kubernetes_service_port_name"].empty());
}

TEST_CASE("kubernetes targets: a node is scraped at its preferred address and kubelet port") {
  bool missing = true;
  TargetGroup group = node_target_group(parse(kNode), &missing);
  CHECK_FALSE(missing);
  CHECK(group.source == "node/node-a");
  CHECK(as_map(group.labels) ==
        LabelMap{
            {"__meta_kubernetes_node_name", "node-a"},
            {"__meta_kubernetes_node_provider_id", "aws:///eu-west-1a/i-0abc"},
            {"__meta_kubernetes_node_label_kubernetes_io_hostname", "node-a"},
            {"__meta_kubernetes_node_labelpresent_kubernetes_io_hostname", "true"},
            {"__meta_kubernetes_node_label_topology_kubernetes_io_zone", "z1"},
            {"__meta_kubernetes_node_labelpresent_topology_kubernetes_io_zone", "true"},
            {"__meta_kubernetes_node_annotation_node_alpha_kubernetes_io_ttl", "0"},
            {"__meta_kubernetes_node_annotationpresent_node_alpha_kubernetes_io_ttl", "true"},
        });
  REQUIRE(group.targets.size() == 1);
  CHECK(as_map(group.targets[0]) ==
        LabelMap{
            {"__address__", "10.0.0.5:10250"},
            {"instance", "node-a"},
            {"__meta_kubernetes_node_address_Hostname", "node-a"},
            {"__meta_kubernetes_node_address_ExternalIP", "203.0.113.9"},
            {"__meta_kubernetes_node_address_InternalIP", "10.0.0.5"},
        });
  auto bare = parse(R"({"metadata":{"name":"n2"},"status":{}})");
  TargetGroup no_address = node_target_group(bare, &missing);
  CHECK(missing);
  CHECK(no_address.targets.empty());
}

constexpr const char* kEndpoints = R"({
  "kind": "Endpoints", "apiVersion": "v1",
  "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}},
  "subsets": [{
    "addresses": [{"ip": "10.244.1.7", "nodeName": "node-a",
                   "targetRef": {"kind": "Pod", "namespace": "shop", "name": "web-7d4b9c-x2x9z",
                                 "uid": "5f1c3b7e"}}],
    "notReadyAddresses": [{"ip": "10.244.2.9", "hostname": "web-1",
                           "targetRef": {"kind": "Pod", "namespace": "shop", "name": "gone"}}],
    "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]
  }]
})";

TEST_CASE(
    "kubernetes targets: endpoints join their service and pods, and add uncovered container "
    "ports") {
  ObjectStore pods;
  ObjectStore services;
  pods["shop/web-7d4b9c-x2x9z"] = parse(kPod);
  services["shop/web"] = parse(kService);
  RelatedObjects related{&pods, &services, nullptr};
  TargetGroup group = endpoints_target_group(parse(kEndpoints), related);
  CHECK(group.source == "endpoints/shop/web");
  auto labels = as_map(group.labels);
  CHECK(labels["__meta_kubernetes_namespace"] == "shop");
  CHECK(labels["__meta_kubernetes_endpoints_name"] == "web");
  CHECK(labels["__meta_kubernetes_endpoints_label_app"] == "web");
  CHECK(labels["__meta_kubernetes_endpoints_labelpresent_app"] == "true");
  CHECK(labels["__meta_kubernetes_service_name"] == "web");
  CHECK(labels["__meta_kubernetes_service_annotation_prometheus_io_port"] == "9113");
  REQUIRE(group.targets.size() == 3);

  auto ready = as_map(group.targets[0]);
  CHECK(ready["__address__"] == "10.244.1.7:8080");
  CHECK(ready["__meta_kubernetes_endpoint_ready"] == "true");
  CHECK(ready["__meta_kubernetes_endpoint_port_name"] == "http");
  CHECK(ready["__meta_kubernetes_endpoint_port_protocol"] == "TCP");
  CHECK(ready["__meta_kubernetes_endpoint_node_name"] == "node-a");
  CHECK(ready["__meta_kubernetes_endpoint_address_target_kind"] == "Pod");
  CHECK(ready["__meta_kubernetes_endpoint_address_target_name"] == "web-7d4b9c-x2x9z");
  CHECK(ready["__meta_kubernetes_pod_name"] == "web-7d4b9c-x2x9z");
  CHECK(ready["__meta_kubernetes_pod_label_app_kubernetes_io_name"] == "web");
  CHECK(ready["__meta_kubernetes_pod_container_name"] == "web");
  CHECK(ready["__meta_kubernetes_pod_container_image"] == "nginx:1.25");
  CHECK(ready["__meta_kubernetes_pod_container_port_name"] == "http");
  CHECK(ready["__meta_kubernetes_pod_container_port_number"] == "8080");
  CHECK_FALSE(ready.contains("__meta_kubernetes_endpoint_hostname"));

  // The pod is not known: no pod labels, but the address's own.
  auto not_ready = as_map(group.targets[1]);
  CHECK(not_ready["__address__"] == "10.244.2.9:8080");
  CHECK(not_ready["__meta_kubernetes_endpoint_ready"] == "false");
  CHECK(not_ready["__meta_kubernetes_endpoint_hostname"] == "web-1");
  CHECK_FALSE(not_ready.contains("__meta_kubernetes_pod_name"));
  CHECK_FALSE(not_ready.contains("__meta_kubernetes_endpoint_node_name"));

  // The metrics port no endpoint port named becomes its own target.
  auto uncovered = as_map(group.targets[2]);
  CHECK(uncovered["__address__"] == "10.244.1.7:9113");
  CHECK(uncovered["__meta_kubernetes_pod_container_port_name"] == "metrics");
  CHECK(uncovered["__meta_kubernetes_pod_name"] == "web-7d4b9c-x2x9z");
  CHECK_FALSE(uncovered.contains("__meta_kubernetes_endpoint_ready"));
}

TEST_CASE(
    "kubernetes targets: endpointslices name their service by label and carry conditions and "
    "topology") {
  ObjectStore pods;
  ObjectStore services;
  pods["shop/web-7d4b9c-x2x9z"] = parse(kPod);
  services["shop/web"] = parse(kService);
  auto slice = parse(R"({
    "kind": "EndpointSlice", "apiVersion": "discovery.k8s.io/v1",
    "metadata": {"name": "web-abc12", "namespace": "shop",
                 "labels": {"kubernetes.io/service-name": "web"}},
    "addressType": "IPv4",
    "endpoints": [{"addresses": ["10.244.1.7"], "conditions": {"ready": true},
                   "hostname": "web-0", "nodeName": "node-a", "zone": "z1",
                   "targetRef": {"kind": "Pod", "namespace": "shop", "name": "web-7d4b9c-x2x9z"},
                   "deprecatedTopology": {"kubernetes.io/hostname": "node-a"}}],
    "ports": [{"name": "http", "port": 8080, "protocol": "TCP", "appProtocol": "http"}]
  })");
  TargetGroup group = endpointslice_target_group(slice, RelatedObjects{&pods, &services, nullptr});
  CHECK(group.source == "endpointslice/shop/web-abc12");
  auto labels = as_map(group.labels);
  CHECK(labels["__meta_kubernetes_endpointslice_name"] == "web-abc12");
  CHECK(labels["__meta_kubernetes_endpointslice_address_type"] == "IPv4");
  CHECK(labels["__meta_kubernetes_service_name"] == "web");
  REQUIRE(group.targets.size() == 2);
  auto target = as_map(group.targets[0]);
  CHECK(target["__address__"] == "10.244.1.7:8080");
  CHECK(target["__meta_kubernetes_endpointslice_port"] == "8080");
  CHECK(target["__meta_kubernetes_endpointslice_port_name"] == "http");
  CHECK(target["__meta_kubernetes_endpointslice_port_protocol"] == "TCP");
  CHECK(target["__meta_kubernetes_endpointslice_port_app_protocol"] == "http");
  CHECK(target["__meta_kubernetes_endpointslice_endpoint_conditions_ready"] == "true");
  CHECK(target["__meta_kubernetes_endpointslice_endpoint_hostname"] == "web-0");
  CHECK(target["__meta_kubernetes_endpointslice_address_target_kind"] == "Pod");
  CHECK(target["__meta_kubernetes_endpointslice_endpoint_topology_kubernetes_io_hostname"] ==
        "node-a");
  CHECK(
      target["__meta_kubernetes_endpointslice_endpoint_topology_present_kubernetes_io_hostname"] ==
      "true");
  CHECK(target["__meta_kubernetes_pod_container_port_name"] == "http");
  CHECK(as_map(group.targets[1])["__address__"] == "10.244.1.7:9113");
}

TEST_CASE("kubernetes targets: an ingress gives one target per rule host and path") {
  auto ingress = parse(R"({
    "kind": "Ingress", "apiVersion": "networking.k8s.io/v1",
    "metadata": {"name": "shop", "namespace": "web", "labels": {"team": "a"},
                 "annotations": {"nginx.ingress.kubernetes.io/rewrite-target": "/"}},
    "spec": {
      "ingressClassName": "nginx",
      "tls": [{"hosts": ["*.example.com"], "secretName": "tls"}],
      "rules": [
        {"host": "shop.example.com",
         "http": {"paths": [{"path": "/cart", "pathType": "Prefix",
                             "backend": {"service": {"name": "cart", "port": {"number": 80}}}},
                            {"pathType": "Prefix",
                             "backend": {"service": {"name": "home", "port": {"number": 80}}}}]}},
        {"host": "a.b.example.com"},
        {"host": "plain.example.org", "http": {"paths": []}}
      ]
    }
  })");
  TargetGroup group = ingress_target_group(ingress);
  CHECK(group.source == "ingress/web/shop");
  CHECK(
      as_map(group.labels) ==
      LabelMap{
          {"__meta_kubernetes_namespace", "web"},
          {"__meta_kubernetes_ingress_name", "shop"},
          {"__meta_kubernetes_ingress_class_name", "nginx"},
          {"__meta_kubernetes_ingress_label_team", "a"},
          {"__meta_kubernetes_ingress_labelpresent_team", "true"},
          {"__meta_kubernetes_ingress_annotation_nginx_ingress_kubernetes_io_rewrite_target", "/"},
          {"__meta_kubernetes_ingress_annotationpresent_nginx_ingress_kubernetes_io_rewrite_target",
           "true"},
      });
  REQUIRE(group.targets.size() == 3);
  CHECK(as_map(group.targets[0]) == LabelMap{
                                        {"__address__", "shop.example.com"},
                                        {"__meta_kubernetes_ingress_scheme", "https"},
                                        {"__meta_kubernetes_ingress_host", "shop.example.com"},
                                        {"__meta_kubernetes_ingress_path", "/cart"},
                                    });
  CHECK(as_map(group.targets[1])["__meta_kubernetes_ingress_path"] == "/");
  // "*.example.com" covers one label only: a.b.example.com is plain http.
  CHECK(as_map(group.targets[2])["__meta_kubernetes_ingress_scheme"] == "http");
  CHECK(as_map(group.targets[2])["__meta_kubernetes_ingress_path"] == "/");
}

TEST_CASE("kubernetes targets: label names are sanitized as Prometheus's strutil does") {
  CHECK(sanitize_label_name("app.kubernetes.io/name") == "app_kubernetes_io_name");
  CHECK(sanitize_label_name("a-b c\xc3\xa9") == "a_b_c_");
  CHECK(sanitize_label_name("x\xff\xfey") == "x__y");
  CHECK(group_source("service", "ns/x") == "svc/ns/x");
  CHECK(group_source("node", "n1") == "node/n1");
}

}  // namespace
}  // namespace mc::kubernetes
