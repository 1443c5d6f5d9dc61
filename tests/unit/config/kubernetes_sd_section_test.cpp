// kubernetes_sd_configs (kubernetes_sd_section.hpp): what each key fills, and
// each of Prometheus 2.42's rules with its words and position.
#include <catch2/catch.hpp>
#include <string>

#include "common/config/config.hpp"
#include "tests/support/config_parsing.hpp"

namespace mc {
namespace {

using test::parse_config_error;
using test::parse_config_ok;

// A job whose kubernetes_sd_configs item is `item` (its lines indented by 8).
std::string with_sd(std::string_view item) {
  return "scrape_configs:\n  - job_name: k\n    kubernetes_sd_configs:\n" + std::string(item);
}

TEST_CASE("kubernetes_sd config: every key is read", "[config][kubernetes]") {
  Config config = parse_config_ok(with_sd(R"(      - role: endpoints
        api_server: https://10.96.0.1:443
        bearer_token_file: /var/run/token
        tls_config:
          ca_file: /etc/k8s/ca.crt
          insecure_skip_verify: false
        namespaces:
          names: [shop, web]
        selectors:
          - role: pod
            label: app=web
            field: status.phase=Running
          - role: endpoints
            label: tier!=db
        attach_metadata:
          node: true
      - role: node
)"));
  const auto& sds = config.scrape_configs.at(0).kubernetes_sd_configs;
  REQUIRE(sds.size() == 2);
  const KubernetesSdConfig& sd = sds[0];
  CHECK(sd.role == "endpoints");
  CHECK(sd.api_server == "https://10.96.0.1:443");
  REQUIRE(sd.http_client.authorization);
  CHECK(sd.http_client.authorization->type == "Bearer");
  CHECK(sd.http_client.authorization->credentials_file == "/var/run/token");
  CHECK(sd.http_client.tls_config.ca_file == "/etc/k8s/ca.crt");
  CHECK(sd.namespaces == std::vector<std::string>{"shop", "web"});
  CHECK_FALSE(sd.own_namespace);
  REQUIRE(sd.selectors.size() == 2);
  CHECK(sd.selectors[0] == KubernetesSelector{"pod", "app=web", "status.phase=Running"});
  CHECK(sd.selectors[1] == KubernetesSelector{"endpoints", "tier!=db", ""});
  CHECK(sd.attach_metadata_node);
  CHECK(sds[1].role == "node");
  CHECK(sds[1].api_server.empty());  // in-cluster
  CHECK(sds[1].http_client == HttpClientConfig{});
}

TEST_CASE("kubernetes_sd config: own_namespace in-cluster, and kubeconfig_file beside the config",
          "[config][kubernetes]") {
  Config config = parse_config_ok(with_sd(R"(      - role: pod
        namespaces:
          own_namespace: true
)"));
  CHECK(config.scrape_configs[0].kubernetes_sd_configs[0].own_namespace);

  auto parsed =
      parse_config(with_sd("      - role: service\n        kubeconfig_file: kube/config\n"),
                   "/etc/metrics-collector/config.yml");
  REQUIRE(parsed);
  CHECK(parsed->scrape_configs[0].kubernetes_sd_configs[0].kubeconfig_file ==
        "/etc/metrics-collector/kube/config");
}

TEST_CASE("kubernetes_sd config: Prometheus's rules, in its words",
          "[config][kubernetes][errors]") {
  CHECK(parse_config_error(with_sd("      - api_server: https://k:6443\n")) ==
        "config.yml:4:9: scrape_configs[0].kubernetes_sd_configs[0]: role missing (one of: pod, "
        "service, endpoints, endpointslice, node, ingress)");
  CHECK(parse_config_error(with_sd("      - role: pods\n")) ==
        "config.yml:4:15: scrape_configs[0].kubernetes_sd_configs[0].role: unknown Kubernetes SD "
        "role \"pods\"");
  CHECK(parse_config_error(with_sd("      - role: ingress\n        selectors:\n"
                                   "          - role: service\n")) ==
        "config.yml:6:13: scrape_configs[0].kubernetes_sd_configs[0]: ingress role supports "
        "only ingress selectors");
  CHECK(parse_config_error(with_sd("      - role: pod\n        api_server: https://k:6443\n"
                                   "        kubeconfig_file: /k\n")) ==
        "config.yml:6:26: scrape_configs[0].kubernetes_sd_configs[0]: cannot use "
        "'kubeconfig_file' and 'api_server' simultaneously");
  CHECK(parse_config_error(with_sd("      - role: pod\n        kubeconfig_file: /k\n"
                                   "        bearer_token_file: /t\n")) ==
        "config.yml:5:26: scrape_configs[0].kubernetes_sd_configs[0]: cannot use a custom HTTP "
        "client configuration together with 'kubeconfig_file'");
  CHECK(parse_config_error(with_sd("      - role: pod\n        tls_config:\n"
                                   "          insecure_skip_verify: true\n")) ==
        "config.yml:4:9: scrape_configs[0].kubernetes_sd_configs[0]: to use custom HTTP client "
        "configuration please provide the 'api_server' URL explicitly");
  CHECK(parse_config_error(with_sd("      - role: pod\n        api_server: https://k:6443\n"
                                   "        namespaces: {own_namespace: true}\n")) ==
        "config.yml:6:37: scrape_configs[0].kubernetes_sd_configs[0]: cannot use 'api_server' "
        "and 'namespaces.own_namespace' simultaneously");
  CHECK(parse_config_error(with_sd("      - role: pod\n        kubeconfig_file: /k\n"
                                   "        namespaces: {own_namespace: true}\n")) ==
        "config.yml:6:37: scrape_configs[0].kubernetes_sd_configs[0]: cannot use "
        "'kubeconfig_file' and 'namespaces.own_namespace' simultaneously");
  CHECK(parse_config_error(with_sd("      - role: pod\n        selectors:\n"
                                   "          - role: service\n            label: a=b\n")) ==
        "config.yml:6:13: scrape_configs[0].kubernetes_sd_configs[0]: pod role supports only pod "
        "selectors");
  CHECK(parse_config_error(with_sd("      - role: endpointslice\n        selectors:\n"
                                   "          - role: node\n")) ==
        "config.yml:6:13: scrape_configs[0].kubernetes_sd_configs[0]: endpointslice role "
        "supports only pod, service, endpointslice selectors");
  CHECK(parse_config_error(with_sd("      - role: endpoints\n        selectors:\n"
                                   "          - {role: pod, label: a=b}\n"
                                   "          - {role: pod, field: x=y}\n")) ==
        "config.yml:7:13: scrape_configs[0].kubernetes_sd_configs[0]: duplicated selector role: "
        "pod");
  CHECK(parse_config_error(with_sd("      - role: pod\n        selectors:\n"
                                   "          - role: pood\n")) ==
        "config.yml:6:19: scrape_configs[0].kubernetes_sd_configs[0].selectors[0].role: unknown "
        "Kubernetes SD role \"pood\"");
  CHECK(parse_config_error(with_sd("      - role: pod\n        api_server: ':bad'\n")) ==
        "config.yml:5:21: scrape_configs[0].kubernetes_sd_configs[0].api_server: parse \":bad\": "
        "missing protocol scheme");
  CHECK(parse_config_error(with_sd("      - role: pod\n        namespace: [a]\n"))
            .find("unknown field \"namespace\"") != std::string::npos);
}

}  // namespace
}  // namespace mc
