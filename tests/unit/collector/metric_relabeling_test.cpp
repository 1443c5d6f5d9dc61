// metric_relabel_configs in the scrape loop: run once per new series, a
// dropped series cached as dropped (never stored, never marked stale), and
// scrape_samples_post_metric_relabeling counting what was kept.
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "collector/scrape/scrape_loop.hpp"
#include "common/relabel/relabel_config.hpp"
#include "common/store/head_storage.hpp"
#include "tests/support/store_reading.hpp"

namespace mc {
namespace {

using test::latest_samples;
using test::samples_of;
using Names = std::vector<std::string>;

RelabelConfig rule(const RelabelRuleFields& fields) {
  auto made = make_relabel_config(fields);
  REQUIRE(made);
  return *made;
}

ScrapeConfig job_with(std::vector<RelabelConfig> metric_rules) {
  ScrapeConfig job;
  job.job_name = "app";
  job.scrape_interval = std::chrono::seconds(15);
  job.scrape_timeout = std::chrono::seconds(10);
  job.metric_relabel_configs = std::move(metric_rules);
  return job;
}

ScrapeResponse ok_response(std::string_view body) {
  ScrapeResponse response;
  response.body = body;
  response.content_type = "text/plain; version=0.0.4";
  return response;
}

Labels series(std::string_view name, std::vector<Label> extra = {}) {
  LabelsBuilder builder;
  builder.set("__name__", name).set("job", "app").set("instance", "127.0.0.1:8080");
  for (const auto& label : extra) builder.set(label.name, label.value);
  return builder.labels();
}

std::vector<std::string> stored_names(Storage& storage) {
  std::vector<std::string> names;
  for (const auto& [labels, sample] : latest_samples(storage)) {
    names.emplace_back(labels.metric_name());
  }
  return names;
}

constexpr std::string_view kBody =
    "go_goroutines 7\n"
    "http_requests_total{code=\"200\",tmp_id=\"x\"} 10\n"
    "http_requests_total{code=\"500\",tmp_id=\"y\"} 2\n"
    "go_gc_duration_seconds_sum 0.5\n";

TEST_CASE("metric relabeling drops series, rewrites labels, and the report counts what is kept",
          "[scrape_loop][relabel]") {
  HeadStorage storage;
  const auto job = job_with({
      rule({.source_labels = Names{"__name__"}, .regex = "go_.*", .action = "drop"}),
      rule({.regex = "tmp_.*", .action = "labeldrop"}),
      rule({.source_labels = Names{"code"},
            .regex = "(5)..",
            .target_label = "class",
            .replacement = "${1}xx"}),
  });
  ScrapeLoop loop(ScrapeTarget(job, "127.0.0.1:8080", {}), job, storage);
  auto report = loop.process(ok_response(kBody), 1000, 0.1);
  REQUIRE(report.up);
  CHECK(report.samples_scraped == 4);
  CHECK(report.samples_kept == 2);
  CHECK(report.series_added == 2);
  CHECK(samples_of(storage, series("http_requests_total", {{"code", "200"}})) ==
        std::vector<Sample>{{1000, 10}});
  CHECK(samples_of(storage, series("http_requests_total", {{"code", "500"}, {"class", "5xx"}})) ==
        std::vector<Sample>{{1000, 2}});
  CHECK(samples_of(storage, series("go_goroutines")).empty());
  CHECK(samples_of(storage, series("scrape_samples_scraped")) == std::vector<Sample>{{1000, 4}});
  CHECK(samples_of(storage, series("scrape_samples_post_metric_relabeling")) ==
        std::vector<Sample>{{1000, 2}});
}

TEST_CASE("a dropped series stays cached as dropped: the next scrape adds nothing",
          "[scrape_loop][relabel]") {
  HeadStorage storage;
  const auto job =
      job_with({rule({.source_labels = Names{"__name__"}, .regex = "go_.*", .action = "drop"})});
  ScrapeLoop loop(ScrapeTarget(job, "127.0.0.1:8080", {}), job, storage);
  REQUIRE(loop.process(ok_response(kBody), 1000, 0.1).up);
  CHECK(loop.cached_series() == 4);  // the two dropped ones too
  auto second = loop.process(ok_response(kBody), 2000, 0.1);
  REQUIRE(second.up);
  CHECK(second.series_added == 0);
  CHECK(second.samples_kept == 2);
  CHECK(second.stale_markers == 0);
  CHECK(loop.cached_series() == 4);
  CHECK(samples_of(storage, series("go_goroutines")).empty());
}

TEST_CASE("a dropped series that vanishes gets no stale marker; a kept one does",
          "[scrape_loop][relabel]") {
  HeadStorage storage;
  const auto job =
      job_with({rule({.source_labels = Names{"__name__"}, .regex = "go_.*", .action = "drop"})});
  ScrapeLoop loop(ScrapeTarget(job, "127.0.0.1:8080", {}), job, storage);
  REQUIRE(loop.process(ok_response(kBody), 1000, 0.1).up);
  auto report =
      loop.process(ok_response("http_requests_total{code=\"200\",tmp_id=\"x\"} 11\n"), 2000, 0.1);
  REQUIRE(report.up);
  CHECK(report.stale_markers == 1);  // code="500" only
  // Marking the target stale must not touch the dropped series either.
  loop.mark_all_stale(3000);
  CHECK(samples_of(storage, series("go_goroutines")).empty());
}

TEST_CASE("a series relabeled to no labels at all is dropped", "[scrape_loop][relabel]") {
  HeadStorage storage;
  const auto job = job_with({rule({.regex = "nothing_matches_this", .action = "labelkeep"})});
  ScrapeLoop loop(ScrapeTarget(job, "127.0.0.1:8080", {}), job, storage);
  auto report = loop.process(ok_response("a 1\nb 2\n"), 1000, 0.1);
  REQUIRE(report.up);
  CHECK(report.samples_kept == 0);
  CHECK(samples_of(storage, series("scrape_samples_post_metric_relabeling")) ==
        std::vector<Sample>{{1000, 0}});
  const auto names = stored_names(storage);
  CHECK(std::find(names.begin(), names.end(), "a") == names.end());
}

TEST_CASE("metric relabeling sees the target labels and may overwrite them",
          "[scrape_loop][relabel]") {
  HeadStorage storage;
  const auto job = job_with(
      {rule(
           {.source_labels = Names{"job", "instance"}, .separator = "@", .target_label = "origin"}),
       rule({.target_label = "instance", .replacement = "renamed"})});
  ScrapeLoop loop(ScrapeTarget(job, "127.0.0.1:8080", {}), job, storage);
  REQUIRE(loop.process(ok_response("m 1\n"), 1000, 0.1).up);
  LabelsBuilder expected;
  expected.set("__name__", "m")
      .set("job", "app")
      .set("instance", "renamed")
      .set("origin", "app@127.0.0.1:8080");
  CHECK(samples_of(storage, expected.labels()) == std::vector<Sample>{{1000, 1}});
}

TEST_CASE("sample_limit counts the samples metric relabeling keeps", "[scrape_loop][relabel]") {
  HeadStorage storage;
  auto job =
      job_with({rule({.source_labels = Names{"__name__"}, .regex = "go_.*", .action = "drop"})});
  job.sample_limit = 2;
  ScrapeLoop loop(ScrapeTarget(job, "127.0.0.1:8080", {}), job, storage);
  // 4 exposed, 2 kept: within the limit, as in Prometheus.
  REQUIRE(loop.process(ok_response(kBody), 1000, 0.1).up);
  auto over = loop.process(ok_response(std::string(kBody) + "extra 1\n"), 2000, 0.1);
  CHECK_FALSE(over.up);
  CHECK(over.failure_reason == "sample_limit");
  CHECK(over.error ==
        "sample_limit exceeded: the target exposed 5 samples, 3 left after metric relabeling, "
        "the limit is 2");
  CHECK(samples_of(storage, series("extra")).empty());
}

}  // namespace
}  // namespace mc
