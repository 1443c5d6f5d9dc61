// The config loader: what a valid prometheus.yml subset turns into, how jobs
// inherit from global, and the exact "file:line:col: message" of each error.
#include "common/config/config.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "tests/support/config_parsing.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using mc::test::parse_config_error;
using mc::test::parse_config_ok;

TEST_CASE("config: a full config fills every field", "[config]") {
  auto config = parse_config_ok(R"(global:
  scrape_interval: 15s
  scrape_timeout: 5s
  external_labels:
    region: eu-west
    cluster: "prod 1"
scrape_configs:
  - job_name: node
    scrape_interval: 30s
    scrape_timeout: 20s
    metrics_path: /probe
    scheme: http
    params:
      module: [http_2xx, tcp]
      target: ["example.com"]
    honor_labels: true
    honor_timestamps: false
    static_configs:
      - targets: ["localhost:9100", "10.0.0.1:9100"]
        labels:
          zone: b
          env: "ünïcode ✓"
      - targets:
          - "[::1]:9100"
  - job_name: app
)");
  CHECK(config.global.scrape_interval == 15s);
  CHECK(config.global.scrape_timeout == 5s);
  REQUIRE(config.global.external_labels.size() == 2);
  CHECK(config.global.external_labels[0] == mc::Label{"cluster", "prod 1"});  // sorted
  CHECK(config.global.external_labels[1] == mc::Label{"region", "eu-west"});

  REQUIRE(config.scrape_configs.size() == 2);
  const auto& node = config.scrape_configs[0];
  CHECK(node.job_name == "node");
  CHECK(node.scrape_interval == 30s);
  CHECK(node.scrape_timeout == 20s);
  CHECK(node.metrics_path == "/probe");
  CHECK(node.scheme == "http");
  CHECK(node.params.at("module") == std::vector<std::string>{"http_2xx", "tcp"});
  CHECK(node.params.at("target") == std::vector<std::string>{"example.com"});
  CHECK(node.honor_labels);
  CHECK_FALSE(node.honor_timestamps);
  REQUIRE(node.static_configs.size() == 2);
  CHECK(node.static_configs[0].targets ==
        std::vector<std::string>{"localhost:9100", "10.0.0.1:9100"});
  REQUIRE(node.static_configs[0].labels.size() == 2);
  CHECK(node.static_configs[0].labels[0] == mc::Label{"env", "ünïcode ✓"});
  CHECK(node.static_configs[0].labels[1] == mc::Label{"zone", "b"});
  CHECK(node.static_configs[1].targets == std::vector<std::string>{"[::1]:9100"});
  CHECK(node.static_configs[1].labels.empty());

  const auto& app = config.scrape_configs[1];
  CHECK(app.job_name == "app");
  CHECK(app.scrape_interval == 15s);
  CHECK(app.scrape_timeout == 5s);
}

TEST_CASE("config: defaults follow Prometheus", "[config]") {
  auto config = parse_config_ok("scrape_configs:\n  - job_name: a\n");
  CHECK(config.global.scrape_interval == 1min);
  CHECK(config.global.scrape_timeout == 10s);
  CHECK(config.global.external_labels.empty());
  REQUIRE(config.scrape_configs.size() == 1);
  const auto& job = config.scrape_configs[0];
  CHECK(job.scrape_interval == 1min);
  CHECK(job.scrape_timeout == 10s);
  CHECK(job.metrics_path == "/metrics");
  CHECK(job.scheme == "http");
  CHECK(job.params.empty());
  CHECK_FALSE(job.honor_labels);
  CHECK(job.honor_timestamps);
  CHECK(job.static_configs.empty());
}

TEST_CASE("config: empty documents are valid and have no jobs", "[config]") {
  for (std::string_view yaml : {"", "\n", "# only a comment\n", "---\n", "scrape_configs:\n",
                                "scrape_configs: []\n", "global:\nscrape_configs:\n"}) {
    auto config = parse_config_ok(yaml);
    CHECK(config.scrape_configs.empty());
    CHECK(config.global.scrape_interval == 1min);
    CHECK(config.global.scrape_timeout == 10s);
  }
}

TEST_CASE("config: a null value leaves the default, as in yaml.v2", "[config]") {
  auto config = parse_config_ok(R"(global:
  scrape_interval:
  scrape_timeout: ~
scrape_configs:
  - job_name: a
    metrics_path:
    honor_timestamps: null
    static_configs:
)");
  CHECK(config.global.scrape_interval == 1min);
  CHECK(config.scrape_configs[0].metrics_path == "/metrics");
  CHECK(config.scrape_configs[0].honor_timestamps);
}

TEST_CASE("config: jobs inherit global interval and timeout", "[config]") {
  auto config = parse_config_ok(R"(scrape_configs:
  - job_name: inherits
  - job_name: own_interval
    scrape_interval: 2m
  - job_name: short_interval
    scrape_interval: 5s
  - job_name: own_timeout
    scrape_interval: 5s
    scrape_timeout: 3s
  - job_name: zero_means_unset
    scrape_interval: 0s
    scrape_timeout: 0
global:
  scrape_interval: 20s
  scrape_timeout: 15s
)");
  const auto& jobs = config.scrape_configs;
  REQUIRE(jobs.size() == 5);
  CHECK(jobs[0].scrape_interval == 20s);  // global given after the jobs still applies
  CHECK(jobs[0].scrape_timeout == 15s);
  CHECK(jobs[1].scrape_interval == 2min);
  CHECK(jobs[1].scrape_timeout == 15s);
  // An inherited timeout longer than the job's interval is cut to the interval.
  CHECK(jobs[2].scrape_interval == 5s);
  CHECK(jobs[2].scrape_timeout == 5s);
  CHECK(jobs[3].scrape_timeout == 3s);
  CHECK(jobs[4].scrape_interval == 20s);
  CHECK(jobs[4].scrape_timeout == 15s);
}

TEST_CASE("config: the global timeout defaults to min(10s, interval)", "[config]") {
  auto config = parse_config_ok("global:\n  scrape_interval: 5s\n");
  CHECK(config.global.scrape_interval == 5s);
  CHECK(config.global.scrape_timeout == 5s);
  config = parse_config_ok("global:\n  scrape_timeout: 1m\n");  // equal to the default interval
  CHECK(config.global.scrape_timeout == 1min);
}

TEST_CASE("config: booleans take the YAML 1.1 words yaml.v2 takes", "[config]") {
  for (std::string_view word : {"true", "True", "TRUE", "yes", "Yes", "on", "ON", "y"}) {
    auto config =
        parse_config_ok(std::string("scrape_configs:\n  - job_name: a\n    honor_labels: ") +
                        std::string(word) + "\n");
    CHECK(config.scrape_configs[0].honor_labels);
  }
  for (std::string_view word : {"false", "False", "no", "off", "N"}) {
    auto config =
        parse_config_ok(std::string("scrape_configs:\n  - job_name: a\n    honor_timestamps: ") +
                        std::string(word) + "\n");
    CHECK_FALSE(config.scrape_configs[0].honor_timestamps);
  }
}

TEST_CASE("config: scalars of any kind are strings", "[config]") {
  auto config = parse_config_ok("scrape_configs:\n  - job_name: 123\n");
  CHECK(config.scrape_configs[0].job_name == "123");
}

TEST_CASE("config: targets without a port are accepted, as in Prometheus", "[config]") {
  auto config = parse_config_ok(R"(scrape_configs:
  - job_name: a
    static_configs:
      - targets: [example.com, "[2001:db8::1]", "2001:db8::1", "host:0"]
)");
  CHECK(config.scrape_configs[0].static_configs[0].targets ==
        std::vector<std::string>{"example.com", "[2001:db8::1]", "2001:db8::1", "host:0"});
}

TEST_CASE("config: unknown keys are errors at the key", "[config][errors]") {
  CHECK(parse_config_error("scrape_configs: []\nevaluation_interval: 1m\n") ==
        "config.yml:2:1: unknown field \"evaluation_interval\" at top level");
  CHECK(parse_config_error("global:\n  scrape_intervall: 1m\n") ==
        "config.yml:2:3: unknown field \"scrape_intervall\" in global (did you mean "
        "\"scrape_interval\"?)");
  CHECK(parse_config_error(R"(scrape_configs:
  - job_name: a
  - job_name: b
    scrape_intervall: 10s
)") == "config.yml:4:5: unknown field \"scrape_intervall\" in scrape_configs[1] (did you mean "
       "\"scrape_interval\"?)");
  CHECK(parse_config_error(R"(scrape_configs:
  - job_name: a
    static_configs:
      - targets: []
      - target: ["a:1"]
)") == "config.yml:5:9: unknown field \"target\" in scrape_configs[0].static_configs[1] "
       "(did you mean \"targets\"?)");
}

TEST_CASE("config: the brief's example error", "[config][errors]") {
  CHECK(parse_config_error(R"(scrape_configs:
  - job_name: x
    static_configs: []
  - scrape_intervall: 10s
)") == "config.yml:4:5: unknown field \"scrape_intervall\" in scrape_configs[1] (did you mean "
       "\"scrape_interval\"?)");
  CHECK(parse_config_error(R"(# comment
scrape_configs:
- job_name: x
  scrape_intervall: 10s
)") == "config.yml:4:3: unknown field \"scrape_intervall\" in scrape_configs[0] (did you mean "
       "\"scrape_interval\"?)");
}

TEST_CASE("config: duplicate keys are errors", "[config][errors]") {
  CHECK(parse_config_error("global:\n  scrape_interval: 1m\n  scrape_interval: 2m\n") ==
        "config.yml:3:3: duplicate key \"scrape_interval\" in global (first at line 2)");
  CHECK(parse_config_error("global:\n  external_labels:\n    a: 1\n    a: 2\n") ==
        "config.yml:4:5: duplicate key \"a\" in global.external_labels (first at line 3)");
  CHECK(parse_config_error("scrape_configs: []\nscrape_configs: []\n") ==
        "config.yml:2:1: duplicate key \"scrape_configs\" in document (first at line 1)");
}

TEST_CASE("config: bad durations are errors at the value", "[config][errors]") {
  CHECK(parse_config_error("global:\n  scrape_interval: 5x\n") ==
        "config.yml:2:20: global.scrape_interval: unknown unit \"x\" in duration \"5x\"");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    scrape_timeout: 1s1m\n") ==
        "config.yml:3:21: scrape_configs[0].scrape_timeout: not a valid duration string: "
        "\"1s1m\"; write \"1m1s\" (units largest first, each once)");
  CHECK(parse_config_error("global:\n  scrape_interval: 15\n") ==
        "config.yml:2:20: global.scrape_interval: not a valid duration string: \"15\"");
  CHECK(parse_config_error("global:\n  scrape_timeout: \"\"\n") ==
        "config.yml:2:19: global.scrape_timeout: empty duration string");
  CHECK(parse_config_error("global:\n  scrape_timeout: [1s]\n") ==
        "config.yml:2:19: global.scrape_timeout: expected a string, got a sequence");
}

TEST_CASE("config: a timeout longer than the interval is an error", "[config][errors]") {
  CHECK(parse_config_error(R"(scrape_configs:
  - job_name: x
    scrape_interval: 10s
    scrape_timeout: 11s
)") == "config.yml:4:21: scrape timeout greater than scrape interval for scrape config with "
       "job name \"x\"");
  // Against an inherited interval too.
  CHECK(parse_config_error(R"(global:
  scrape_interval: 10s
scrape_configs:
  - job_name: "y"
    scrape_timeout: 30s
)") == "config.yml:5:21: scrape timeout greater than scrape interval for scrape config with "
       "job name \"y\"");
  CHECK(parse_config_error("global:\n  scrape_interval: 10s\n  scrape_timeout: 11s\n") ==
        "config.yml:3:19: global scrape timeout greater than scrape interval");
}

TEST_CASE("config: job names are required and unique", "[config][errors]") {
  CHECK(parse_config_error(R"(scrape_configs:
  - job_name: a
  - job_name: b
  - job_name: a
)") == "config.yml:4:15: found multiple scrape configs with job name \"a\"");
  CHECK(parse_config_error(R"(scrape_configs:
  - job_name: a
  - scrape_interval: 1m
)") == "config.yml:3:5: scrape_configs[1]: missing required field \"job_name\"");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: \"\"\n") ==
        "config.yml:2:15: scrape_configs[0]: job_name is empty");
}

TEST_CASE("config: label names are checked", "[config][errors]") {
  CHECK(parse_config_error("global:\n  external_labels:\n    1abc: x\n") ==
        "config.yml:3:5: global.external_labels: \"1abc\" is not a valid label name");
  CHECK(parse_config_error("global:\n  external_labels:\n    a-b: x\n") ==
        "config.yml:3:5: global.external_labels: \"a-b\" is not a valid label name");
  CHECK(parse_config_error(R"(scrape_configs:
  - job_name: a
    static_configs:
      - labels:
          ok_name: "1"
          __address__: "host:1"
)") == "config.yml:6:11: scrape_configs[0].static_configs[0].labels: label name "
       "\"__address__\" is reserved (names starting with \"__\" are for internal use)");
  CHECK(parse_config_error("global:\n  external_labels:\n    \"\": x\n") ==
        "config.yml:3:5: global.external_labels: \"\" is not a valid label name");
}

TEST_CASE("config: targets must be host:port", "[config][errors]") {
  auto target_error = [](std::string_view target) {
    return parse_config_error(
        std::string("scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: [") +
        std::string(target) + "]\n");
  };
  CHECK(target_error("\"http://host:9090\"") ==
        "config.yml:4:19: scrape_configs[0].static_configs[0].targets[0]: \"http://host:9090\" "
        "is not a valid target: want host:port, without scheme or path");
  CHECK(target_error("\"host:9090/metrics\"") ==
        "config.yml:4:19: scrape_configs[0].static_configs[0].targets[0]: "
        "\"host:9090/metrics\" is not a valid target: want host:port, without scheme or path");
  CHECK(target_error("\"ok:1\", \"host:http\"") ==
        "config.yml:4:27: scrape_configs[0].static_configs[0].targets[1]: \"host:http\" is not "
        "a valid target: port \"http\" is not a number from 0 to 65535");
  CHECK(target_error("\"host:65536\"") ==
        "config.yml:4:19: scrape_configs[0].static_configs[0].targets[0]: \"host:65536\" is not "
        "a valid target: port \"65536\" is not a number from 0 to 65535");
  CHECK(target_error("\"\"") ==
        "config.yml:4:19: scrape_configs[0].static_configs[0].targets[0]: a target must not be "
        "empty");
  CHECK(target_error("\"a b:1\"") ==
        "config.yml:4:19: scrape_configs[0].static_configs[0].targets[0]: \"a b:1\" is not a "
        "valid target: blank or control character");
  CHECK(target_error("\":9090\"") ==
        "config.yml:4:19: scrape_configs[0].static_configs[0].targets[0]: \":9090\" is not a "
        "valid target: missing host");
}

TEST_CASE("config: scheme and metrics_path are checked", "[config][errors]") {
  CHECK(parse_config_ok("scrape_configs:\n  - job_name: a\n    scheme: https\n")
            .scrape_configs.at(0)
            .scheme == "https");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    scheme: ftp\n") ==
        "config.yml:3:13: scrape_configs[0].scheme: invalid scheme \"ftp\" (want http or https)");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    metrics_path: metrics\n") ==
        "config.yml:3:19: scrape_configs[0].metrics_path: \"metrics\" must start with '/'");
}

TEST_CASE("config: values of the wrong kind are errors", "[config][errors]") {
  CHECK(parse_config_error("- a\n- b\n") ==
        "config.yml:1:1: document: expected a mapping, got a sequence");
  CHECK(parse_config_error("just text\n") ==
        "config.yml:1:1: document: expected a mapping, got a string");
  CHECK(parse_config_error("global: [1]\n") ==
        "config.yml:1:9: global: expected a mapping, got a sequence");
  CHECK(parse_config_error("scrape_configs:\n  job_name: a\n") ==
        "config.yml:2:3: scrape_configs: expected a sequence, got a mapping");
  CHECK(parse_config_error("scrape_configs:\n  - just a string\n") ==
        "config.yml:2:5: scrape_configs[0]: expected a mapping, got a string");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: [a]\n") ==
        "config.yml:2:15: scrape_configs[0].job_name: expected a string, got a sequence");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    honor_labels: maybe\n") ==
        "config.yml:3:19: scrape_configs[0].honor_labels: expected true or false, got \"maybe\"");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    honor_labels: \"true\"\n") ==
        "config.yml:3:19: scrape_configs[0].honor_labels: expected true or false, got \"true\"");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    honor_labels: 1\n") ==
        "config.yml:3:19: scrape_configs[0].honor_labels: expected true or false, got \"1\"");
  CHECK(parse_config_error(
            "scrape_configs:\n  - job_name: a\n    params:\n      module: http_2xx\n") ==
        "config.yml:4:15: scrape_configs[0].params.module: expected a sequence, got a string");
  CHECK(parse_config_error(
            "scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: a:1\n") ==
        "config.yml:4:18: scrape_configs[0].static_configs[0].targets: expected a sequence, got "
        "a string");
  CHECK(parse_config_error("global:\n  external_labels: [a]\n") ==
        "config.yml:2:20: global.external_labels: expected a mapping, got a sequence");
  CHECK(parse_config_error("global:\n  external_labels:\n    a: {b: c}\n") ==
        "config.yml:3:8: global.external_labels.a: expected a string, got a mapping");
  CHECK(parse_config_error("? [a, b]\n: c\n") ==
        "config.yml:1:3: document: a key must be a string, got a sequence");
}

TEST_CASE("config: YAML syntax errors carry the parser's position", "[config][errors]") {
  CHECK(parse_config_error("global:\n  scrape_interval: [1s\n") ==
        "config.yml:3:1: end of sequence flow not found");
  CHECK(parse_config_error("global:\n  a: b\n c: d\n") == "config.yml:3:2: end of map not found");
  CHECK(parse_config_error("global: *nothing\n") ==
        "config.yml:1:9: the referenced anchor is not defined");
}

TEST_CASE("config: load_config_file reads a file and names it in errors", "[config]") {
  mc::test::TempDir dir;
  auto good = dir.write_file("good.yml", "scrape_configs:\n  - job_name: a\n");
  auto loaded = mc::load_config_file(good.string());
  REQUIRE(loaded.is_ok());
  CHECK(loaded->scrape_configs.at(0).job_name == "a");

  auto bad = dir.write_file("bad.yml", "global:\n  nope: 1\n");
  auto failed = mc::load_config_file(bad.string());
  REQUIRE_FALSE(failed.is_ok());
  CHECK(failed.error() == bad.string() + ":2:3: unknown field \"nope\" in global");

  auto missing = (dir.path() / "missing.yml").string();
  auto not_found = mc::load_config_file(missing);
  REQUIRE_FALSE(not_found.is_ok());
  CHECK(not_found.error() ==
        "cannot read config file \"" + missing + "\": No such file or directory");

  auto directory = mc::load_config_file(dir.path().string());
  REQUIRE_FALSE(directory.is_ok());
  CHECK(directory.error() ==
        "cannot read config file \"" + dir.path().string() + "\": Is a directory");
}

TEST_CASE("config: a large file loads (bounded)", "[config]") {
  std::string yaml = "scrape_configs:\n";
  for (int i = 0; i < 2000; ++i) {
    yaml += "  - job_name: job" + std::to_string(i) +
            "\n    static_configs:\n      - targets: [\"h" + std::to_string(i) + ":9100\"]\n";
  }
  auto config = parse_config_ok(yaml);
  CHECK(config.scrape_configs.size() == 2000);
  CHECK(config.scrape_configs.back().static_configs[0].targets[0] == "h1999:9100");
}

TEST_CASE("config: labels with an empty value are dropped", "[config]") {
  auto config = parse_config_ok(R"(global:
  external_labels:
    kept: "1"
    empty: ""
    nothing:
scrape_configs:
  - job_name: a
    static_configs:
      - labels: {a: "", b: x}
)");
  CHECK(config.global.external_labels == std::vector<mc::Label>{{"kept", "1"}});
  CHECK(config.scrape_configs[0].static_configs[0].labels == std::vector<mc::Label>{{"b", "x"}});
}

TEST_CASE("config: anchors and aliases work", "[config]") {
  auto config = parse_config_ok(R"(global:
  external_labels: &common
    team: core
scrape_configs:
  - job_name: a
    static_configs:
      - labels: *common
)");
  CHECK(config.scrape_configs[0].static_configs[0].labels ==
        std::vector<mc::Label>{{"team", "core"}});
}

TEST_CASE("config: a null scrape config is an error", "[config][errors]") {
  auto error = parse_config_error("scrape_configs:\n  -\n  - job_name: a\n");
  CHECK_THAT(error,
             Catch::Matchers::StartsWith("config.yml:") &&
                 Catch::Matchers::EndsWith(": scrape_configs[0]: empty or null scrape config"));
}

TEST_CASE("body_size_limit defaults to 64MB, is inherited from global, and 0 lifts it",
          "[config]") {
  auto defaults = parse_config_ok("scrape_configs:\n  - job_name: a\n");
  CHECK(defaults.global.body_size_limit == mc::kDefaultBodySizeLimit);
  CHECK(defaults.scrape_configs[0].body_size_limit == uint64_t{64} << 20);

  auto config = parse_config_ok(
      "global:\n  body_size_limit: 10MB\n"
      "scrape_configs:\n"
      "  - job_name: inherits\n"
      "  - job_name: own\n    body_size_limit: 512KB\n"
      "  - job_name: unlimited\n    body_size_limit: 0\n");
  CHECK(config.scrape_configs[0].body_size_limit == 10u << 20);
  CHECK(config.scrape_configs[1].body_size_limit == 512u << 10);
  CHECK(config.scrape_configs[2].body_size_limit == 0);
}

TEST_CASE("a bad body_size_limit names its place", "[config]") {
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    body_size_limit: lots\n") ==
        "config.yml:3:22: scrape_configs[0].body_size_limit: invalid size \"lots\": want a whole "
        "number and a unit, e.g. 64MB");
  CHECK_THAT(parse_config_error("global:\n  body_size_limit: 5 MB\n"),
             Catch::StartsWith("config.yml:2:20: global.body_size_limit: invalid size"));
}

TEST_CASE("sample_limit defaults to 1,000,000, is inherited, and 0 lifts it", "[config]") {
  auto defaults = parse_config_ok("scrape_configs:\n  - job_name: a\n");
  CHECK(defaults.scrape_configs[0].sample_limit == 1'000'000);
  auto config = parse_config_ok(
      "global:\n  sample_limit: 5000\n"
      "scrape_configs:\n  - job_name: inherits\n  - job_name: own\n    sample_limit: 0\n");
  CHECK(config.scrape_configs[0].sample_limit == 5000);
  CHECK(config.scrape_configs[1].sample_limit == 0);
  CHECK_THAT(parse_config_error("scrape_configs:\n  - job_name: a\n    sample_limit: -1\n"),
             Catch::StartsWith("config.yml:3:19: scrape_configs[0].sample_limit:"));
}

TEST_CASE("label limits default to none and are inherited from global", "[config]") {
  auto defaults = parse_config_ok("scrape_configs:\n  - job_name: a\n");
  CHECK(defaults.scrape_configs[0].label_limit == 0);
  CHECK(defaults.scrape_configs[0].label_name_length_limit == 0);
  CHECK(defaults.scrape_configs[0].label_value_length_limit == 0);
  auto config = parse_config_ok(
      "global:\n  label_limit: 30\n  label_name_length_limit: 200\n"
      "  label_value_length_limit: 2048\n"
      "scrape_configs:\n  - job_name: inherits\n  - job_name: own\n    label_limit: 10\n");
  CHECK(config.scrape_configs[0].label_limit == 30);
  CHECK(config.scrape_configs[0].label_name_length_limit == 200);
  CHECK(config.scrape_configs[0].label_value_length_limit == 2048);
  CHECK(config.scrape_configs[1].label_limit == 10);
  CHECK(config.scrape_configs[1].label_value_length_limit == 2048);
}
