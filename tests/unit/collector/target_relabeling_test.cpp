// relabel_configs over a target, as Prometheus's PopulateLabels: the labels
// relabeling starts from, what the rules may change (address, scheme, path,
// params, interval, timeout), instance defaulting to the address, "__"
// labels removed, a dropped target, and the targets the rules leave unusable.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "collector/scrape/scrape_target.hpp"
#include "common/relabel/relabel_config.hpp"

namespace mc {
namespace {

using Names = std::vector<std::string>;

RelabelConfig rule(const RelabelRuleFields& fields) {
  auto made = make_relabel_config(fields);
  REQUIRE(made);
  return *made;
}

ScrapeConfig job_with(std::vector<RelabelConfig> rules) {
  ScrapeConfig job;
  job.job_name = "node";
  job.scrape_interval = std::chrono::seconds(15);
  job.scrape_timeout = std::chrono::seconds(10);
  job.params = {{"module", {"a", "b"}}};
  job.relabel_configs = std::move(rules);
  return job;
}

// Copies every label relabeling sees into a "seen_" label, so the test can
// read what the target started from.
std::vector<RelabelConfig> expose_all() {
  return {rule({.regex = "__(.+)__|__param_(.+)|(job)",
                .replacement = "seen_$1$2$3",
                .action = "labelmap"})};
}

TEST_CASE("target relabeling starts from the labels Prometheus gives a target",
          "[scrape_target][relabel]") {
  auto target = ScrapeTarget(job_with(expose_all()), "10.0.0.1:9100", {{"env", "prod"}});
  CHECK(target.labels() == Labels{{"env", "prod"},
                                  {"instance", "10.0.0.1:9100"},
                                  {"job", "node"},
                                  {"seen_address", "10.0.0.1:9100"},
                                  {"seen_job", "node"},
                                  {"seen_metrics_path", "/metrics"},
                                  {"seen_module", "a"},
                                  {"seen_scheme", "http"},
                                  {"seen_scrape_interval", "15s"},
                                  {"seen_scrape_timeout", "10s"}});
}

TEST_CASE("relabeled address, path and params make the URL; instance follows the address",
          "[scrape_target][relabel]") {
  const auto job = job_with({
      rule({.target_label = "__address__", .replacement = "127.0.0.1:9115"}),
      rule({.target_label = "__metrics_path__", .replacement = "/probe"}),
      rule({.source_labels = Names{"__address__"},
            .regex = "(.*):.*",
            .target_label = "__param_target",
            .replacement = "$1"}),
      rule({.target_label = "__param_module", .replacement = "http_2xx"}),
  });
  auto target = ScrapeTarget(job, "example.org", {});
  CHECK(target.url() == "http://127.0.0.1:9115/probe?module=http_2xx&module=b&target=127.0.0.1");
  CHECK(target.labels() == Labels{{"instance", "127.0.0.1:9115"}, {"job", "node"}});
}

TEST_CASE("an instance set by the rules is kept, and the address gets its default port",
          "[scrape_target][relabel]") {
  const auto job = job_with({rule({.source_labels = Names{"__address__"},
                                   .regex = "([^:]+)",
                                   .target_label = "instance",
                                   .replacement = "host-$1"})});
  auto target = ScrapeTarget(job, "db1", {});
  CHECK(target.url() == "http://db1:80/metrics?module=a&module=b");
  CHECK(target.labels().get("instance") == "host-db1");
}

TEST_CASE("an https scheme set by the rules gives an https URL on port 443",
          "[scrape_target][relabel]") {
  const auto job = job_with({rule({.target_label = "__scheme__", .replacement = "https"})});
  CHECK(ScrapeTarget(job, "db1", {}).url() == "https://db1:443/metrics?module=a&module=b");
}

TEST_CASE("labels starting with __ are removed after relabeling", "[scrape_target][relabel]") {
  const auto job = job_with({rule({.target_label = "__tmp_x", .replacement = "1"}),
                             rule({.target_label = "kept", .replacement = "1"})});
  auto target = ScrapeTarget(job, "h:1", {});
  CHECK(target.labels() == Labels{{"instance", "h:1"}, {"job", "node"}, {"kept", "1"}});
}

TEST_CASE("relabeling may change the interval and timeout of a target",
          "[scrape_target][relabel]") {
  const auto job = job_with({rule({.target_label = "__scrape_interval__", .replacement = "1m"}),
                             rule({.target_label = "__scrape_timeout__", .replacement = "30s"})});
  auto target = ScrapeTarget(job, "h:1", {});
  CHECK(target.interval() == std::chrono::minutes(1));
  CHECK(target.timeout() == std::chrono::seconds(30));
  auto plain = ScrapeTarget(job_with({}), "h:1", {});
  CHECK(plain.interval() == std::chrono::seconds(15));
  CHECK(plain.timeout() == std::chrono::seconds(10));
}

TEST_CASE("a target the rules drop is no target", "[scrape_target][relabel]") {
  const auto job =
      job_with({rule({.source_labels = Names{"env"}, .regex = "prod", .action = "keep"})});
  auto dropped = ScrapeTarget::build(job, "h:1", {{"env", "dev"}});
  REQUIRE(dropped);
  CHECK_FALSE(dropped->has_value());
  auto kept = ScrapeTarget::build(job, "h:1", {{"env", "prod"}});
  REQUIRE(kept);
  CHECK(kept->has_value());
  CHECK_THROWS_AS(ScrapeTarget(job, "h:1", {{"env", "dev"}}), std::invalid_argument);
}

TEST_CASE("the rules may leave a target unusable: each says why", "[scrape_target][relabel]") {
  auto error_of = [](std::vector<RelabelConfig> rules) {
    auto built = ScrapeTarget::build(job_with(std::move(rules)), "h:1", {});
    REQUIRE_FALSE(built);
    return built.error();
  };
  CHECK(error_of({rule({.source_labels = Names{"nothing"}, .target_label = "__address__"})}) ==
        "no address");
  CHECK(error_of({rule({.target_label = "__scheme__", .replacement = "ftp"})}) ==
        "invalid scheme: \"ftp\"");
  CHECK(error_of({rule({.target_label = "__scrape_interval__", .replacement = "0s"})}) ==
        "scrape interval cannot be 0");
  CHECK(error_of({rule({.target_label = "__scrape_timeout__", .replacement = "1m"})}) ==
        "scrape timeout cannot be greater than scrape interval (\"1m\" > \"15s\")");
  CHECK(error_of({rule({.target_label = "__scrape_interval__", .replacement = "soon"})})
            .starts_with("error parsing scrape interval: "));
  CHECK(error_of({rule({.target_label = "__address__", .replacement = "h:1/x"})}) ==
        "\"h:1/x\" is not a valid hostname");
}

TEST_CASE("hashmod shards targets: two shards split a list with nothing lost",
          "[scrape_target][relabel]") {
  size_t total = 0;
  std::vector<std::string> seen;
  for (const char* shard : {"0", "1"}) {
    const auto job =
        job_with({rule({.source_labels = Names{"__address__"},
                        .modulus = 2,
                        .target_label = "__tmp_hash",
                        .action = "hashmod"}),
                  rule({.source_labels = Names{"__tmp_hash"}, .regex = shard, .action = "keep"})});
    for (int i = 0; i < 20; ++i) {
      const std::string address = "10.0.0." + std::to_string(i) + ":9100";
      auto built = ScrapeTarget::build(job, address, {});
      REQUIRE(built);
      if (built->has_value()) {
        ++total;
        seen.push_back(address);
      }
    }
  }
  CHECK(total == 20);
  std::sort(seen.begin(), seen.end());
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
}

}  // namespace
}  // namespace mc
