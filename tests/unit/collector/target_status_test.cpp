// What the scrape side reports of its targets (TargetStatusSource, through
// ScrapeManager) before any scrape: discovered labels as Prometheus's
// PopulateLabels leaves them before relabeling, the labels after it, the
// targets the rules drop, and the error texts a failed scrape gets.
#include <catch2/catch.hpp>

#include <prometheus/registry.h>

#include "collector/scrape/scrape_error_text.hpp"
#include "collector/scrape/scrape_loop.hpp"
#include "collector/scrape/scrape_manager.hpp"
#include "common/store/head_storage.hpp"
#include "tests/support/config_parsing.hpp"

namespace mc {
namespace {

using test::parse_config_ok;

TEST_CASE("active and dropped targets keep their labels before and after relabeling",
          "[scrape_manager][targets]") {
  HeadStorage storage;
  prometheus::Registry registry;
  ScrapeManager manager(storage, registry);
  manager.apply_config(
      parse_config_ok("scrape_configs:\n"
                      "  - job_name: b\n"
                      "    scrape_interval: 30s\n"
                      "    params: {module: [icmp]}\n"
                      "    static_configs:\n"
                      "      - targets: [\"h2:9100\", \"drop-me:80\"]\n"
                      "        labels: {env: prod}\n"
                      "    relabel_configs:\n"
                      "      - source_labels: [__address__]\n"
                      "        regex: drop-.*\n"
                      "        action: drop\n"
                      "      - source_labels: [__param_module]\n"
                      "        target_label: module\n"
                      "  - job_name: a\n"
                      "    static_configs:\n"
                      "      - targets: [\"h1\"]\n"));

  const std::vector<TargetStatus> active = manager.active_targets();
  REQUIRE(active.size() == 2);
  // By scrape pool first.
  CHECK(active[0].scrape_pool == "a");
  CHECK(active[0].scrape_url == "http://h1:80/metrics");
  CHECK(active[0].labels == Labels{{"instance", "h1:80"}, {"job", "a"}});
  CHECK(active[0].discovered_labels == Labels{{"__address__", "h1"},
                                              {"__metrics_path__", "/metrics"},
                                              {"__scheme__", "http"},
                                              {"__scrape_interval__", "1m"},
                                              {"__scrape_timeout__", "10s"},
                                              {"job", "a"}});
  CHECK(active[0].scrape_interval == "1m");
  CHECK(active[0].scrape_timeout == "10s");
  CHECK(active[0].health == TargetHealth::unknown);
  CHECK(active[0].last_scrape_ms == 0);
  CHECK(active[0].last_error.empty());

  CHECK(active[1].scrape_pool == "b");
  CHECK(active[1].scrape_url == "http://h2:9100/metrics?module=icmp");
  CHECK(active[1].labels ==
        Labels{{"env", "prod"}, {"instance", "h2:9100"}, {"job", "b"}, {"module", "icmp"}});
  CHECK(active[1].discovered_labels.get("__param_module") == "icmp");
  CHECK(active[1].discovered_labels.get("__scrape_interval__") == "30s");
  CHECK(!active[1].discovered_labels.has("module"));

  const std::vector<DroppedTarget> dropped = manager.dropped_targets();
  REQUIRE(dropped.size() == 1);
  CHECK(dropped[0].scrape_pool == "b");
  CHECK(dropped[0].discovered_labels.get("__address__") == "drop-me:80");
  CHECK(dropped[0].discovered_labels.get("env") == "prod");

  // Nothing scraped yet: no metadata, but every wanted target is listed.
  auto metadata = manager.target_metadata([](const Labels&) { return true; }, "");
  REQUIRE(metadata.size() == 2);
  CHECK(metadata[0].families.empty());
  auto only_b =
      manager.target_metadata([](const Labels& labels) { return labels.get("job") == "b"; }, "");
  REQUIRE(only_b.size() == 1);
  CHECK(only_b[0].target.get("instance") == "h2:9100");

  // A reload without the drop rule: the dropped list follows the last sync.
  manager.apply_config(
      parse_config_ok("scrape_configs:\n"
                      "  - job_name: a\n"
                      "    static_configs:\n"
                      "      - targets: [\"h1\"]\n"));
  CHECK(manager.dropped_targets().empty());
  CHECK(manager.active_targets().size() == 1);
}

TEST_CASE("a loop records its last scrape and the families its target declared",
          "[scrape_loop][targets]") {
  HeadStorage storage;
  ScrapeConfig job;
  job.job_name = "app";
  job.scrape_interval = std::chrono::seconds(15);
  job.scrape_timeout = std::chrono::seconds(10);
  ScrapeLoop loop(ScrapeTarget(job, "127.0.0.1:8080", {}), job, storage);
  CHECK(!loop.last_scrape().scraped);

  ScrapeResponse ok;
  ok.content_type = "text/plain; version=0.0.4";
  ok.body =
      "# HELP a_total Things.\n# TYPE a_total counter\na_total 1\n"
      "# HELP b_help_only Only help.\nb_help_only 2\n"
      "undeclared 3\n"
      "# TYPE c_gauge gauge\nc_gauge 4\n";
  loop.process(ok, 1000, 0.25);
  LastScrapeOutcome last = loop.last_scrape();
  CHECK(last.scraped);
  CHECK(last.up);
  CHECK(last.error.empty());
  CHECK(last.start_ms == 1000);
  CHECK(last.duration_seconds == 0.25);

  const std::vector<MetricMetadata> declared = loop.declared_metadata("");
  REQUIRE(declared.size() == 3);  // not `undeclared`: Prometheus keeps no metadata for it
  CHECK(declared[0] == MetricMetadata{"a_total", MetricType::counter, "Things.", ""});
  CHECK(declared[1] == MetricMetadata{"b_help_only", MetricType::unknown, "Only help.", ""});
  CHECK(declared[2] == MetricMetadata{"c_gauge", MetricType::gauge, "", ""});
  REQUIRE(loop.declared_metadata("c_gauge").size() == 1);
  CHECK(loop.declared_metadata("undeclared").empty());

  ScrapeResponse refused;
  refused.status = Status::error("Failed to connect to 127.0.0.1 port 8080: Connection refused");
  refused.failure_reason = "connection";
  loop.process(refused, 16000, 0.001);
  last = loop.last_scrape();
  CHECK(!last.up);
  CHECK(last.failure_reason == "connection");
  CHECK(last.error == "Failed to connect to 127.0.0.1 port 8080: Connection refused");
  CHECK(last.start_ms == 16000);

  // A parse error is a failed scrape too, with the parser's words.
  ScrapeResponse garbage = ok;
  garbage.body = "a_total{ 1\n";
  loop.process(garbage, 31000, 0.001);
  last = loop.last_scrape();
  CHECK(!last.up);
  CHECK(last.failure_reason == "parse");
  CHECK(!last.error.empty());
  // A good scrape clears the error.
  loop.process(ok, 46000, 0.002);
  CHECK(loop.last_scrape().up);
  CHECK(loop.last_scrape().error.empty());
}

TEST_CASE("scrape errors read as Prometheus's lastError where the cause is the same", "[targets]") {
  const std::string url = "http://127.0.0.1:9/metrics?x=1";
  CHECK(
      scrape_error_text(url, "connection",
                        "Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to "
                        "server") ==
      "Get \"http://127.0.0.1:9/metrics?x=1\": dial tcp 127.0.0.1:9: connect: connection refused");
  CHECK(
      scrape_error_text(url, "connection",
                        "Failed to connect to 127.0.0.1 port 9 after 0 ms: Connection refused") ==
      "Get \"http://127.0.0.1:9/metrics?x=1\": dial tcp 127.0.0.1:9: connect: connection refused");
  CHECK(scrape_error_text(url, "timeout", "Operation timed out after 1000 milliseconds") ==
        "Get \"http://127.0.0.1:9/metrics?x=1\": context deadline exceeded");
  CHECK(scrape_error_text(url, "http_status", "server returned HTTP status 503") ==
        "server returned HTTP status 503 Service Unavailable");
  // A status Go has no words for here, a parse error, no error: as they are.
  CHECK(scrape_error_text(url, "http_status", "server returned HTTP status 599") ==
        "server returned HTTP status 599");
  CHECK(scrape_error_text(url, "parse", "line 3: expected a value") == "line 3: expected a value");
  CHECK(scrape_error_text(url, "connection", "Could not resolve host: nowhere") ==
        "Could not resolve host: nowhere");
  CHECK(scrape_error_text(url, "", "").empty());
}

}  // namespace
}  // namespace mc
