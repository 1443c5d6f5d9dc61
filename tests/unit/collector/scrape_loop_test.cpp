#include "collector/scrape/scrape_loop.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/model/sample_value.hpp"
#include "common/store/head_storage.hpp"
#include "tests/support/store_reading.hpp"

namespace mc {
namespace {

using test::latest_samples;
using test::samples_of;

ScrapeConfig job_config(bool honor_labels = false, bool honor_timestamps = true) {
  ScrapeConfig job;
  job.job_name = "app";
  job.scrape_interval = std::chrono::seconds(15);
  job.scrape_timeout = std::chrono::seconds(10);
  job.honor_labels = honor_labels;
  job.honor_timestamps = honor_timestamps;
  return job;
}

ScrapeResponse ok_response(std::string_view body,
                           std::string_view content_type = "text/plain; version=0.0.4") {
  ScrapeResponse response;
  response.body = body;
  response.content_type = content_type;
  return response;
}

ScrapeResponse failed_response(std::string message, std::string reason) {
  ScrapeResponse response;
  response.status = Status::error(std::move(message));
  response.failure_reason = std::move(reason);
  return response;
}

Labels series(std::string_view name, std::vector<Label> extra = {}) {
  LabelsBuilder builder;
  builder.set("__name__", name).set("job", "app").set("instance", "127.0.0.1:8080");
  for (const auto& label : extra) builder.set(label.name, label.value);
  return builder.labels();
}

struct Fixture {
  HeadStorage storage;
  ScrapeLoop loop{ScrapeTarget(job_config(), "127.0.0.1:8080", {}), job_config(), storage};
};

// The metadata the store holds for the series with exactly these labels.
std::optional<MetricMetadata> metadata_of(Storage& storage, const Labels& labels) {
  std::optional<MetricMetadata> found;
  storage.latest_samples().for_each_latest(INT64_MIN, INT64_MAX, [&](const LatestSample& latest) {
    if (latest.labels == labels && latest.metadata != nullptr) found = *latest.metadata;
  });
  return found;
}

TEST_CASE("a scrape stores every sample with job and instance, and the report series",
          "[scrape_loop]") {
  Fixture f;
  auto report = f.loop.process(ok_response("# TYPE requests_total counter\n"
                                           "requests_total{code=\"200\"} 10\n"
                                           "requests_total{code=\"500\"} 2\n"
                                           "temperature 21.5\n"),
                               1000, 0.25);
  REQUIRE(report.up);
  CHECK(report.samples_scraped == 3);
  CHECK(report.series_added == 3);
  CHECK(samples_of(f.storage, series("requests_total", {{"code", "200"}})) ==
        std::vector<Sample>{{1000, 10}});
  CHECK(samples_of(f.storage, series("temperature")).at(0).v == 21.5);
  CHECK(samples_of(f.storage, series("up")) == std::vector<Sample>{{1000, 1}});
  CHECK(samples_of(f.storage, series("scrape_duration_seconds")).at(0).v == 0.25);
  CHECK(samples_of(f.storage, series("scrape_samples_scraped")).at(0).v == 3);
  CHECK(samples_of(f.storage, series("scrape_samples_post_metric_relabeling")).at(0).v == 3);
  CHECK(samples_of(f.storage, series("scrape_series_added")).at(0).v == 3);

  // The second scrape adds no series.
  report = f.loop.process(ok_response("# TYPE requests_total counter\n"
                                      "requests_total{code=\"200\"} 11\n"
                                      "requests_total{code=\"500\"} 2\n"
                                      "temperature 21.0\n"),
                          2000, 0.1);
  CHECK(report.series_added == 0);
  CHECK(samples_of(f.storage, series("scrape_series_added")).back().v == 0);
  CHECK(samples_of(f.storage, series("requests_total", {{"code", "200"}})).size() == 2);
}

TEST_CASE("a series that vanishes from the target gets one staleness marker", "[scrape_loop]") {
  Fixture f;
  REQUIRE(f.loop.process(ok_response("a 1\nb 2\n"), 1000, 0.1).up);
  auto report = f.loop.process(ok_response("a 1\n"), 2000, 0.1);
  REQUIRE(report.up);
  CHECK(report.stale_markers == 1);
  auto b = samples_of(f.storage, series("b"));
  REQUIRE(b.size() == 2);
  CHECK(b[1].t_ms == 2000);
  CHECK(is_stale_nan(b[1].v));
  // Only once: the next scrape does not mark it again.
  CHECK(f.loop.process(ok_response("a 1\n"), 3000, 0.1).stale_markers == 0);
  // When it comes back it is an ordinary series again.
  REQUIRE(f.loop.process(ok_response("a 1\nb 5\n"), 4000, 0.1).up);
  CHECK(samples_of(f.storage, series("b")).back().v == 5);
}

TEST_CASE("a failed scrape marks every series stale and reports up 0", "[scrape_loop]") {
  Fixture f;
  REQUIRE(f.loop.process(ok_response("a 1\nb 2\n"), 1000, 0.1).up);
  auto report =
      f.loop.process(failed_response("server returned HTTP status 500", "http_status"), 2000, 0.1);
  CHECK_FALSE(report.up);
  CHECK(report.failure_reason == "http_status");
  CHECK(report.error == "server returned HTTP status 500");
  CHECK(report.stale_markers == 2);
  CHECK(is_stale_nan(samples_of(f.storage, series("a")).back().v));
  CHECK(is_stale_nan(samples_of(f.storage, series("b")).back().v));
  CHECK(samples_of(f.storage, series("up")).back().v == 0);
  // The report series themselves are never stale while the target exists.
  CHECK(samples_of(f.storage, series("scrape_duration_seconds")).back().v == 0.1);
}

TEST_CASE("an unparsable body stores nothing of it and names the line", "[scrape_loop]") {
  Fixture f;
  REQUIRE(f.loop.process(ok_response("a 1\n"), 1000, 0.1).up);
  auto report = f.loop.process(ok_response("a 2\nnew_series 3\n<html>oops</html>\n"), 2000, 0.1);
  CHECK_FALSE(report.up);
  CHECK(report.failure_reason == "parse");
  CHECK_THAT(report.error, Catch::Contains("line 3"));
  // Samples parsed before the error were rolled back: a is stale, not 2.
  auto a = samples_of(f.storage, series("a"));
  REQUIRE(a.size() == 2);
  CHECK(is_stale_nan(a[1].v));
  CHECK(samples_of(f.storage, series("new_series")).empty());
  CHECK(samples_of(f.storage, series("up")).back().v == 0);
  // And the next good scrape works.
  CHECK(f.loop.process(ok_response("a 3\n"), 3000, 0.1).up);
  CHECK(samples_of(f.storage, series("a")).back().v == 3);
}

TEST_CASE("honor_timestamps decides whose timestamp a sample gets", "[scrape_loop]") {
  HeadStorage storage;
  ScrapeLoop honoring(ScrapeTarget(job_config(false, true), "127.0.0.1:8080", {}),
                      job_config(false, true), storage);
  REQUIRE(honoring.process(ok_response("a 1 500\n"), 1000, 0.1).up);
  CHECK(samples_of(storage, series("a")) == std::vector<Sample>{{500, 1}});

  HeadStorage storage2;
  ScrapeLoop ignoring(ScrapeTarget(job_config(false, false), "127.0.0.1:8080", {}),
                      job_config(false, false), storage2);
  REQUIRE(ignoring.process(ok_response("a 1 500\n"), 1000, 0.1).up);
  CHECK(samples_of(storage2, series("a")) == std::vector<Sample>{{1000, 1}});
}

TEST_CASE("OpenMetrics bodies are read as OpenMetrics", "[scrape_loop]") {
  Fixture f;
  auto report =
      f.loop.process(ok_response("# TYPE jobs counter\njobs_total 3\n# EOF\n",
                                 "application/openmetrics-text; version=1.0.0; charset=utf-8"),
                     1000, 0.1);
  REQUIRE(report.up);
  CHECK(samples_of(f.storage, series("jobs_total")) == std::vector<Sample>{{1000, 3}});
}

TEST_CASE("a sample the store rejects is counted, the scrape still succeeds", "[scrape_loop]") {
  Fixture f;
  REQUIRE(f.loop.process(ok_response("a 1 5000\n"), 1000, 0.1).up);
  auto report = f.loop.process(ok_response("a 2 4000\nb 1\n"), 2000, 0.1);
  CHECK(report.up);
  CHECK(report.out_of_order == 1);
  CHECK(samples_of(f.storage, series("b")).size() == 1);
}

TEST_CASE("marking a target stale covers its series and its report series", "[scrape_loop]") {
  Fixture f;
  REQUIRE(f.loop.process(ok_response("a 1\n"), 1000, 0.1).up);
  f.loop.mark_all_stale(2000);
  for (const auto& [labels, sample] : latest_samples(f.storage)) {
    INFO(labels.to_string());
    CHECK(is_stale_nan(sample.v));
  }
  CHECK(latest_samples(f.storage).size() == 6);  // a + five report series
}

TEST_CASE("a family's changed TYPE, HELP or UNIT reaches the store", "[scrape_loop]") {
  Fixture f;
  REQUIRE(f.loop.process(ok_response("# HELP a first\n# TYPE a gauge\na 1\n"), 1000, 0.1).up);
  auto metadata = metadata_of(f.storage, series("a"));
  REQUIRE(metadata);
  CHECK(*metadata == MetricMetadata{"a", MetricType::gauge, "first", ""});

  REQUIRE(f.loop.process(ok_response("# HELP a second\n# TYPE a gauge\na 2\n"), 2000, 0.1).up);
  CHECK(metadata_of(f.storage, series("a"))->help == "second");
  REQUIRE(f.loop.process(ok_response("# HELP a second\n# TYPE a counter\na 3\n"), 3000, 0.1).up);
  CHECK(*metadata_of(f.storage, series("a")) ==
        MetricMetadata{"a", MetricType::counter, "second", ""});
  REQUIRE(f.loop.process(ok_response("# TYPE a counter\na 4\n"), 4000, 0.1).up);
  CHECK(metadata_of(f.storage, series("a"))->help.empty());
  REQUIRE(f.loop.process(ok_response("# HELP a first\n# TYPE a gauge\na 5\n"), 5000, 0.1).up);
  CHECK(*metadata_of(f.storage, series("a")) ==
        MetricMetadata{"a", MetricType::gauge, "first", ""});

  const char* open_metrics = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  REQUIRE(f.loop
              .process(ok_response("# TYPE a_seconds gauge\n# UNIT a_seconds seconds\n"
                                   "# HELP a_seconds first\na_seconds 6\n# EOF\n",
                                   open_metrics),
                       7000, 0.1)
              .up);
  CHECK(*metadata_of(f.storage, series("a_seconds")) ==
        MetricMetadata{"a_seconds", MetricType::gauge, "first", "seconds"});
}

TEST_CASE("HELP texts that change every scrape stay right for every family", "[scrape_loop]") {
  const size_t pool_before = SharedMetadata::pool_size();
  Fixture f;
  for (int scrape = 1; scrape <= 60; ++scrape) {
    std::string body;
    for (int family = 0; family < 3; ++family) {
      // Family 1 keeps its text; the others change it each scrape, 1 KB at a time.
      const int version = family == 1 ? 0 : scrape;
      body += fmt::format("# HELP f{0} {1}{2}\n# TYPE f{0} gauge\nf{0} {3}\n", family,
                          std::string(1000, 'x'), version, scrape);
    }
    REQUIRE(f.loop.process(ok_response(body), scrape * 1000, 0.1).up);
    // The replaced texts are gone: the pool holds this scrape's three.
    CHECK(SharedMetadata::pool_size() == pool_before + 3);
    for (int family = 0; family < 3; ++family) {
      const int version = family == 1 ? 0 : scrape;
      auto metadata = metadata_of(f.storage, series(fmt::format("f{}", family)));
      REQUIRE(metadata);
      CHECK(metadata->help == std::string(1000, 'x') + std::to_string(version));
    }
  }
}

TEST_CASE("targets declaring the same families share one copy of their metadata", "[scrape_loop]") {
  const size_t before = SharedMetadata::pool_size();
  HeadStorage storage;
  std::vector<std::unique_ptr<ScrapeLoop>> loops;
  const std::string body =
      "# HELP shared_a_total A counter.\n# TYPE shared_a_total counter\nshared_a_total 1\n"
      "# HELP shared_b A gauge.\n# TYPE shared_b gauge\nshared_b 2\n";
  for (int target = 0; target < 20; ++target) {
    const std::string address = fmt::format("127.0.0.1:{}", 9000 + target);
    loops.push_back(std::make_unique<ScrapeLoop>(ScrapeTarget(job_config(), address, {}),
                                                 job_config(), storage));
    REQUIRE(loops.back()->process(ok_response(body), 1000, 0.1).up);
  }
  // The two families once, not once a target (the report series' metadata
  // goes to the store directly, not through the pool).
  CHECK(SharedMetadata::pool_size() == before + 2);
  CHECK(loops[7]->declared_metadata("shared_b") ==
        std::vector<MetricMetadata>{{"shared_b", MetricType::gauge, "A gauge.", ""}});

  // One target's changed HELP is its own, and the old text stays for the rest.
  REQUIRE(
      loops[3]
          ->process(ok_response("# HELP shared_b Changed.\n# TYPE shared_b gauge\nshared_b 3\n"),
                    2000, 0.1)
          .up);
  CHECK(loops[3]->declared_metadata("shared_b")[0].help == "Changed.");
  CHECK(loops[4]->declared_metadata("shared_b")[0].help == "A gauge.");
  CHECK(SharedMetadata::pool_size() == before + 3);
  loops.clear();
  CHECK(SharedMetadata::pool_size() == before);
}

TEST_CASE("a metric name longer than 16 bits count is scraped again and again", "[scrape_loop]") {
  Fixture f;
  const std::string name = "n" + std::string(70000, 'x');
  for (int scrape = 1; scrape <= 3; ++scrape) {
    const std::string body = fmt::format("{0} {1}\nshort{{a=\"1\"}} {1}\n", name, scrape);
    auto report = f.loop.process(ok_response(body), scrape * 1000, 0.1);
    REQUIRE(report.up);
    CHECK(report.samples_kept == 2);
    CHECK(report.series_added == (scrape == 1 ? 2U : 0U));
  }
  CHECK(samples_of(f.storage, series(name)).size() == 3);
  CHECK(samples_of(f.storage, series("short", {{"a", "1"}})).size() == 3);
}

TEST_CASE("a target that changes the order of its series keeps them", "[scrape_loop]") {
  Fixture f;
  REQUIRE(f.loop.process(ok_response("a 1\nb 2\nc 3\n"), 1000, 0.1).series_added == 3);
  auto report = f.loop.process(ok_response("c 4\nb 5\nd 7\na 6\n"), 2000, 0.1);
  REQUIRE(report.up);
  CHECK(report.series_added == 1);
  CHECK(report.stale_markers == 0);
  report = f.loop.process(ok_response("b 8\na 9\n"), 3000, 0.1);
  CHECK(report.series_added == 0);
  CHECK(report.stale_markers == 2);
  CHECK(samples_of(f.storage, series("a")) == std::vector<Sample>{{1000, 1}, {2000, 6}, {3000, 9}});
  CHECK(samples_of(f.storage, series("b")) == std::vector<Sample>{{1000, 2}, {2000, 5}, {3000, 8}});
  CHECK(is_stale_nan(samples_of(f.storage, series("d")).back().v));
  CHECK(f.loop.cached_series() == 4);
}

TEST_CASE("series unseen for more than ten scrapes leave the cache, not the store",
          "[scrape_loop]") {
  Fixture f;
  REQUIRE(f.loop.process(ok_response("a 1\nb 1\n"), 1000, 0.1).up);
  for (int scrape = 2; scrape <= 11; ++scrape) {
    REQUIRE(f.loop.process(ok_response("a 1\n"), scrape * 1000, 0.1).up);
  }
  CHECK(f.loop.cached_series() == 2);
  REQUIRE(f.loop.process(ok_response("a 1\n"), 12000, 0.1).up);
  CHECK(f.loop.cached_series() == 1);
  CHECK(samples_of(f.storage, series("b")).size() == 2);  // the sample and its stale marker
  auto report = f.loop.process(ok_response("a 1\nb 2\n"), 13000, 0.1);
  CHECK(report.series_added == 1);
  CHECK(samples_of(f.storage, series("b")).back() == Sample{13000, 2});
}

}  // namespace
}  // namespace mc

namespace mc {
namespace {

TEST_CASE("a scrape over sample_limit fails whole, and the next one within it works",
          "[scrape_loop]") {
  ScrapeConfig job = job_config();
  job.sample_limit = 2;
  HeadStorage storage;
  ScrapeLoop loop(ScrapeTarget(job, "127.0.0.1:8080", {}), job, storage);
  REQUIRE(loop.process(ok_response("a 1\nb 2\n"), 1000, 0.1).up);

  auto report = loop.process(ok_response("a 1\nb 2\nc 3\n"), 2000, 0.1);
  CHECK_FALSE(report.up);
  CHECK(report.failure_reason == "sample_limit");
  CHECK(report.error == "sample_limit exceeded: the target exposed 3 samples, the limit is 2");
  CHECK(samples_of(storage, series("c")).empty());
  CHECK(is_stale_nan(samples_of(storage, series("a")).back().v));
  CHECK(samples_of(storage, series("up")).back().v == 0);
  CHECK(samples_of(storage, series("scrape_samples_scraped")).back().v == 3);

  CHECK(loop.process(ok_response("a 5\nb 6\n"), 3000, 0.1).up);
  CHECK(samples_of(storage, series("a")).back().v == 5);
}

}  // namespace
}  // namespace mc

namespace mc {
namespace {

TEST_CASE("a new series over a label limit fails the scrape and is not cached", "[scrape_loop]") {
  ScrapeConfig job = job_config();
  job.label_value_length_limit = 16;  // instance="127.0.0.1:8080" is 14
  HeadStorage storage;
  ScrapeLoop loop(ScrapeTarget(job, "127.0.0.1:8080", {}), job, storage);
  REQUIRE(loop.process(ok_response("a{v=\"short\"} 1\n"), 1000, 0.1).up);

  auto report = loop.process(
      ok_response("a{v=\"short\"} 2\nb{v=\"a value far too long for it\"} 3\n"), 2000, 0.1);
  CHECK_FALSE(report.up);
  CHECK(report.failure_reason == "label_limit");
  CHECK_THAT(report.error, Catch::StartsWith("label_value_length_limit exceeded (metric: b,"));
  CHECK(samples_of(storage, series("b", {{"v", "a value far too long for it"}})).empty());
  CHECK(is_stale_nan(samples_of(storage, series("a", {{"v", "short"}})).back().v));
  CHECK(loop.cached_series() == 1);

  CHECK(loop.process(ok_response("a{v=\"short\"} 4\n"), 3000, 0.1).up);
}

// The parser skips the labels of a line that begins with the series the cache
// expects next (ScrapeCache::expected); these check it takes no other series for it.
TEST_CASE("a series that begins with the bytes of the expected one is stored as itself",
          "[scrape_loop]") {
  Fixture f;
  REQUIRE(f.loop.process(ok_response("foo 1\nbar 2\n"), 1000, 0.1).up);
  auto report =
      f.loop.process(ok_response("foo{a=\"b\"} 3\nfoo 4\nfoo {a=\"c\"} 5\nbar 6\n"), 2000, 0.1);
  REQUIRE(report.up);
  CHECK(report.series_added == 2);
  report =
      f.loop.process(ok_response("foo{a=\"b\"} 7\nfoo 8\nfoo {a=\"c\"} 9\nbar 10\n"), 3000, 0.1);
  REQUIRE(report.up);
  CHECK(report.series_added == 0);
  CHECK(samples_of(f.storage, series("foo")) ==
        std::vector<Sample>{{1000, 1}, {2000, 4}, {3000, 8}});
  CHECK(samples_of(f.storage, series("foo", {{"a", "b"}})) ==
        std::vector<Sample>{{2000, 3}, {3000, 7}});
  CHECK(samples_of(f.storage, series("foo", {{"a", "c"}})) ==
        std::vector<Sample>{{2000, 5}, {3000, 9}});
  CHECK(samples_of(f.storage, series("bar")) ==
        std::vector<Sample>{{1000, 2}, {2000, 6}, {3000, 10}});
}

TEST_CASE("escaped label values of cached series keep their unescaped labels", "[scrape_loop]") {
  Fixture f;
  const std::string line_break_value = "a{v=\"x\\\"y\",w=\"p\nq\"} ";
  for (int scrape = 1; scrape <= 3; ++scrape) {
    const std::string body =
        line_break_value + std::to_string(scrape) + "\nb " + std::to_string(scrape) + "\n";
    REQUIRE(f.loop.process(ok_response(body), scrape * 1000, 0.1).up);
  }
  CHECK(samples_of(f.storage, series("a", {{"v", "x\"y"}, {"w", "p\nq"}})) ==
        std::vector<Sample>{{1000, 1}, {2000, 2}, {3000, 3}});
  CHECK(samples_of(f.storage, series("b")).size() == 3);
}

TEST_CASE("a target that switches between text and OpenMetrics keeps its series", "[scrape_loop]") {
  Fixture f;
  constexpr std::string_view kOpenMetrics = "application/openmetrics-text; version=1.0.0";
  const std::string text_body = "# TYPE foo gauge\nfoo{a=\"b\"} 1\n";
  const std::string openmetrics_body = "# TYPE foo gauge\nfoo{a=\"b\"} 1\n# EOF\n";
  REQUIRE(f.loop.process(ok_response(openmetrics_body, kOpenMetrics), 1000, 0.1).up);
  REQUIRE(f.loop.process(ok_response(text_body), 2000, 0.1).up);
  REQUIRE(f.loop.process(ok_response(text_body), 3000, 0.1).up);
  REQUIRE(f.loop.process(ok_response(openmetrics_body, kOpenMetrics), 4000, 0.1).up);
  CHECK(samples_of(f.storage, series("foo", {{"a", "b"}})).size() == 4);
  CHECK(f.loop.cached_series() == 1);
}

}  // namespace
}  // namespace mc
