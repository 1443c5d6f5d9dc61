// relabel_configs and metric_relabel_configs in a job: read with Prometheus's
// defaults, refused with Prometheus 2.42's words (checked against
// `promtool check config` 2.42) at the rule's file:line:col, every bad rule of
// a file reported at once.
#include <catch2/catch.hpp>
#include <string>

#include "common/config/config.hpp"
#include "tests/support/config_parsing.hpp"

using mc::test::parse_config_error;
using mc::test::parse_config_ok;

TEST_CASE("config: relabel rules are read with Prometheus's defaults", "[config][relabel]") {
  auto config = parse_config_ok(R"yaml(scrape_configs:
  - job_name: a
    relabel_configs:
      - source_labels: [__address__]
        target_label: host
      - source_labels: [a, b]
        separator: ","
        regex: "x(.*)"
        target_label: c
        replacement: "y$1"
      - action: HashMod
        source_labels: [__address__]
        modulus: 4
        target_label: __tmp_shard
    metric_relabel_configs:
      - action: labeldrop
        regex: "tmp_.*"
)yaml");
  const auto& job = config.scrape_configs.at(0);
  REQUIRE(job.relabel_configs.size() == 3);
  CHECK(job.relabel_configs[0].action == mc::RelabelAction::replace);
  CHECK(job.relabel_configs[0].separator == ";");
  CHECK(job.relabel_configs[0].regex_text == "(.*)");
  CHECK(job.relabel_configs[0].replacement == "$1");
  CHECK(job.relabel_configs[1].separator == ",");
  CHECK(job.relabel_configs[1].regex_text == "x(.*)");
  CHECK(job.relabel_configs[2].action == mc::RelabelAction::hashmod);
  CHECK(job.relabel_configs[2].modulus == 4);
  REQUIRE(job.metric_relabel_configs.size() == 1);
  CHECK(job.metric_relabel_configs[0].action == mc::RelabelAction::labeldrop);
  CHECK(config.warnings.empty());
}

TEST_CASE("config: an empty rule list is no rules, and no warning", "[config][relabel]") {
  auto config = parse_config_ok(
      "scrape_configs:\n  - job_name: a\n    relabel_configs: []\n    metric_relabel_configs:\n");
  CHECK(config.scrape_configs.at(0).relabel_configs.empty());
  CHECK(config.scrape_configs.at(0).metric_relabel_configs.empty());
  CHECK(config.warnings.empty());
}

TEST_CASE("config: a bad rule is named at its line with Prometheus's words",
          "[config][relabel][errors]") {
  CHECK(parse_config_error(R"yaml(scrape_configs:
  - job_name: a
    relabel_configs:
      - source_labels: [a]
        target_label: b
      - action: hashmod
        target_label: shard
)yaml") ==
        "config.yml:6:9: scrape_configs[0].relabel_configs[1]: relabel configuration for "
        "hashmod requires non-zero modulus");
}

TEST_CASE("config: every bad rule of a file is reported at once", "[config][relabel][errors]") {
  CHECK(parse_config_error(R"yaml(scrape_configs:
  - job_name: a
    relabel_configs:
      - action: replace
      - action: rename
      - regex: "(a"
        target_label: t
      -
    metric_relabel_configs:
      - action: labeldrop
        source_labels: [a]
      - action: keep
        source_labels: [a-b]
      - action: labelmap
        replacement: "a-$1"
      - action: keepequal
        target_label: t
        regex: "(.*)"
      - action: lowercase
        target_label: t
        replacement: x
      - unknown_key: 1
)yaml") ==
        "config.yml:4:7: scrape_configs[0].relabel_configs[3]: empty or null target "
        "relabeling rule in scrape config\n"
        "config.yml:4:9: scrape_configs[0].relabel_configs[0]: relabel configuration for "
        "replace action requires 'target_label' value\n"
        "config.yml:5:9: scrape_configs[0].relabel_configs[1]: unknown relabel action "
        "\"rename\"\n"
        "config.yml:6:9: scrape_configs[0].relabel_configs[2]: error parsing regexp: missing "
        "closing ): `^(?:(a)$`\n"
        "config.yml:10:9: scrape_configs[0].metric_relabel_configs[0]: labeldrop action "
        "requires only 'regex', and no other fields\n"
        "config.yml:12:9: scrape_configs[0].metric_relabel_configs[1]: \"a-b\" is not a valid "
        "label name\n"
        "config.yml:14:9: scrape_configs[0].metric_relabel_configs[2]: \"a-$1\" is invalid "
        "'replacement' for labelmap action\n"
        "config.yml:16:9: scrape_configs[0].metric_relabel_configs[3]: keepequal action "
        "requires only 'source_labels' and `target_label`, and no other fields\n"
        "config.yml:19:9: scrape_configs[0].metric_relabel_configs[4]: 'replacement' can not "
        "be set for lowercase action\n"
        "config.yml:22:9: unknown field \"unknown_key\" in "
        "scrape_configs[0].metric_relabel_configs[5]");
}

TEST_CASE("config: a modulus must be a count", "[config][relabel][errors]") {
  const std::string error = parse_config_error(R"yaml(scrape_configs:
  - job_name: a
    relabel_configs:
      - action: hashmod
        source_labels: [a]
        target_label: t
        modulus: -1
)yaml");
  CHECK(error.starts_with("config.yml:7:18: scrape_configs[0].relabel_configs[0].modulus: "));
}

TEST_CASE("config: a null regex is the empty regex, as in Prometheus", "[config][relabel]") {
  auto config = parse_config_ok(R"yaml(scrape_configs:
  - job_name: a
    relabel_configs:
      - action: keep
        source_labels: [a]
        regex:
)yaml");
  CHECK(config.scrape_configs.at(0).relabel_configs.at(0).regex_text == "");
}
