// Where the Kubernetes discovery finds its API server
// (kubernetes_connection.hpp): in-cluster files and environment, api_server,
// and kubeconfig files, with an error naming the file and the problem for
// each way a kubeconfig can be wrong.
#include "collector/discovery/kubernetes_connection.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace mc::kubernetes {
namespace {

InClusterEnvironment environment(const std::filesystem::path& dir, const char* host,
                                 const char* port) {
  InClusterEnvironment env;
  env.service_account_dir = dir;
  env.getenv = [host, port](const char* name) -> const char* {
    if (std::string_view(name) == "KUBERNETES_SERVICE_HOST") return host;
    if (std::string_view(name) == "KUBERNETES_SERVICE_PORT") return port;
    return nullptr;
  };
  return env;
}

TEST_CASE("kubernetes connection: in-cluster reads the service account and the environment") {
  test::TempDir dir;
  dir.write_file("token", "abc\n");
  dir.write_file("namespace", "monitoring\n");
  KubernetesSdConfig config;
  config.role = "pod";
  auto connection = resolve_connection(config, environment(dir.path(), "10.96.0.1", "443"));
  REQUIRE(connection);
  CHECK(connection->server == "https://10.96.0.1:443");
  CHECK(connection->own_namespace == "monitoring");
  CHECK(connection->http_client.tls_config.ca_file == (dir.path() / "ca.crt").string());
  REQUIRE(connection->http_client.authorization);
  CHECK(connection->http_client.authorization->credentials_file == (dir.path() / "token").string());

  auto ipv6 = resolve_connection(config, environment(dir.path(), "fd00::1", "6443"));
  REQUIRE(ipv6);
  CHECK(ipv6->server == "https://[fd00::1]:6443");

  auto outside = resolve_connection(config, environment(dir.path(), nullptr, "443"));
  REQUIRE_FALSE(outside);
  CHECK(outside.error() ==
        "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and "
        "KUBERNETES_SERVICE_PORT must be defined");

  auto no_token = resolve_connection(config, environment(dir.path() / "nope", "10.0.0.1", "443"));
  REQUIRE_FALSE(no_token);
  CHECK(no_token.error().find("in-cluster service account token") != std::string::npos);
  CHECK(no_token.error().find("No such file or directory") != std::string::npos);
}

TEST_CASE("kubernetes connection: api_server keeps the job's HTTP client settings") {
  KubernetesSdConfig config;
  config.role = "node";
  config.api_server = "https://k8s.example:6443/";
  config.http_client.tls_config.ca_file = "/etc/ca.pem";
  auto connection = resolve_connection(config, {});
  REQUIRE(connection);
  CHECK(connection->server == "https://k8s.example:6443");
  CHECK(connection->http_client == config.http_client);
}

TEST_CASE("kubernetes connection: a kubeconfig's context, cluster and user") {
  test::TempDir dir;
  // "hello" and "key" in base64.
  auto file = dir.write_file("config", R"(apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: dev-cluster
  cluster:
    server: https://10.1.2.3:6443
    certificate-authority-data: aGVsbG8=
users:
- name: dev-user
  user:
    client-certificate: certs/client.pem
    client-key-data: a2V5
    token: static-token
contexts:
- name: dev
  context: {cluster: dev-cluster, user: dev-user, namespace: shop}
)");
  KubernetesSdConfig config;
  config.role = "pod";
  config.kubeconfig_file = file.string();
  auto connection = resolve_connection(config, {});
  REQUIRE(connection);
  CHECK(connection->server == "https://10.1.2.3:6443");
  CHECK(connection->ca_pem == "hello");
  CHECK(connection->client_key_pem == "key");
  CHECK(connection->http_client.tls_config.cert_file == (dir.path() / "certs/client.pem").string());
  REQUIRE(connection->http_client.authorization);
  CHECK(connection->http_client.authorization->credentials.value == "static-token");
}

TEST_CASE("kubernetes connection: each way a kubeconfig can be wrong is named") {
  test::TempDir dir;
  KubernetesSdConfig config;
  config.role = "pod";
  auto error_for = [&](const std::string& text) {
    config.kubeconfig_file = dir.write_file("config", text).string();
    auto connection = resolve_connection(config, {});
    REQUIRE_FALSE(connection);
    return connection.error();
  };
  const std::string prefix = "kubeconfig_file " + (dir.path() / "config").string();
  CHECK(error_for("clusters: []\n") == prefix + ": no current-context");
  CHECK(error_for("current-context: a\ncontexts: []\n") == prefix + ": context \"a\" not found");
  CHECK(error_for("current-context: a\ncontexts: [{name: a, context: {cluster: c}}]\n") ==
        prefix + ": cluster \"c\" not found");
  CHECK(error_for("current-context: a\ncontexts: [{name: a, context: {cluster: c}}]\n"
                  "clusters: [{name: c, cluster: {}}]\n") ==
        prefix + ": cluster \"c\" has no server");
  CHECK(error_for("current-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\n"
                  "clusters: [{name: c, cluster: {server: 'https://x'}}]\n") ==
        prefix + ": user \"u\" not found");
  CHECK(error_for("current-context: a\ncontexts: [{name: a, context: {cluster: c}}]\n"
                  "clusters: [{name: c, cluster: {server: 'https://x', "
                  "certificate-authority-data: 'no*base64'}}]\n") ==
        prefix + ": certificate-authority-data: illegal base64 data: character '*'");
  CHECK(error_for("current-context: [unclosed\n") ==
        prefix + ":2:1: end of sequence flow not found");

  config.kubeconfig_file = (dir.path() / "absent").string();
  auto absent = resolve_connection(config, {});
  REQUIRE_FALSE(absent);
  CHECK(absent.error() ==
        "kubeconfig_file " + (dir.path() / "absent").string() + ": No such file or directory");
}

TEST_CASE("kubernetes connection: base64 as kubeconfig's *-data fields") {
  CHECK(*decode_base64("aGVsbG8gd29ybGQ=") == "hello world");
  CHECK(*decode_base64("aGVsbG8gd29ybGQ") == "hello world");  // padding left out
  CHECK(*decode_base64("aGVs\nbG8=") == "hello");
  CHECK_FALSE(decode_base64("aGVsbG8=x"));
  CHECK_FALSE(decode_base64("a"));
}

}  // namespace
}  // namespace mc::kubernetes
