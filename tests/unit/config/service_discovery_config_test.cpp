// file_sd_configs, http_sd_configs and dns_sd_configs in a job: Prometheus
// 2.42's defaults (file 5m, http 1m, dns 30s and type SRV) and its checks
// (discovery/{file,http,dns} SDConfig.UnmarshalYAML), each refused at the
// entry's file:line:col with Prometheus's words.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "common/config/config.hpp"
#include "tests/support/config_parsing.hpp"

using mc::test::parse_config_error;
using mc::test::parse_config_ok;
using namespace std::chrono_literals;

TEST_CASE("config: service discovery sections take Prometheus's defaults", "[config][sd]") {
  auto config = parse_config_ok(R"yaml(scrape_configs:
  - job_name: a
    file_sd_configs:
      - files: [targets/*.json, more.yml]
      - files: [x.YAML]
        refresh_interval: 10s
    http_sd_configs:
      - url: http://sd.example:8080/targets?x=1
      - url: HTTPS://sd.example/
        refresh_interval: 15s
    dns_sd_configs:
      - names: [_prometheus._tcp.example.org]
      - names: [a.example.org, b.example.org]
        type: a
        port: 9100
        refresh_interval: 1m
      - names: [mx.example.org]
        type: MX
        port: 25
)yaml");
  const auto& job = config.scrape_configs.at(0);
  REQUIRE(job.file_sd_configs.size() == 2);
  CHECK(job.file_sd_configs[0].files == std::vector<std::string>{"targets/*.json", "more.yml"});
  CHECK(job.file_sd_configs[0].refresh_interval == 5min);
  CHECK(job.file_sd_configs[1].refresh_interval == 10s);
  REQUIRE(job.http_sd_configs.size() == 2);
  CHECK(job.http_sd_configs[0].url == "http://sd.example:8080/targets?x=1");
  CHECK(job.http_sd_configs[0].refresh_interval == 1min);
  CHECK(job.http_sd_configs[1].refresh_interval == 15s);
  REQUIRE(job.dns_sd_configs.size() == 3);
  CHECK(job.dns_sd_configs[0].type == "SRV");
  CHECK(job.dns_sd_configs[0].port == 0);
  CHECK(job.dns_sd_configs[0].refresh_interval == 30s);
  CHECK(job.dns_sd_configs[1].names == std::vector<std::string>{"a.example.org", "b.example.org"});
  CHECK(job.dns_sd_configs[1].type == "A");  // compared without case, as Prometheus does
  CHECK(job.dns_sd_configs[1].port == 9100);
  CHECK(job.dns_sd_configs[1].refresh_interval == 1min);
  CHECK(job.dns_sd_configs[2].type == "MX");
  CHECK(config.warnings.empty());
}

TEST_CASE("config: file_sd_configs errors", "[config][sd][errors]") {
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    file_sd_configs:\n"
                           "      - refresh_interval: 1m\n") ==
        "config.yml:4:9: scrape_configs[0].file_sd_configs[0]: file service discovery config "
        "must contain at least one path name");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    file_sd_configs:\n"
                           "      - files: []\n") ==
        "config.yml:4:16: scrape_configs[0].file_sd_configs[0]: file service discovery config "
        "must contain at least one path name");
  // The extension decides the parser; a glob is allowed in the last element only.
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    file_sd_configs:\n"
                           "      - files: [targets.txt]\n") ==
        "config.yml:4:17: scrape_configs[0].file_sd_configs[0]: path name \"targets.txt\" is not "
        "valid for file discovery (want a .json, .yml or .yaml file, with a glob only in the "
        "last path element)");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    file_sd_configs:\n"
                           "      - files: [\"*/t.json\"]\n")
            .starts_with("config.yml:4:17: scrape_configs[0].file_sd_configs[0]: path name "
                         "\"*/t.json\" is not valid for file discovery"));
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    file_sd_configs:\n"
                           "      - files: [t.json]\n        refresh_interval: 0s\n") ==
        "config.yml:5:27: scrape_configs[0].file_sd_configs[0].refresh_interval: "
        "refresh_interval must be greater than 0");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    file_sd_configs:\n"
                           "      - files: [t.json]\n        file: x\n")
            .starts_with("config.yml:5:9: unknown field \"file\" in "
                         "scrape_configs[0].file_sd_configs[0] (did you mean \"files\"?)"));
}

TEST_CASE("config: http_sd_configs errors", "[config][sd][errors]") {
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    http_sd_configs:\n"
                           "      - refresh_interval: 1m\n") ==
        "config.yml:4:9: scrape_configs[0].http_sd_configs[0]: URL is missing");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    http_sd_configs:\n"
                           "      - url: ftp://x/\n") ==
        "config.yml:4:14: scrape_configs[0].http_sd_configs[0].url: URL scheme must be 'http' "
        "or 'https'");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    http_sd_configs:\n"
                           "      - url: sd.example/targets\n") ==
        "config.yml:4:14: scrape_configs[0].http_sd_configs[0].url: URL scheme must be 'http' "
        "or 'https'");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    http_sd_configs:\n"
                           "      - url: http:///targets\n") ==
        "config.yml:4:14: scrape_configs[0].http_sd_configs[0].url: host is missing in URL");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    http_sd_configs:\n"
                           "      - url: http://x/\n        refresh_interval: 1.5s\n")
            .starts_with("config.yml:5:27: "));
}

TEST_CASE("config: dns_sd_configs errors", "[config][sd][errors]") {
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    dns_sd_configs:\n"
                           "      - type: SRV\n") ==
        "config.yml:4:9: scrape_configs[0].dns_sd_configs[0]: DNS-SD config must contain at "
        "least one SRV record name");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    dns_sd_configs:\n"
                           "      - names: [x.example]\n        type: TXT\n") ==
        "config.yml:5:15: scrape_configs[0].dns_sd_configs[0]: invalid DNS-SD records type TXT "
        "(want SRV, A, AAAA or MX)");
  for (const char* type : {"A", "AAAA", "MX"}) {
    CHECK(parse_config_error(std::string("scrape_configs:\n  - job_name: a\n    dns_sd_configs:\n"
                                         "      - names: [x.example]\n        type: ") +
                             type + "\n") ==
          "config.yml:4:9: scrape_configs[0].dns_sd_configs[0]: a port is required in DNS-SD "
          "configs for all record types except SRV");
  }
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    dns_sd_configs:\n"
                           "      - names: [x.example]\n        port: 70000\n")
            .starts_with("config.yml:5:15: scrape_configs[0].dns_sd_configs[0].port: "));
}

TEST_CASE("config: http_sd_configs take the HTTP client keys, with their rules", "[config][sd]") {
  auto config = parse_config_ok(R"yaml(scrape_configs:
  - job_name: a
    http_sd_configs:
      - url: https://sd.example/targets
        basic_auth:
          username: u
          password: p
        tls_config:
          insecure_skip_verify: true
        follow_redirects: false
)yaml");
  const auto& sd = config.scrape_configs.at(0).http_sd_configs.at(0);
  REQUIRE(sd.http_client.basic_auth);
  CHECK(sd.http_client.basic_auth->username == "u");
  CHECK(sd.http_client.tls_config.insecure_skip_verify);
  CHECK_FALSE(sd.http_client.follow_redirects);
  // The job's own client settings are another thing.
  CHECK_FALSE(config.scrape_configs.at(0).http_client.basic_auth);

  CHECK_THAT(parse_config_error("scrape_configs:\n  - job_name: a\n    http_sd_configs:\n"
                                "      - url: http://x/\n        basic_auth: {username: u}\n"
                                "        authorization: {credentials: c}\n"),
             Catch::StartsWith("config.yml:6:24: scrape_configs[0].http_sd_configs[0]: at most "
                               "one of basic_auth, oauth2 & authorization must be configured"));
}
