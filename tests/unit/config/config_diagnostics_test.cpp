// What the loader says about a whole file: every error at once in file order,
// warnings for Prometheus keys that are harmless to leave out, errors naming
// the ones that are not, and hints for typos and fractional durations.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "common/config/config.hpp"
#include "tests/support/config_parsing.hpp"

using mc::test::parse_config_error;
using mc::test::parse_config_ok;

TEST_CASE("config: every error of a file comes at once, in file order", "[config][errors]") {
  // global follows scrape_configs, and a job's timeout is checked after the
  // whole document is read: the messages still come in line order.
  CHECK(parse_config_error(R"(scrape_configs:
  - job_name: a
    scrape_interval: 10s
    scrape_timeout: 20s
  - job_name: b
    scrape_intervall: 1m
    static_configs:
      - targets: ["http://x:1/"]
  - job_name: a
global:
  scrape_interval: soon
remote_write:
  - url: http://x/
)") == "config.yml:4:21: scrape timeout greater than scrape interval for scrape config "
       "with job name \"a\"\n"
       "config.yml:6:5: unknown field \"scrape_intervall\" in scrape_configs[1] (did you mean "
       "\"scrape_interval\"?)\n"
       "config.yml:8:19: scrape_configs[1].static_configs[0].targets[0]: \"http://x:1/\" is "
       "not a valid target: want host:port, without scheme or path\n"
       "config.yml:9:15: found multiple scrape configs with job name \"a\"\n"
       "config.yml:11:20: global.scrape_interval: not a valid duration string: \"soon\"\n"
       "config.yml:12:1: \"remote_write\" is not supported by metrics-collector yet; remove it "
       "and have the receiver scrape /metrics, which serves every stored series");
}

TEST_CASE("config: errors in sql and storage come with the others", "[config][errors]") {
  std::string error = parse_config_error(R"(sql:
  databases:
    - name: app
      dsn_env: APP_DSN
      pool_size: 0
      queries: []
storage:
  wal_fsync: sometimes
  block_duration: 1.5h
)");
  CHECK(error ==
        "config.yml:5:18: sql.databases[0].pool_size: expected an integer from 1 to 64, got "
        "\"0\"\n"
        "config.yml:8:14: storage.wal_fsync: expected \"always\", \"never\" or a duration: not "
        "a valid duration string: \"sometimes\"\n"
        "config.yml:9:19: storage.block_duration: unknown unit \".\" in duration \"1.5h\"; "
        "durations take no fractions: write \"1h30m\"");
}

TEST_CASE("config: a clean config has no warnings", "[config]") {
  auto config = parse_config_ok("global:\n  scrape_interval: 15s\nscrape_configs: []\n");
  CHECK(config.warnings.empty());
}

TEST_CASE("config: Prometheus keys that change nothing are warnings", "[config][prometheus]") {
  auto config = parse_config_ok(R"(global:
  evaluation_interval: 30s
  query_log_file: /var/log/queries.log
rule_files: []
scrape_config_files: []
tracing:
  endpoint: localhost:4317
scrape_configs:
  - job_name: a
    relabel_configs: []
    metric_relabel_configs: []
    target_limit: 0
    follow_redirects: true
    enable_http2: false
    consul_sd_configs: []
storage:
  exemplars:
    max_exemplars: 10
remote_write: []
remote_read: []
)");
  CHECK(config.warnings ==
        std::vector<std::string>{
            "config.yml:2:3: global: \"evaluation_interval\" is ignored: metrics-collector "
            "evaluates no rules",
            "config.yml:3:3: global: \"query_log_file\" is ignored: metrics-collector logs no "
            "PromQL queries",
            "config.yml:4:1: \"rule_files\" is ignored: metrics-collector evaluates no rules",
            "config.yml:5:1: \"scrape_config_files\" is ignored: it lists no files",
            "config.yml:6:1: \"tracing\" is ignored: metrics-collector sends no traces",
            "config.yml:12:5: scrape_configs[0]: \"target_limit\" is ignored: 0 sets no limit",
            "config.yml:15:5: scrape_configs[0]: \"consul_sd_configs\" is ignored: it is empty",
            "config.yml:17:3: storage: \"exemplars\" is ignored: metrics-collector stores no "
            "exemplars",
            "config.yml:19:1: \"remote_write\" is ignored: it is empty",
            "config.yml:20:1: \"remote_read\" is ignored: it is empty",
        });
  REQUIRE(config.scrape_configs.size() == 1);
  CHECK(config.scrape_configs[0].job_name == "a");
}

TEST_CASE("config: Prometheus keys that would change what is scraped are errors",
          "[config][prometheus][errors]") {
  CHECK(parse_config_error(R"(rule_files: [alerts.yml]
remote_read:
  - url: http://x/
scrape_configs:
  - job_name: a
    target_limit: 10
    follow_redirects: false
    oauth2:
      client_id: u
    consul_sd_configs:
      - server: localhost:8500
    metric_relabel_configs:
      - action: drop
storage:
  tsdb:
    out_of_order_time_window: 1h
)") == "config.yml:1:1: \"rule_files\" is not supported by metrics-collector yet; remove it "
       "and run the rules in a Prometheus that reads metrics-collector\n"
       "config.yml:2:1: \"remote_read\" is not supported by metrics-collector yet; remove it\n"
       "config.yml:6:5: scrape_configs[0]: \"target_limit\" is not supported by "
       "metrics-collector yet; remove it\n"
       "config.yml:9:7: scrape_configs[0]: \"oauth2\" is not supported by metrics-collector "
       "yet; use authorization with a credentials_file that something else keeps fresh\n"
       "config.yml:10:5: scrape_configs[0]: \"consul_sd_configs\" is not supported by "
       "metrics-collector yet; remove it and list the targets under static_configs\n"
       "config.yml:15:3: storage: \"tsdb\" is not supported by metrics-collector yet; remove it "
       "and metrics-collector's store takes no out-of-order samples");
}

TEST_CASE("config: a null Prometheus key is absent, as in yaml.v2", "[config][prometheus]") {
  auto config = parse_config_ok("rule_files:\nremote_write:\nalerting: ~\n");
  CHECK(config.warnings.empty());
}

TEST_CASE("config: an unknown key suggests a close known one, and only a close one",
          "[config][errors]") {
  CHECK(parse_config_error("scrape_config:\n  - job_name: a\n") ==
        "config.yml:1:1: unknown field \"scrape_config\" at top level (did you mean "
        "\"scrape_configs\"?)");
  CHECK(parse_config_error("global:\n  evalution_interval: 1m\n") ==
        "config.yml:2:3: unknown field \"evalution_interval\" in global (did you mean "
        "\"evaluation_interval\"?)");
  CHECK(parse_config_error("scrape_configs:\n  - job_name: a\n    sceme: http\n") ==
        "config.yml:3:5: unknown field \"sceme\" in scrape_configs[0] (did you mean "
        "\"scheme\"?)");
  CHECK(parse_config_error("global:\n  colour: blue\n") ==
        "config.yml:2:3: unknown field \"colour\" in global");
}

TEST_CASE("config: a fractional duration fails and says how to write it", "[config][errors]") {
  CHECK(parse_config_error("global:\n  scrape_interval: 1.5s\n") ==
        "config.yml:2:20: global.scrape_interval: unknown unit \".\" in duration \"1.5s\"; "
        "durations take no fractions: write \"1s500ms\"");
  // Nothing to suggest when Go's syntax does not read it either.
  CHECK(parse_config_error("global:\n  scrape_interval: 1.5\n") ==
        "config.yml:2:20: global.scrape_interval: unknown unit \".\" in duration \"1.5\"");
}
