#include "collector/discovery/kubernetes_targets.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

namespace mc::kubernetes {

namespace {

using LabelMap = std::map<std::string, std::string, std::less<>>;

constexpr std::string_view kPrefix = "__meta_kubernetes_";
constexpr std::string_view kPresent = "true";

std::string meta(std::string_view name) {
  std::string label(kPrefix);
  label += name;
  return label;
}

std::vector<Label> to_labels(const LabelMap& map) {
  std::vector<Label> labels;
  labels.reserve(map.size());
  for (const auto& [name, value] : map) labels.push_back(Label{name, value});
  return labels;
}

// Later keys win, as model.LabelSet.Merge.
void merge_into(LabelMap& target, const LabelMap& other) {
  for (const auto& [name, value] : other) target[name] = value;
}

// net.JoinHostPort: brackets around an IPv6 address.
std::string join_host_port(std::string_view host, int64_t port) {
  std::string out;
  if (host.find(':') != std::string_view::npos) {
    out = "[" + std::string(host) + "]";
  } else {
    out = std::string(host);
  }
  out += ':';
  out += std::to_string(port);
  return out;
}

// <kind>_label_<name>, <kind>_labelpresent_<name> and, when wanted, the same
// for annotations, from an object's metadata.
void add_metadata_labels(LabelMap& labels, const JsonValue& metadata, std::string_view kind,
                         bool with_annotations) {
  for (const auto& [name, value] : metadata["labels"].members()) {
    std::string sanitized = sanitize_label_name(name);
    labels[meta(std::string(kind) + "_label_" + sanitized)] = value.str();
    labels[meta(std::string(kind) + "_labelpresent_" + sanitized)] = kPresent;
  }
  if (!with_annotations) return;
  for (const auto& [name, value] : metadata["annotations"].members()) {
    std::string sanitized = sanitize_label_name(name);
    labels[meta(std::string(kind) + "_annotation_" + sanitized)] = value.str();
    labels[meta(std::string(kind) + "_annotationpresent_" + sanitized)] = kPresent;
  }
}

std::string lowercase(std::string text) {
  std::ranges::transform(text, text.begin(),
                         [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

LabelMap pod_labels(const JsonValue& pod) {
  const JsonValue& metadata = pod["metadata"];
  const JsonValue& status = pod["status"];
  LabelMap labels;
  labels[meta("pod_name")] = metadata["name"].str();
  labels[meta("pod_ip")] = status["podIP"].str();
  std::string ready = "unknown";  // no Ready condition: ConditionUnknown
  for (const JsonValue& condition : status["conditions"].items()) {
    if (condition["type"].str() == "Ready") {
      ready = lowercase(condition["status"].str());
      break;
    }
  }
  labels[meta("pod_ready")] = ready;
  labels[meta("pod_phase")] = status["phase"].str();
  labels[meta("pod_node_name")] = pod["spec"]["nodeName"].str();
  labels[meta("pod_host_ip")] = status["hostIP"].str();
  labels[meta("pod_uid")] = metadata["uid"].str();
  for (const JsonValue& owner : metadata["ownerReferences"].items()) {
    if (!owner["controller"].boolean()) continue;
    if (!owner["kind"].str().empty()) labels[meta("pod_controller_kind")] = owner["kind"].str();
    if (!owner["name"].str().empty()) labels[meta("pod_controller_name")] = owner["name"].str();
    break;
  }
  add_metadata_labels(labels, metadata, "pod", true);
  return labels;
}

LabelMap service_labels(const JsonValue& service) {
  const JsonValue& metadata = service["metadata"];
  LabelMap labels;
  labels[meta("service_name")] = metadata["name"].str();
  labels[meta("namespace")] = metadata["namespace"].str();
  add_metadata_labels(labels, metadata, "service", true);
  return labels;
}

LabelMap node_labels(const JsonValue& node) {
  const JsonValue& metadata = node["metadata"];
  LabelMap labels;
  labels[meta("node_name")] = metadata["name"].str();
  labels[meta("node_provider_id")] = node["spec"]["providerID"].str();
  add_metadata_labels(labels, metadata, "node", true);
  return labels;
}

// attach_metadata.node: the node's name and labels (not its annotations).
void add_node_labels(LabelMap& labels, const RelatedObjects& related, std::string_view node_name) {
  if (related.nodes == nullptr || node_name.empty()) return;
  auto found = related.nodes->find(node_name);
  if (found == related.nodes->end()) return;
  labels[meta("node_name")] = std::string(node_name);
  add_metadata_labels(labels, found->second["metadata"], "node", false);
}

const JsonValue* find_object(const ObjectStore* store, const std::string& key) {
  if (store == nullptr) return nullptr;
  auto found = store->find(key);
  return found == store->end() ? nullptr : &found->second;
}

// The pod an endpoint's targetRef names, when it is a pod we know.
const JsonValue* referenced_pod(const JsonValue& target_ref, const RelatedObjects& related) {
  if (target_ref["kind"].str() != "Pod") return nullptr;
  return find_object(related.pods, target_ref["namespace"].str() + "/" + target_ref["name"].str());
}

std::string_view namespace_of(const JsonValue& object) {
  return object["metadata"]["namespace"].str();
}

// Endpoints and EndpointSlices: the pods behind the addresses, and which of
// their container ports an endpoint port already covered. Ports no endpoint
// named become targets of their own, as in Prometheus.
struct SeenPod {
  const JsonValue* pod;
  std::set<int64_t> covered_ports;
};

// Sets the container labels of the first container port equal to `port`.
void add_matching_container_labels(LabelMap& target, const JsonValue& pod, int64_t port,
                                   const std::string& protocol) {
  for (const JsonValue& container : pod["spec"]["containers"].items()) {
    for (const JsonValue& container_port : container["ports"].items()) {
      if (container_port["containerPort"].integer() != port) continue;
      target[meta("pod_container_name")] = container["name"].str();
      target[meta("pod_container_image")] = container["image"].str();
      target[meta("pod_container_port_name")] = container_port["name"].str();
      target[meta("pod_container_port_number")] = std::to_string(port);
      target[meta("pod_container_port_protocol")] = protocol;
      break;
    }
  }
}

void add_uncovered_pod_ports(std::vector<std::vector<Label>>& targets,
                             const std::vector<SeenPod>& seen_pods) {
  for (const SeenPod& seen : seen_pods) {
    const JsonValue& pod = *seen.pod;
    const std::string& pod_ip = pod["status"]["podIP"].str();
    if (pod_ip.empty()) continue;  // starting or evicted
    LabelMap pod_meta = pod_labels(pod);
    for (const JsonValue& container : pod["spec"]["containers"].items()) {
      for (const JsonValue& container_port : container["ports"].items()) {
        int64_t port = container_port["containerPort"].integer();
        if (seen.covered_ports.contains(port)) continue;
        LabelMap target;
        target["__address__"] = join_host_port(pod_ip, port);
        target[meta("pod_container_name")] = container["name"].str();
        target[meta("pod_container_image")] = container["image"].str();
        target[meta("pod_container_port_name")] = container_port["name"].str();
        target[meta("pod_container_port_number")] = std::to_string(port);
        target[meta("pod_container_port_protocol")] = container_port["protocol"].str();
        merge_into(target, pod_meta);
        targets.push_back(to_labels(target));
      }
    }
  }
}

SeenPod& seen_pod(std::vector<SeenPod>& seen_pods, const JsonValue* pod) {
  for (SeenPod& seen : seen_pods) {
    if (seen.pod == pod) return seen;
  }
  seen_pods.push_back(SeenPod{pod, {}});
  return seen_pods.back();
}

// The container ID from the pod's status for a container name ("" when the
// container has not started yet).
std::string container_id(const JsonValue& statuses, const std::string& name) {
  for (const JsonValue& status : statuses.items()) {
    if (status["name"].str() == name) return status["containerID"].str();
  }
  return "";
}

}  // namespace

std::string sanitize_label_name(std::string_view name) {
  // Go's regexp works on runes: a multi-byte UTF-8 character becomes one
  // '_', and each byte of an invalid sequence one '_' of its own.
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size();) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    bool keep =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out.push_back(keep ? static_cast<char>(c) : '_');
    size_t length = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 1;
    if (c >= 0xF5) length = 1;
    bool whole = i + length <= name.size();
    for (size_t k = 1; whole && k < length; ++k) {
      whole = (static_cast<unsigned char>(name[i + k]) & 0xC0) == 0x80;
    }
    i += whole ? length : 1;
  }
  return out;
}

std::string object_key(const JsonValue& object) {
  const JsonValue& metadata = object["metadata"];
  const std::string& ns = metadata["namespace"].str();
  if (ns.empty()) return metadata["name"].str();
  return ns + "/" + metadata["name"].str();
}

std::string group_source(std::string_view role, std::string_view key) {
  std::string_view prefix = role == "service" ? "svc" : role;
  return std::string(prefix) + "/" + std::string(key);
}

TargetGroup pod_target_group(const JsonValue& pod, const RelatedObjects& related) {
  TargetGroup group;
  group.source = group_source("pod", object_key(pod));
  const std::string& pod_ip = pod["status"]["podIP"].str();
  if (pod_ip.empty()) return group;  // starting or evicted: no targets yet

  LabelMap labels = pod_labels(pod);
  labels[meta("namespace")] = std::string(namespace_of(pod));
  add_node_labels(labels, related, pod["spec"]["nodeName"].str());
  group.labels = to_labels(labels);

  auto add_containers = [&](const JsonValue& containers, const JsonValue& statuses, bool init) {
    for (const JsonValue& container : containers.items()) {
      LabelMap common;
      common[meta("pod_container_name")] = container["name"].str();
      common[meta("pod_container_id")] = container_id(statuses, container["name"].str());
      common[meta("pod_container_image")] = container["image"].str();
      common[meta("pod_container_init")] = init ? "true" : "false";
      const auto& ports = container["ports"].items();
      if (ports.empty()) {
        // No port: the pod's IP alone; relabeling has to add one.
        LabelMap target = common;
        target["__address__"] = pod_ip;
        group.targets.push_back(to_labels(target));
        continue;
      }
      for (const JsonValue& port : ports) {
        int64_t number = port["containerPort"].integer();
        LabelMap target = common;
        target["__address__"] = join_host_port(pod_ip, number);
        target[meta("pod_container_port_name")] = port["name"].str();
        target[meta("pod_container_port_number")] = std::to_string(number);
        target[meta("pod_container_port_protocol")] = port["protocol"].str();
        group.targets.push_back(to_labels(target));
      }
    }
  };
  add_containers(pod["spec"]["containers"], pod["status"]["containerStatuses"], false);
  add_containers(pod["spec"]["initContainers"], pod["status"]["initContainerStatuses"], true);
  return group;
}

TargetGroup service_target_group(const JsonValue& service) {
  TargetGroup group;
  group.source = group_source("service", object_key(service));
  group.labels = to_labels(service_labels(service));
  const JsonValue& spec = service["spec"];
  const std::string& type = spec["type"].str();
  std::string host =
      service["metadata"]["name"].str() + "." + std::string(namespace_of(service)) + ".svc";
  for (const JsonValue& port : spec["ports"].items()) {
    int64_t number = port["port"].integer();
    LabelMap target;
    target["__address__"] = join_host_port(host, number);
    target[meta("service_port_name")] = port["name"].str();
    target[meta("service_port_number")] = std::to_string(number);
    target[meta("service_port_protocol")] = port["protocol"].str();
    target[meta("service_type")] = type;
    if (type == "ExternalName") {
      target[meta("service_external_name")] = spec["externalName"].str();
    } else {
      target[meta("service_cluster_ip")] = spec["clusterIP"].str();
    }
    group.targets.push_back(to_labels(target));
  }
  return group;
}

TargetGroup endpoints_target_group(const JsonValue& endpoints, const RelatedObjects& related) {
  TargetGroup group;
  std::string key = object_key(endpoints);
  group.source = group_source("endpoints", key);
  const JsonValue& metadata = endpoints["metadata"];

  LabelMap labels;
  labels[meta("namespace")] = std::string(namespace_of(endpoints));
  labels[meta("endpoints_name")] = metadata["name"].str();
  // An Endpoints object shares its name with its service.
  if (const JsonValue* service = find_object(related.services, key)) {
    merge_into(labels, service_labels(*service));
  }
  add_metadata_labels(labels, metadata, "endpoints", false);
  group.labels = to_labels(labels);

  std::vector<SeenPod> seen_pods;
  auto add = [&](const JsonValue& address, const JsonValue& port, std::string_view ready) {
    int64_t number = port["port"].integer();
    LabelMap target;
    target["__address__"] = join_host_port(address["ip"].str(), number);
    target[meta("endpoint_port_name")] = port["name"].str();
    target[meta("endpoint_port_protocol")] = port["protocol"].str();
    target[meta("endpoint_ready")] = std::string(ready);
    const JsonValue& target_ref = address["targetRef"];
    if (target_ref.is_object()) {
      target[meta("endpoint_address_target_kind")] = target_ref["kind"].str();
      target[meta("endpoint_address_target_name")] = target_ref["name"].str();
    }
    if (address.has("nodeName") && !address["nodeName"].is_null()) {
      target[meta("endpoint_node_name")] = address["nodeName"].str();
    }
    if (!address["hostname"].str().empty()) {
      target[meta("endpoint_hostname")] = address["hostname"].str();
    }
    if (!address["nodeName"].str().empty()) {
      add_node_labels(target, related, address["nodeName"].str());
    } else if (target_ref["kind"].str() == "Node") {
      add_node_labels(target, related, target_ref["name"].str());
    }
    const JsonValue* pod = referenced_pod(target_ref, related);
    if (pod == nullptr) {
      group.targets.push_back(to_labels(target));
      return;
    }
    SeenPod& seen = seen_pod(seen_pods, pod);
    merge_into(target, pod_labels(*pod));
    add_matching_container_labels(target, *pod, number, port["protocol"].str());
    seen.covered_ports.insert(number);
    group.targets.push_back(to_labels(target));
  };

  for (const JsonValue& subset : endpoints["subsets"].items()) {
    for (const JsonValue& port : subset["ports"].items()) {
      for (const JsonValue& address : subset["addresses"].items()) add(address, port, "true");
      for (const JsonValue& address : subset["notReadyAddresses"].items()) {
        add(address, port, "false");
      }
    }
  }
  add_uncovered_pod_ports(group.targets, seen_pods);
  return group;
}

TargetGroup endpointslice_target_group(const JsonValue& slice, const RelatedObjects& related) {
  TargetGroup group;
  group.source = group_source("endpointslice", object_key(slice));
  const JsonValue& metadata = slice["metadata"];

  LabelMap labels;
  labels[meta("namespace")] = std::string(namespace_of(slice));
  labels[meta("endpointslice_name")] = metadata["name"].str();
  labels[meta("endpointslice_address_type")] = slice["addressType"].str();
  // A slice names its service in a label rather than by sharing its name.
  const std::string& service_name = metadata["labels"]["kubernetes.io/service-name"].str();
  if (!service_name.empty()) {
    if (const JsonValue* service =
            find_object(related.services, std::string(namespace_of(slice)) + "/" + service_name)) {
      merge_into(labels, service_labels(*service));
    }
  }
  group.labels = to_labels(labels);

  std::vector<SeenPod> seen_pods;
  auto add = [&](const std::string& address, const JsonValue& endpoint, const JsonValue& port) {
    // A port without a number means "all ports": the address alone.
    bool has_port = !port["port"].is_null();
    int64_t number = port["port"].integer();
    LabelMap target;
    target["__address__"] = has_port ? join_host_port(address, number) : address;
    if (!port["name"].is_null()) target[meta("endpointslice_port_name")] = port["name"].str();
    if (!port["protocol"].is_null()) {
      target[meta("endpointslice_port_protocol")] = port["protocol"].str();
    }
    if (has_port) target[meta("endpointslice_port")] = std::to_string(number);
    if (!port["appProtocol"].is_null()) {
      target[meta("endpointslice_port_app_protocol")] = port["appProtocol"].str();
    }
    const JsonValue& ready = endpoint["conditions"]["ready"];
    if (!ready.is_null()) {
      target[meta("endpointslice_endpoint_conditions_ready")] = ready.boolean() ? "true" : "false";
    }
    if (!endpoint["hostname"].is_null()) {
      target[meta("endpointslice_endpoint_hostname")] = endpoint["hostname"].str();
    }
    const JsonValue& target_ref = endpoint["targetRef"];
    if (target_ref.is_object()) {
      target[meta("endpointslice_address_target_kind")] = target_ref["kind"].str();
      target[meta("endpointslice_address_target_name")] = target_ref["name"].str();
    }
    for (const auto& [name, value] : endpoint["deprecatedTopology"].members()) {
      std::string sanitized = sanitize_label_name(name);
      target[meta("endpointslice_endpoint_topology_" + sanitized)] = value.str();
      target[meta("endpointslice_endpoint_topology_present_" + sanitized)] = kPresent;
    }
    if (target_ref["kind"].str() == "Node") {
      add_node_labels(target, related, target_ref["name"].str());
    } else {
      add_node_labels(target, related, endpoint["nodeName"].str());
    }
    const JsonValue* pod = referenced_pod(target_ref, related);
    if (pod == nullptr) {
      group.targets.push_back(to_labels(target));
      return;
    }
    SeenPod& seen = seen_pod(seen_pods, pod);
    merge_into(target, pod_labels(*pod));
    if (has_port) {
      add_matching_container_labels(target, *pod, number, port["protocol"].str());
      seen.covered_ports.insert(number);
    }
    group.targets.push_back(to_labels(target));
  };

  for (const JsonValue& endpoint : slice["endpoints"].items()) {
    for (const JsonValue& port : slice["ports"].items()) {
      for (const JsonValue& address : endpoint["addresses"].items()) {
        add(address.str(), endpoint, port);
      }
    }
  }
  add_uncovered_pod_ports(group.targets, seen_pods);
  return group;
}

namespace {

// Whether a TLS host pattern covers a rule's host: equal, or "*.rest" over a
// host with as many labels whose all but the first equal the pattern's.
bool matches_host_pattern(std::string_view pattern, std::string_view host) {
  if (pattern == host) return true;
  auto split = [](std::string_view text) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
      size_t dot = text.find('.', start);
      parts.push_back(text.substr(start, dot - start));
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    return parts;
  };
  std::vector<std::string_view> pattern_parts = split(pattern);
  std::vector<std::string_view> host_parts = split(host);
  if (pattern_parts.empty() || pattern_parts[0] != "*") return false;
  if (pattern_parts.size() != host_parts.size()) return false;
  for (size_t i = 1; i < pattern_parts.size(); ++i) {
    if (pattern_parts[i] != host_parts[i]) return false;
  }
  return true;
}

}  // namespace

TargetGroup ingress_target_group(const JsonValue& ingress) {
  TargetGroup group;
  group.source = group_source("ingress", object_key(ingress));
  const JsonValue& metadata = ingress["metadata"];
  const JsonValue& spec = ingress["spec"];
  LabelMap labels;
  labels[meta("ingress_name")] = metadata["name"].str();
  labels[meta("namespace")] = std::string(namespace_of(ingress));
  if (!spec["ingressClassName"].is_null()) {
    labels[meta("ingress_class_name")] = spec["ingressClassName"].str();
  }
  add_metadata_labels(labels, metadata, "ingress", true);
  group.labels = to_labels(labels);

  std::vector<std::string> tls_hosts;
  for (const JsonValue& tls : spec["tls"].items()) {
    for (const JsonValue& host : tls["hosts"].items()) tls_hosts.push_back(host.str());
  }
  for (const JsonValue& rule : spec["rules"].items()) {
    const std::string& host = rule["host"].str();
    std::string scheme = "http";
    for (const std::string& pattern : tls_hosts) {
      if (matches_host_pattern(pattern, host)) {
        scheme = "https";
        break;
      }
    }
    // A rule without http paths is "/", and so is an empty path.
    std::vector<std::string> paths;
    if (rule["http"].is_null()) {
      paths.push_back("/");
    } else {
      for (const JsonValue& path : rule["http"]["paths"].items()) {
        paths.push_back(path["path"].str().empty() ? "/" : path["path"].str());
      }
    }
    for (const std::string& path : paths) {
      LabelMap target;
      target["__address__"] = host;
      target[meta("ingress_scheme")] = scheme;
      target[meta("ingress_host")] = host;
      target[meta("ingress_path")] = path;
      group.targets.push_back(to_labels(target));
    }
  }
  return group;
}

TargetGroup node_target_group(const JsonValue& node, bool* missing_address) {
  TargetGroup group;
  std::string name = node["metadata"]["name"].str();
  group.source = group_source("node", name);
  group.labels = to_labels(node_labels(node));
  if (missing_address != nullptr) *missing_address = false;

  // The first address of each type, and the address to scrape by the
  // preference Prometheus has.
  std::map<std::string, std::string, std::less<>> first_of_type;
  for (const JsonValue& address : node["status"]["addresses"].items()) {
    first_of_type.try_emplace(address["type"].str(), address["address"].str());
  }
  std::string chosen;
  for (std::string_view type :
       {"InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname"}) {
    auto found = first_of_type.find(type);
    if (found != first_of_type.end()) {
      chosen = found->second;
      break;
    }
  }
  if (chosen.empty()) {
    if (missing_address != nullptr) *missing_address = true;
    return group;
  }
  int64_t kubelet_port = node["status"]["daemonEndpoints"]["kubeletEndpoint"]["Port"].integer();
  LabelMap target;
  target["__address__"] = join_host_port(chosen, kubelet_port);
  target["instance"] = name;
  for (const auto& [type, address] : first_of_type) {
    target[meta("node_address_" + sanitize_label_name(type))] = address;
  }
  group.targets.push_back(to_labels(target));
  return group;
}

}  // namespace mc::kubernetes
