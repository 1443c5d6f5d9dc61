// What the scrape side reports of its targets (TargetStatusSource, through
// ScrapeManager) before any scrape: discovered labels as Prometheus's
// PopulateLabels leaves them before relabeling, the labels after it, the
// targets the rules drop, and the error texts a failed scrape gets.
#include <catch2/catch.hpp>

#include <prometheus/registry.h>

#include "collector/scrape/scrape_error_text.hpp"
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
