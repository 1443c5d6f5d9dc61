#include "collector/discovery/kubernetes_connection.hpp"

#include <cstdlib>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "common/util/read_file.hpp"

namespace mc::kubernetes {

namespace {

std::string without_trailing_slash(std::string url) {
  while (url.ends_with('/')) url.pop_back();
  return url;
}

Result<KubernetesConnection> in_cluster(const InClusterEnvironment& environment) {
  auto getenv = environment.getenv ? environment.getenv : [](const char* name) -> const char* {
    return std::getenv(name);
  };
  const char* host = getenv("KUBERNETES_SERVICE_HOST");
  const char* port = getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || port == nullptr || *host == '\0' || *port == '\0') {
    // client-go's words (rest.ErrNotInCluster).
    return Status::error(
        "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and "
        "KUBERNETES_SERVICE_PORT must be defined");
  }
  const std::filesystem::path& dir = environment.service_account_dir;
  KubernetesConnection connection;
  std::string host_text = host;
  if (host_text.find(':') != std::string::npos) host_text = "[" + host_text + "]";
  connection.server = fmt::format("https://{}:{}", host_text, port);
  // The token file is read at each request: the kubelet rotates it.
  if (auto token = read_file((dir / "token").string()); !token) {
    return Status::error(fmt::format("in-cluster service account token {}: {}",
                                     (dir / "token").string(), token.error()));
  }
  connection.http_client.authorization = Authorization{};
  connection.http_client.authorization->credentials_file = (dir / "token").string();
  connection.http_client.tls_config.ca_file = (dir / "ca.crt").string();
  if (auto ns = read_file((dir / "namespace").string())) {
    std::string text = *ns;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    connection.own_namespace = text;
  }
  connection.origin = "in-cluster service account " + dir.string();
  return connection;
}

// A kubeconfig path relative to the kubeconfig's own folder, as client-go
// resolves them.
std::string resolve_path(const std::filesystem::path& base, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (base / path).string();
}

const YAML::Node find_named(const YAML::Node& list, const std::string& name,
                            const char* inner_key) {
  if (!list.IsSequence()) return YAML::Node();
  for (const YAML::Node& item : list) {
    if (item["name"] && item["name"].Scalar() == name) return item[inner_key];
  }
  return YAML::Node();
}

std::string scalar(const YAML::Node& node, const char* key) {
  if (!node.IsMap()) return "";
  YAML::Node value = node[key];
  return value && value.IsScalar() ? value.Scalar() : "";
}

Result<KubernetesConnection> from_kubeconfig(const std::string& file) {
  auto text = read_file(file);
  if (!text) return Status::error(fmt::format("kubeconfig_file {}: {}", file, text.error()));
  YAML::Node root;
  try {
    root = YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    return Status::error(fmt::format("kubeconfig_file {}:{}:{}: {}", file, e.mark.line + 1,
                                     e.mark.column + 1, e.msg));
  }
  std::filesystem::path base = std::filesystem::path(file).parent_path();
  std::string context_name = scalar(root, "current-context");
  if (context_name.empty()) {
    return Status::error(fmt::format("kubeconfig_file {}: no current-context", file));
  }
  YAML::Node context = find_named(root["contexts"], context_name, "context");
  if (!context.IsMap()) {
    return Status::error(
        fmt::format("kubeconfig_file {}: context {:?} not found", file, context_name));
  }
  std::string cluster_name = scalar(context, "cluster");
  YAML::Node cluster = find_named(root["clusters"], cluster_name, "cluster");
  if (!cluster.IsMap()) {
    return Status::error(
        fmt::format("kubeconfig_file {}: cluster {:?} not found", file, cluster_name));
  }
  KubernetesConnection connection;
  connection.server = without_trailing_slash(scalar(cluster, "server"));
  if (connection.server.empty()) {
    return Status::error(
        fmt::format("kubeconfig_file {}: cluster {:?} has no server", file, cluster_name));
  }
  TlsConfig& tls = connection.http_client.tls_config;
  tls.ca_file = resolve_path(base, scalar(cluster, "certificate-authority"));
  tls.insecure_skip_verify = scalar(cluster, "insecure-skip-tls-verify") == "true";
  tls.server_name = scalar(cluster, "tls-server-name");
  auto decode = [&](const YAML::Node& node, const char* key, std::string& out) -> Status {
    std::string data = scalar(node, key);
    if (data.empty()) return Status::ok();
    auto decoded = decode_base64(data);
    if (!decoded) {
      return Status::error(fmt::format("kubeconfig_file {}: {}: {}", file, key, decoded.error()));
    }
    out = std::move(*decoded);
    return Status::ok();
  };
  if (Status s = decode(cluster, "certificate-authority-data", connection.ca_pem); !s) return s;

  std::string user_name = scalar(context, "user");
  YAML::Node user = find_named(root["users"], user_name, "user");
  if (!user_name.empty() && !user.IsMap()) {
    return Status::error(fmt::format("kubeconfig_file {}: user {:?} not found", file, user_name));
  }
  if (user.IsMap()) {
    tls.cert_file = resolve_path(base, scalar(user, "client-certificate"));
    tls.key_file = resolve_path(base, scalar(user, "client-key"));
    if (Status s = decode(user, "client-certificate-data", connection.client_cert_pem); !s) {
      return s;
    }
    if (Status s = decode(user, "client-key-data", connection.client_key_pem); !s) return s;
    std::string token = scalar(user, "token");
    std::string token_file = resolve_path(base, scalar(user, "tokenFile"));
    if (!token.empty() || !token_file.empty()) {
      connection.http_client.authorization = Authorization{};
      // client-go prefers the file when both are given: it is what rotates.
      if (!token_file.empty()) {
        connection.http_client.authorization->credentials_file = token_file;
      } else {
        connection.http_client.authorization->credentials.value = token;
      }
    } else if (!scalar(user, "username").empty()) {
      connection.http_client.basic_auth = BasicAuth{};
      connection.http_client.basic_auth->username = scalar(user, "username");
      connection.http_client.basic_auth->password.value = scalar(user, "password");
    }
  }
  connection.origin = fmt::format("kubeconfig_file {} (context {:?})", file, context_name);
  return connection;
}

}  // namespace

Result<std::string> decode_base64(std::string_view text) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  size_t padding = 0;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == ' ') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return Status::error("illegal base64 data: text after padding");
    int value = value_of(c);
    if (value < 0) return Status::error(fmt::format("illegal base64 data: character {:?}", c));
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  if (padding > 2 || bits >= 6) return Status::error("illegal base64 data: bad length");
  return out;
}

Result<KubernetesConnection> resolve_connection(const KubernetesSdConfig& config,
                                                const InClusterEnvironment& environment) {
  if (!config.kubeconfig_file.empty()) return from_kubeconfig(config.kubeconfig_file);
  if (config.api_server.empty()) return in_cluster(environment);
  KubernetesConnection connection;
  connection.server = without_trailing_slash(config.api_server);
  connection.http_client = config.http_client;
  connection.origin = "api_server " + connection.server;
  return connection;
}

}  // namespace mc::kubernetes
