// The HTTP client keys of a scrape config (http_client_section.hpp): what they
// fill, and each of Prometheus 2.42's rules with its words and position.
#include <catch2/catch.hpp>
#include <string>

#include <fmt/format.h>

#include "common/config/config.hpp"
#include "tests/support/config_parsing.hpp"

namespace mc {
namespace {

using test::parse_config_error;
using test::parse_config_ok;

// A job whose lines after the first three are `keys` (indented by 4).
std::string job_with(std::string_view keys) {
  return "scrape_configs:\n  - job_name: a\n    scheme: https\n" + std::string(keys);
}

HttpClientConfig http_client_of(std::string_view keys) {
  Config config = parse_config_ok(job_with(keys));
  REQUIRE(config.scrape_configs.size() == 1);
  return config.scrape_configs[0].http_client;
}

TEST_CASE("http client config: Prometheus's defaults", "[config][http_client]") {
  HttpClientConfig client = http_client_of("");
  CHECK(client == HttpClientConfig{});
  CHECK(client.follow_redirects);
  CHECK(client.enable_http2);
  CHECK_FALSE(client.basic_auth);
  CHECK_FALSE(client.authorization);
  CHECK(client.proxy_url.empty());
}

TEST_CASE("http client config: every key is read", "[config][http_client]") {
  HttpClientConfig client = http_client_of(R"(    basic_auth:
      username: alice
      password_file: /etc/pw
    tls_config:
      ca_file: /etc/ca.pem
      cert_file: /etc/client.pem
      key_file: /etc/client.key
      server_name: metrics.example
      insecure_skip_verify: true
      min_version: TLS12
      max_version: TLS13
    proxy_url: http://proxy:3128
    follow_redirects: false
    enable_http2: no
)");
  REQUIRE(client.basic_auth);
  CHECK(client.basic_auth->username == "alice");
  CHECK(client.basic_auth->password.empty());
  CHECK(client.basic_auth->password_file == "/etc/pw");
  CHECK(client.tls_config.ca_file == "/etc/ca.pem");
  CHECK(client.tls_config.cert_file == "/etc/client.pem");
  CHECK(client.tls_config.key_file == "/etc/client.key");
  CHECK(client.tls_config.server_name == "metrics.example");
  CHECK(client.tls_config.insecure_skip_verify);
  CHECK(client.tls_config.min_version == "TLS12");
  CHECK(client.tls_config.max_version == "TLS13");
  CHECK(client.proxy_url == "http://proxy:3128");
  CHECK_FALSE(client.follow_redirects);
  CHECK_FALSE(client.enable_http2);
}

TEST_CASE("http client config: authorization, and bearer_token* become type Bearer",
          "[config][http_client]") {
  auto custom = http_client_of("    authorization:\n      type: Token\n      credentials: s3\n");
  REQUIRE(custom.authorization);
  CHECK(custom.authorization->type == "Token");
  CHECK(custom.authorization->credentials.value == "s3");

  // An empty or blank type is Bearer, as Prometheus trims it.
  auto blank =
      http_client_of("    authorization:\n      type: \"  \"\n      credentials_file: /t\n");
  REQUIRE(blank.authorization);
  CHECK(blank.authorization->type == "Bearer");
  CHECK(blank.authorization->credentials_file == "/t");

  auto token = http_client_of("    bearer_token: abc\n");
  REQUIRE(token.authorization);
  CHECK(token.authorization->type == "Bearer");
  CHECK(token.authorization->credentials.value == "abc");

  auto token_file = http_client_of("    bearer_token_file: /var/run/token\n");
  REQUIRE(token_file.authorization);
  CHECK(token_file.authorization->type == "Bearer");
  CHECK(token_file.authorization->credentials_file == "/var/run/token");
}

TEST_CASE("http client config: at most one way to authenticate", "[config][http_client][errors]") {
  CHECK(parse_config_error(job_with("    bearer_token: x\n    bearer_token_file: /t\n")) ==
        "config.yml:5:24: scrape_configs[0]: at most one of bearer_token & bearer_token_file "
        "must be configured");
  CHECK(parse_config_error(job_with("    basic_auth: {username: a}\n    bearer_token: x\n")) ==
        "config.yml:5:19: scrape_configs[0]: at most one of basic_auth, oauth2, bearer_token & "
        "bearer_token_file must be configured");
  CHECK(parse_config_error(job_with("    basic_auth: {username: a}\n    bearer_token_file: t\n")) ==
        "config.yml:5:24: scrape_configs[0]: at most one of basic_auth, oauth2, bearer_token & "
        "bearer_token_file must be configured");
  CHECK(
      parse_config_error(job_with("    authorization: {credentials: x}\n    bearer_token: y\n")) ==
      "config.yml:4:20: scrape_configs[0]: authorization is not compatible with bearer_token & "
      "bearer_token_file");
  CHECK(parse_config_error(
            job_with("    authorization: {credentials: x}\n    basic_auth: {username: a}\n")) ==
        "config.yml:4:20: scrape_configs[0]: at most one of basic_auth, oauth2 & authorization "
        "must be configured");
}

TEST_CASE("http client config: a secret and its file, not both", "[config][http_client][errors]") {
  CHECK(parse_config_error(
            job_with("    basic_auth:\n      username: a\n      password: b\n      password_file: "
                     "/p\n")) ==
        "config.yml:5:7: scrape_configs[0]: at most one of basic_auth password & password_file "
        "must be configured");
  CHECK(parse_config_error(
            job_with("    authorization:\n      credentials: b\n      credentials_file: /c\n")) ==
        "config.yml:5:7: scrape_configs[0]: at most one of authorization credentials & "
        "credentials_file must be configured");
}

TEST_CASE("http client config: authorization type basic is refused",
          "[config][http_client][errors]") {
  for (std::string_view type : {"basic", "Basic", "BASIC", " basic "}) {
    CHECK(parse_config_error(job_with(fmt::format(
              "    authorization:\n      type: \"{}\"\n      credentials: x\n", type))) ==
          "config.yml:5:13: scrape_configs[0]: authorization type cannot be set to \"basic\", use "
          "\"basic_auth\" instead");
  }
}

TEST_CASE("http client config: TLS versions and the client key pair",
          "[config][http_client][errors]") {
  for (std::string_view version : {"TLS10", "TLS11", "TLS12", "TLS13"}) {
    CHECK(http_client_of(fmt::format("    tls_config: {{min_version: {}}}\n", version))
              .tls_config.min_version == version);
  }
  CHECK(parse_config_error(job_with("    tls_config:\n      min_version: tls12\n")) ==
        "config.yml:5:20: scrape_configs[0].tls_config.min_version: unknown TLS version: tls12 "
        "(want TLS10, TLS11, TLS12 or TLS13)");
  CHECK(parse_config_error(job_with("    tls_config:\n      max_version: TLS14\n")) ==
        "config.yml:5:20: scrape_configs[0].tls_config.max_version: unknown TLS version: TLS14 "
        "(want TLS10, TLS11, TLS12 or TLS13)");
  CHECK(parse_config_error(
            job_with("    tls_config:\n      min_version: TLS13\n      max_version: TLS12\n")) ==
        "config.yml:5:7: scrape_configs[0].tls_config: max_version TLS12 is lower than "
        "min_version TLS13");
  CHECK(parse_config_error(job_with("    tls_config:\n      cert_file: /c.pem\n")) ==
        "config.yml:5:7: scrape_configs[0].tls_config: client cert file \"/c.pem\" specified "
        "without client key file");
  CHECK(parse_config_error(job_with("    tls_config:\n      key_file: /c.key\n")) ==
        "config.yml:5:7: scrape_configs[0].tls_config: client key file \"/c.key\" specified "
        "without client cert file");
  CHECK(parse_config_error(job_with("    tls_config:\n      insecure_skip_verify: \"true\"\n")) ==
        "config.yml:5:29: scrape_configs[0].tls_config.insecure_skip_verify: expected true or "
        "false, got \"true\"");
  // 2.42 has no inline ca/cert/key (later versions do).
  CHECK(parse_config_error(job_with("    tls_config:\n      ca: abc\n")) ==
        "config.yml:5:7: unknown field \"ca\" in scrape_configs[0].tls_config");
}

TEST_CASE("http client config: unknown keys in the nested sections",
          "[config][http_client][errors]") {
  CHECK(parse_config_error(job_with("    basic_auth:\n      usernam: a\n")) ==
        "config.yml:5:7: unknown field \"usernam\" in scrape_configs[0].basic_auth (did you mean "
        "\"username\"?)");
  CHECK(parse_config_error(job_with("    authorization:\n      credential: a\n")) ==
        "config.yml:5:7: unknown field \"credential\" in scrape_configs[0].authorization (did "
        "you mean \"credentials\"?)");
  CHECK(parse_config_error(job_with("    bearer_tokn: a\n")) ==
        "config.yml:4:5: unknown field \"bearer_tokn\" in scrape_configs[0] (did you mean "
        "\"bearer_token\"?)");
}

TEST_CASE("http client config: oauth2 is refused, naming it", "[config][http_client][errors]") {
  CHECK(parse_config_error(job_with("    oauth2:\n      client_id: a\n")) ==
        "config.yml:5:7: scrape_configs[0]: \"oauth2\" is not supported by metrics-collector yet; "
        "use authorization with a credentials_file that something else keeps fresh");
}

TEST_CASE("http client config: proxy_url must parse as Go's url.Parse",
          "[config][http_client][errors]") {
  CHECK(http_client_of("    proxy_url: socks5://127.0.0.1:1080\n").proxy_url ==
        "socks5://127.0.0.1:1080");
  CHECK(parse_config_error(job_with("    proxy_url: \"::\"\n")) ==
        "config.yml:4:16: scrape_configs[0].proxy_url: parse \"::\": missing protocol scheme");
  CHECK(parse_config_error(job_with("    proxy_url: \"http://a:%zz\"\n")) ==
        "config.yml:4:16: scrape_configs[0].proxy_url: parse \"http://a:%zz\": invalid port "
        "\":%zz\" after host");
  CHECK(parse_config_error(job_with("    proxy_url: \"http://a%zzb/\"\n")) ==
        "config.yml:4:16: scrape_configs[0].proxy_url: parse \"http://a%zzb/\": invalid URL "
        "escape \"%zz\"");
  // The password of a proxy never reaches an error.
  const std::string error =
      parse_config_error(job_with("    proxy_url: \"http://u:hunter2@p:x/\"\n"));
  CHECK(error ==
        "config.yml:4:16: scrape_configs[0].proxy_url: parse \"http://u:xxxxx@p:x/\": invalid "
        "port \":x\" after host");
  CHECK(error.find("hunter2") == std::string::npos);
}

TEST_CASE("http client config: relative files are the config file's directory's",
          "[config][http_client]") {
  const std::string yaml = job_with(R"(    tls_config:
      ca_file: certs/ca.pem
      cert_file: /abs/client.pem
      key_file: ../client.key
    basic_auth:
      password_file: pw
)");
  auto config = parse_config(yaml, "/etc/mc/config.yml");
  REQUIRE(config.is_ok());
  const HttpClientConfig& client = config->scrape_configs.at(0).http_client;
  CHECK(client.tls_config.ca_file == "/etc/mc/certs/ca.pem");
  CHECK(client.tls_config.cert_file == "/abs/client.pem");
  CHECK(client.tls_config.key_file == "/etc/client.key");
  CHECK(client.basic_auth->password_file == "/etc/mc/pw");

  auto token = parse_config(job_with("    bearer_token_file: token\n"), "/etc/mc/config.yml");
  REQUIRE(token.is_ok());
  CHECK(token->scrape_configs.at(0).http_client.authorization->credentials_file == "/etc/mc/token");
  // Parsed from text named without a directory, names stay as written.
  CHECK(http_client_of("    bearer_token_file: token\n").authorization->credentials_file ==
        "token");
}

}  // namespace
}  // namespace mc
