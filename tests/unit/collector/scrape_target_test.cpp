#include "collector/scrape/scrape_target.hpp"

#include <catch2/catch.hpp>

namespace mc {
namespace {

ScrapeConfig job_config() {
  ScrapeConfig job;
  job.job_name = "node";
  job.scrape_interval = std::chrono::seconds(15);
  job.scrape_timeout = std::chrono::seconds(10);
  return job;
}

TEST_CASE("a target's URL comes from scheme, address, path and params", "[scrape_target]") {
  auto job = job_config();
  job.metrics_path = "/probe";
  job.params = {{"module", {"http_2xx"}}, {"target", {"a b&c"}}};
  ScrapeTarget target(job, "127.0.0.1:9115", {});
  CHECK(target.url() == "http://127.0.0.1:9115/probe?module=http_2xx&target=a+b%26c");
}

TEST_CASE("a target is labelled with job, instance and its group's labels", "[scrape_target]") {
  ScrapeTarget target(job_config(), "10.0.0.1:9100", {{"env", "prod"}});
  CHECK(target.labels() == Labels{{"env", "prod"}, {"instance", "10.0.0.1:9100"}, {"job", "node"}});
  // A group label named instance replaces the address, as in Prometheus.
  ScrapeTarget renamed(job_config(), "10.0.0.1:9100", {{"instance", "db-1"}});
  CHECK(renamed.labels().get("instance") == "db-1");
}

TEST_CASE("an address without a port gets the scheme's default port", "[scrape_target]") {
  ScrapeTarget target(job_config(), "example.internal", {});
  CHECK(target.url() == "http://example.internal:80/metrics");
  CHECK(target.labels().get("instance") == "example.internal:80");
  CHECK(ScrapeTarget(job_config(), "[::1]", {}).url() == "http://[::1]:80/metrics");
  CHECK(ScrapeTarget(job_config(), "[::1]:9100", {}).url() == "http://[::1]:9100/metrics");
}

TEST_CASE("scrape offsets spread targets over the interval", "[scrape_target]") {
  auto job = job_config();
  const Duration interval = std::chrono::seconds(15);
  std::vector<int> buckets(15, 0);
  for (int i = 0; i < 300; ++i) {
    ScrapeTarget target(job, "10.0.0." + std::to_string(i) + ":9100", {});
    auto offset = target.offset(interval);
    REQUIRE(offset >= Duration(0));
    REQUIRE(offset < interval);
    ++buckets[offset.count() / 1000];
    // Stable: the same target always gets the same offset.
    CHECK(offset ==
          ScrapeTarget(job, "10.0.0." + std::to_string(i) + ":9100", {}).offset(interval));
  }
  // 300 targets over 15 one-second buckets: every bucket gets some (expected 20 each).
  for (int count : buckets) CHECK(count > 5);
}

}  // namespace
}  // namespace mc
