#include "common/config/kubernetes_sd_section.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "common/config/field_readers.hpp"
#include "common/config/http_client_section.hpp"
#include "common/config/proxy_url.hpp"

namespace mc {

namespace {

constexpr std::array<std::string_view, 6> kPrometheusRoles = {
    "pod", "service", "endpoints", "endpointslice", "node", "ingress"};

bool is_prometheus_role(std::string_view role) {
  return std::ranges::find(kPrometheusRoles, role) != kPrometheusRoles.end();
}

// Which selectors a role may carry: the kinds of object it lists.
std::vector<std::string_view> allowed_selector_roles(std::string_view role) {
  if (role == "endpoints") return {"pod", "service", "endpoints"};
  if (role == "endpointslice") return {"pod", "service", "endpointslice"};
  return {role};
}

// Role's UnmarshalYAML in Prometheus: any of its six roles, else this error.
Result<std::string> read_role(const YamlReader& reader, const YAML::Node& value,
                              std::string_view where) {
  auto role = reader.read_string(value, where);
  if (!role) return role.status();
  if (!is_prometheus_role(*role)) {
    return reader.error_at(value, fmt::format("{}: unknown Kubernetes SD role {:?}", where, *role));
  }
  return role;
}

struct SectionNodes {
  YAML::Node mapping, role, api_server, kubeconfig_file, own_namespace, selectors;
  std::vector<YAML::Node> selector_items;
};

Status read_selector(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                     KubernetesSelector& selector) {
  return reader.read_fields(
      node, where,
      {
          {"role",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(selector.role, read_role(reader, value, join_path(where, "role")));
             return Status::ok();
           }},
          {"label",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(selector.label,
                                 reader.read_string(value, join_path(where, "label")));
             return Status::ok();
           }},
          {"field",
           [&](const YAML::Node& value) -> Status {
             MC_ASSIGN_OR_RETURN(selector.field,
                                 reader.read_string(value, join_path(where, "field")));
             return Status::ok();
           }},
      });
}

// The rules across keys, once every key has been read.
Status check(const YamlReader& reader, const KubernetesSdConfig& config, const SectionNodes& nodes,
             std::string_view where) {
  auto error = [&](const YAML::Node& node, std::string_view message) {
    return reader.error_at(node.IsNull() ? nodes.mapping : node,
                           fmt::format("{}: {}", where, message));
  };
  if (config.role.empty()) {
    return error(nodes.mapping,
                 "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
  }
  bool custom_http_client = config.http_client != HttpClientConfig{};
  if (!config.api_server.empty() && !config.kubeconfig_file.empty()) {
    return error(nodes.kubeconfig_file,
                 "cannot use 'kubeconfig_file' and 'api_server' simultaneously");
  }
  if (!config.kubeconfig_file.empty() && custom_http_client) {
    return error(nodes.kubeconfig_file,
                 "cannot use a custom HTTP client configuration together with 'kubeconfig_file'");
  }
  if (config.api_server.empty() && custom_http_client) {
    return error(nodes.mapping,
                 "to use custom HTTP client configuration please provide the 'api_server' URL "
                 "explicitly");
  }
  if (!config.api_server.empty() && config.own_namespace) {
    return error(nodes.own_namespace,
                 "cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");
  }
  if (!config.kubeconfig_file.empty() && config.own_namespace) {
    return error(nodes.own_namespace,
                 "cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously");
  }
  std::set<std::string> seen_roles;
  std::vector<std::string_view> allowed = allowed_selector_roles(config.role);
  for (size_t i = 0; i < config.selectors.size(); ++i) {
    const KubernetesSelector& selector = config.selectors[i];
    const YAML::Node& node = nodes.selector_items[i];
    if (!seen_roles.insert(selector.role).second) {
      return error(node, fmt::format("duplicated selector role: {}", selector.role));
    }
    if (std::ranges::find(allowed, std::string_view(selector.role)) == allowed.end()) {
      return error(node, fmt::format("{} role supports only {} selectors", config.role,
                                     fmt::join(allowed, ", ")));
    }
  }
  return Status::ok();
}

Status read_kubernetes_sd_config(const YamlReader& reader, const YAML::Node& node,
                                 std::string_view where, KubernetesSdConfig& config) {
  SectionNodes nodes;
  nodes.mapping = node;
  auto path = [&](std::string_view field) { return join_path(where, field); };
  HttpClientSection http_client(reader, where, config.http_client);
  const std::vector<YamlReader::Field> http_client_fields = http_client.fields();
  Status read = reader.read_fields(
      node, where,
      {
          {"role",
           [&](const YAML::Node& value) -> Status {
             nodes.role = value;
             MC_ASSIGN_OR_RETURN(config.role, read_role(reader, value, path("role")));
             return Status::ok();
           }},
          {"api_server",
           [&](const YAML::Node& value) -> Status {
             nodes.api_server = value;
             MC_ASSIGN_OR_RETURN(config.api_server, reader.read_string(value, path("api_server")));
             if (auto problem = go_url_parse_problem(config.api_server); !problem.empty()) {
               return reader.error_at(value, fmt::format("{}: {}", path("api_server"), problem));
             }
             return Status::ok();
           }},
          {"kubeconfig_file",
           [&](const YAML::Node& value) -> Status {
             nodes.kubeconfig_file = value;
             MC_ASSIGN_OR_RETURN(config.kubeconfig_file,
                                 reader.read_string(value, path("kubeconfig_file")));
             return Status::ok();
           }},
          {"namespaces",
           [&](const YAML::Node& value) -> Status {
             std::string namespaces_path = path("namespaces");
             return reader.read_fields(
                 value, namespaces_path,
                 {
                     {"own_namespace",
                      [&](const YAML::Node& own) -> Status {
                        nodes.own_namespace = own;
                        MC_ASSIGN_OR_RETURN(
                            config.own_namespace,
                            reader.read_bool(own, join_path(namespaces_path, "own_namespace")));
                        return Status::ok();
                      }},
                     {"names",
                      [&](const YAML::Node& names) -> Status {
                        MC_ASSIGN_OR_RETURN(
                            config.namespaces,
                            reader.read_string_list(names, join_path(namespaces_path, "names")));
                        return Status::ok();
                      }},
                 });
           }},
          {"selectors",
           [&](const YAML::Node& value) -> Status {
             std::string list_path = path("selectors");
             return reader.for_each_item(
                 value, list_path, [&](const YAML::Node& item, size_t index) -> Status {
                   config.selectors.emplace_back();
                   nodes.selector_items.push_back(item);
                   return read_selector(reader, item, index_path(list_path, index),
                                        config.selectors.back());
                 });
           }},
          {"attach_metadata",
           [&](const YAML::Node& value) -> Status {
             std::string attach_path = path("attach_metadata");
             return reader.read_fields(
                 value, attach_path,
                 {
                     {"node",
                      [&](const YAML::Node& node_value) -> Status {
                        MC_ASSIGN_OR_RETURN(
                            config.attach_metadata_node,
                            reader.read_bool(node_value, join_path(attach_path, "node")));
                        return Status::ok();
                      }},
                 });
           }},
      },
      http_client_fields);
  if (!read) return read;
  if (Status finished = http_client.finish(node); !finished) return finished;
  if (!config.kubeconfig_file.empty() &&
      !std::filesystem::path(config.kubeconfig_file).is_absolute()) {
    std::filesystem::path directory =
        std::filesystem::path(std::string(reader.source_name())).parent_path();
    if (!directory.empty()) {
      config.kubeconfig_file = (directory / config.kubeconfig_file).lexically_normal().string();
    }
  }
  return check(reader, config, nodes, where);
}

}  // namespace

Status read_kubernetes_sd_configs(const YamlReader& reader, const YAML::Node& list,
                                  std::string_view where, std::vector<KubernetesSdConfig>& out) {
  return reader.for_each_item(list, where, [&](const YAML::Node& item, size_t index) -> Status {
    out.emplace_back();
    return read_kubernetes_sd_config(reader, item, index_path(where, index), out.back());
  });
}

}  // namespace mc
