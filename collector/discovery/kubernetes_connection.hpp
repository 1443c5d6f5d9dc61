// KubernetesConnection: where a Kubernetes API server is and how to prove who
// we are to it, from one of the three places Prometheus 2.42 takes it:
//
//  - in-cluster (neither api_server nor kubeconfig_file): the service
//    account's token and CA under /var/run/secrets/kubernetes.io/serviceaccount/
//    and the KUBERNETES_SERVICE_HOST/PORT environment variables, as
//    client-go's rest.InClusterConfig; the namespace file names the pod's own
//    namespace (namespaces.own_namespace);
//  - api_server with the job's HTTP client settings (tls_config,
//    bearer_token_file, basic_auth, authorization);
//  - kubeconfig_file: its current-context's cluster (server,
//    certificate-authority[-data], insecure-skip-tls-verify) and user (token,
//    tokenFile, client-certificate[-data], client-key[-data], username and
//    password), files relative to the kubeconfig's folder.
//
// Files named here (token, CA, keys) are read at each request by the API
// client, so a rotated token is used at the next request; the *-data blobs of
// a kubeconfig are read once, with the file.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "common/config/http_client_config.hpp"
#include "common/config/service_discovery_config.hpp"
#include "common/util/status.hpp"

namespace mc::kubernetes {

struct KubernetesConnection {
  std::string server;  // "https://10.96.0.1:443", no trailing slash
  HttpClientConfig http_client;
  // PEM blobs a kubeconfig carries inline (certificate-authority-data, ...).
  std::string ca_pem;
  std::string client_cert_pem;
  std::string client_key_pem;
  // In-cluster only: the namespace the daemon's pod runs in ("" when unknown).
  std::string own_namespace;
  // How the connection was found, for the start-up log line.
  std::string origin;
};

struct InClusterEnvironment {
  std::filesystem::path service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
  // Looks up an environment variable; nullptr when unset (std::getenv by default).
  std::function<const char*(const char*)> getenv;
};

Result<KubernetesConnection> resolve_connection(const KubernetesSdConfig& config,
                                                const InClusterEnvironment& environment);

// Standard base64 (with or without padding), as kubeconfig's *-data fields.
Result<std::string> decode_base64(std::string_view text);

}  // namespace mc::kubernetes
