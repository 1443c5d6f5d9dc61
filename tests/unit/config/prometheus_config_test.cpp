// Prometheus configs as users have them (tests/data/config, sources in its
// README): each loads with exactly the warnings named here, or fails with
// exactly the errors named here, so that a change in what we accept from a
// stock prometheus.yml shows up as a test diff.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "common/config/config.hpp"

using namespace std::chrono_literals;

namespace {

const std::string kDataDir = MC_SOURCE_DIR "/tests/data/config/";

mc::Config load_ok(const std::string& path) {
  auto config = mc::load_config_file(path);
  if (!config) FAIL("unexpected error: " << config.error());
  return *config;
}

std::string load_error(const std::string& path) {
  auto config = mc::load_config_file(path);
  REQUIRE_FALSE(config.is_ok());
  return config.error();
}

}  // namespace

TEST_CASE("Debian's stock /etc/prometheus/prometheus.yml loads with two warnings",
          "[config][prometheus]") {
  const std::string path = kDataDir + "debian-prometheus.yml";
  auto config = load_ok(path);
  CHECK(config.warnings ==
        std::vector<std::string>{
            path + ":5:3: global: \"evaluation_interval\" is ignored: metrics-collector "
                   "evaluates no rules",
            path + ":14:1: \"alerting\" is ignored: with no rules there are no alerts to send",
        });
  CHECK(config.global.scrape_interval == 15s);
  REQUIRE(config.global.external_labels.size() == 1);
  CHECK(config.global.external_labels[0] == mc::Label{"monitor", "example"});
  REQUIRE(config.scrape_configs.size() == 2);
  CHECK(config.scrape_configs[0].job_name == "prometheus");
  CHECK(config.scrape_configs[0].scrape_interval == 5s);
  CHECK(config.scrape_configs[0].scrape_timeout == 5s);
  CHECK(config.scrape_configs[1].job_name == "node");
  CHECK(config.scrape_configs[1].scrape_interval == 15s);
  CHECK(config.scrape_configs[1].scrape_timeout == 10s);
  CHECK(config.scrape_configs[1].static_configs[0].targets ==
        std::vector<std::string>{"localhost:9100"});
}

TEST_CASE("Prometheus's documentation/examples/prometheus.yml loads with two warnings",
          "[config][prometheus]") {
  const std::string path = kDataDir + "prometheus-example.yml";
  auto config = load_ok(path);
  CHECK(config.warnings ==
        std::vector<std::string>{
            path + ":4:3: global: \"evaluation_interval\" is ignored: metrics-collector "
                   "evaluates no rules",
            path + ":8:1: \"alerting\" is ignored: with no rules there are no alerts to send",
        });
  REQUIRE(config.scrape_configs.size() == 1);
  CHECK(config.scrape_configs[0].job_name == "prometheus");
  CHECK(config.scrape_configs[0].scrape_interval == 15s);
}

TEST_CASE("prometheus-docker.yml fails naming service discovery; its relabeling is read",
          "[config][prometheus]") {
  const std::string path = kDataDir + "prometheus-docker.yml";
  CHECK(load_error(path) ==
        path +
            ":30:5: scrape_configs[2]: \"docker_sd_configs\" is not supported by "
            "metrics-collector yet; remove it and list the targets under static_configs");
}

TEST_CASE("prometheus-agent.yml fails naming remote_write", "[config][prometheus]") {
  const std::string path = kDataDir + "prometheus-agent.yml";
  CHECK(load_error(path) ==
        path +
            ":20:1: \"remote_write\" is not supported by metrics-collector yet; remove it "
            "and have the receiver scrape /metrics, which serves every stored series");
}
