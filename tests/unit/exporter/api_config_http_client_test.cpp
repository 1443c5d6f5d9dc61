// /api/v1/status/config's scrape jobs with TLS, authentication and a proxy:
// written in Prometheus 2.42's order, with every secret as "<secret>" and a
// proxy's password as "xxxxx" (checked against what Prometheus 2.42 prints).
#include <catch2/catch.hpp>
#include <string>

#include "common/config/config.hpp"
#include "exporter/api/api_config_yaml.hpp"

namespace mc::api {
namespace {

Config config_with(HttpClientConfig client) {
  Config config;
  ScrapeConfig job;
  job.job_name = "a";
  job.scrape_interval = std::chrono::minutes(1);
  job.scrape_timeout = std::chrono::seconds(10);
  job.scheme = "https";
  job.sample_limit = 0;
  job.body_size_limit = 0;
  job.http_client = std::move(client);
  job.static_configs.push_back({{"127.0.0.1:1"}, {}});
  config.scrape_configs.push_back(job);
  return config;
}

TEST_CASE("config YAML: http client settings with secrets as <secret>",
          "[exporter][api][http_client]") {
  HttpClientConfig client;
  client.basic_auth = BasicAuth{.username = "u", .password = {"hunter2"}, .password_file = ""};
  client.proxy_url = "http://u:proxypw@proxy:3128";
  client.tls_config.ca_file = "ca.pem";
  client.tls_config.server_name = "x";
  client.tls_config.min_version = "TLS12";
  const std::string yaml = config_yaml(config_with(client));
  INFO(yaml);
  CHECK(yaml.find("hunter2") == std::string::npos);
  CHECK(yaml.find("proxypw") == std::string::npos);
  CHECK(yaml.find("  scheme: https\n"
                  "  basic_auth:\n"
                  "    username: u\n"
                  "    password: <secret>\n"
                  "  proxy_url: http://u:xxxxx@proxy:3128\n"
                  "  tls_config:\n"
                  "    ca_file: ca.pem\n"
                  "    server_name: x\n"
                  "    insecure_skip_verify: false\n"
                  "    min_version: TLS12\n"
                  "  follow_redirects: true\n"
                  "  enable_http2: true\n"
                  "  static_configs:\n") != std::string::npos);
}

TEST_CASE("config YAML: authorization, inline or from a file", "[exporter][api][http_client]") {
  HttpClientConfig inline_token;
  inline_token.authorization =
      Authorization{.type = "Token", .credentials = {"s3cr3t-token"}, .credentials_file = ""};
  inline_token.follow_redirects = false;
  inline_token.enable_http2 = false;
  inline_token.tls_config.cert_file = "/c";
  inline_token.tls_config.key_file = "/k";
  inline_token.tls_config.insecure_skip_verify = true;
  const std::string yaml = config_yaml(config_with(inline_token));
  INFO(yaml);
  CHECK(yaml.find("s3cr3t-token") == std::string::npos);
  CHECK(yaml.find("  authorization:\n"
                  "    type: Token\n"
                  "    credentials: <secret>\n"
                  "  tls_config:\n"
                  "    cert_file: /c\n"
                  "    key_file: /k\n"
                  "    insecure_skip_verify: true\n"
                  "  follow_redirects: false\n"
                  "  enable_http2: false\n") != std::string::npos);

  HttpClientConfig token_file;
  token_file.authorization = Authorization{};
  token_file.authorization->credentials_file = "tok";
  CHECK(config_yaml(config_with(token_file))
            .find("  authorization:\n"
                  "    type: Bearer\n"
                  "    credentials_file: tok\n"
                  "  follow_redirects: true\n") != std::string::npos);
}

}  // namespace
}  // namespace mc::api
