#include "exporter/exporter.hpp"

#include <catch2/catch.hpp>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "common/exposition/parser.hpp"
#include "common/store/head_storage.hpp"
#include "tests/support/loopback_listener.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/exporter/http_test_client.hpp"

namespace mc {
namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

size_t count_of(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// A running exporter on 127.0.0.1 with a real HeadStorage behind it.
struct ExporterFixture {
  HeadStorage storage;
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  std::unique_ptr<Exporter> exporter;

  explicit ExporterFixture(ExporterOptions options = {}) {
    options.listen_address = "127.0.0.1:0";
    options.worker_threads = 2;
    auto started = Exporter::start(options, storage, registry);
    INFO((started ? "" : started.error()));
    REQUIRE(started.is_ok());
    exporter = std::move(started).value();
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(exporter->port()) + path;
  }

  void append(const Labels& labels, const MetricMetadata* metadata, int64_t t_ms, double value) {
    auto appender = storage.appender();
    auto result = appender->append(0, labels, t_ms, value);
    if (metadata != nullptr) appender->update_metadata(result.ref, *metadata);
    REQUIRE(appender->commit().is_ok());
  }
};

Labels target_labels(std::string name, std::vector<Label> extra = {}) {
  extra.push_back({std::string(kMetricNameLabel), std::move(name)});
  extra.push_back({"instance", "app:8080"});
  extra.push_back({"job", "app"});
  return Labels(std::move(extra));
}

TEST_CASE("/metrics serves stored series in text 0.0.4 by default", "[exporter]") {
  ExporterFixture fixture;
  const int64_t t = now_ms() - 1000;
  MetricMetadata temperature{"temperature_celsius", MetricType::gauge, "Room temperature.", ""};
  fixture.append(target_labels("temperature_celsius", {{"room", "a"}}), &temperature, t, 21.5);
  fixture.append(target_labels("no_metadata"), nullptr, t, 7);

  auto reply = test::http_request(fixture.url("/metrics"));
  REQUIRE(reply.error.empty());
  CHECK(reply.status == 200);
  CHECK(reply.headers["content-type"] == kPrometheusTextContentType);
  CHECK(reply.headers.count("content-encoding") == 0);
  const std::string ts = std::to_string(t);
  CHECK_THAT(reply.body,
             Catch::Contains("# HELP temperature_celsius Room temperature.\n"
                             "# TYPE temperature_celsius gauge\n"
                             "temperature_celsius{instance=\"app:8080\",job=\"app\",room=\"a\"} "
                             "21.5 " +
                             ts + "\n"));
  CHECK_THAT(reply.body, Catch::Contains("# TYPE no_metadata untyped\n"
                                         "no_metadata{instance=\"app:8080\",job=\"app\"} 7 " +
                                         ts + "\n"));
  // The meta-metrics come along.
  CHECK_THAT(reply.body, Catch::Contains("\nmetrics_collector_head_series 2\n"));
  CHECK_THAT(reply.body, Catch::Contains("# TYPE process_cpu_seconds_total counter\n"));
  CHECK_THAT(reply.body, Catch::Contains("metrics_collector_build_info{compiler=\""));
}

class CountingHandler : public ExpositionHandler {
 public:
  void on_family(const FamilyView&) override { ++families; }
  void on_sample(const SampleView&) override { ++samples; }
  int families = 0;
  int samples = 0;
};

TEST_CASE("/metrics serves OpenMetrics to Prometheus's Accept header", "[exporter]") {
  ExporterFixture fixture;
  MetricMetadata jobs{"jobs", MetricType::counter, "Jobs run.", ""};
  // The lookback is 5 minutes: write the sample "now" but pin the format of
  // the timestamp by choosing its milliseconds.
  const int64_t recent = (now_ms() / 1000 - 1) * 1000 + 123;
  fixture.append(target_labels("jobs_total"), &jobs, recent, 3);

  auto reply = test::http_request(fixture.url("/metrics"), "GET",
                                  {"Accept: " + std::string(kScrapeAcceptHeader)});
  REQUIRE(reply.error.empty());
  CHECK(reply.status == 200);
  CHECK(reply.headers["content-type"] == kOpenMetricsContentType);
  CHECK_THAT(reply.body, Catch::Contains("# HELP jobs Jobs run.\n# TYPE jobs counter\n"
                                         "jobs_total{instance=\"app:8080\",job=\"app\"} 3.0 " +
                                         std::to_string(recent / 1000) + ".123\n"));
  CHECK_THAT(reply.body, Catch::EndsWith("# EOF\n"));
  CountingHandler handler;
  auto status = parse_exposition(reply.body, ExpositionFormat::openmetrics, handler);
  INFO(reply.body);
  CHECK(status.is_ok());
  CHECK(handler.samples > 10);
}

TEST_CASE("/metrics is gzipped when the client accepts gzip", "[exporter]") {
  ExporterFixture fixture;
  const int64_t t = now_ms() - 1000;
  fixture.append(target_labels("payload"), nullptr, t, 1);
  auto reply = test::http_request(fixture.url("/metrics"), "GET", {"Accept-Encoding: gzip"});
  REQUIRE(reply.error.empty());
  CHECK(reply.status == 200);
  CHECK(reply.headers["content-encoding"] == "gzip");
  CHECK(reply.headers["transfer-encoding"] == "chunked");  // streamed: no Content-Length
  bool ok = false;
  std::string body = test::gunzip(reply.body, ok);
  REQUIRE(ok);
  CHECK_THAT(body, Catch::Contains("payload{instance=\"app:8080\",job=\"app\"} 1 " +
                                   std::to_string(t) + "\n"));
}

TEST_CASE("/metrics skips stale series and series outside the lookback", "[exporter]") {
  ExporterOptions options;
  options.lookback = std::chrono::minutes(5);
  ExporterFixture fixture(options);
  const int64_t now = now_ms();
  fixture.append(target_labels("gone"), nullptr, now - 20000, 1);
  fixture.append(target_labels("gone"), nullptr, now - 10000, stale_nan());
  fixture.append(target_labels("not_a_number"), nullptr, now - 10000, std::nan(""));
  fixture.append(target_labels("old"), nullptr, now - 6 * 60 * 1000, 1);
  fixture.append(target_labels("recent"), nullptr, now - 4 * 60 * 1000, 1);

  auto reply = test::http_request(fixture.url("/metrics"));
  REQUIRE(reply.status == 200);
  CHECK_THAT(reply.body, !Catch::Contains("gone"));
  CHECK_THAT(reply.body, !Catch::Contains("\nold{"));
  CHECK_THAT(reply.body, Catch::Contains("\nrecent{"));
  CHECK_THAT(reply.body, Catch::Contains("not_a_number{instance=\"app:8080\",job=\"app\"} NaN"));
}

TEST_CASE("a meta-metric the daemon scraped from itself is one family", "[exporter]") {
  ExporterFixture fixture;
  prometheus::BuildCounter()
      .Name("metrics_collector_widgets_total")
      .Help("Widgets made.")
      .Register(*fixture.registry)
      .Add({})
      .Increment(5);
  // As the scraper stores it after scraping /metrics/self in OpenMetrics.
  MetricMetadata scraped{"metrics_collector_widgets", MetricType::counter, "Widgets made.", ""};
  const int64_t t = now_ms() - 1000;
  fixture.append(Labels{{std::string(kMetricNameLabel), "metrics_collector_widgets_total"},
                        {"instance", "localhost:9993"},
                        {"job", "self"}},
                 &scraped, t, 4);

  auto text = test::http_request(fixture.url("/metrics"));
  CHECK(count_of(text.body, "# TYPE metrics_collector_widgets_total") == 1);
  CHECK(count_of(text.body, "# HELP metrics_collector_widgets_total") == 1);
  CHECK_THAT(text.body, Catch::Contains("# TYPE metrics_collector_widgets_total counter\n"
                                        "metrics_collector_widgets_total 5\n"
                                        "metrics_collector_widgets_total{instance=\"localhost:"
                                        "9993\",job=\"self\"} 4 " +
                                        std::to_string(t) + "\n"));
  auto openmetrics = test::http_request(fixture.url("/metrics"), "GET",
                                        {"Accept: " + std::string(kScrapeAcceptHeader)});
  CHECK(count_of(openmetrics.body, "# TYPE metrics_collector_widgets ") == 1);
  CHECK(count_of(openmetrics.body, "metrics_collector_widgets_total") == 2);
}

TEST_CASE("/metrics/self serves the meta-metrics only", "[exporter]") {
  ExporterFixture fixture;
  fixture.append(target_labels("stored_series"), nullptr, now_ms() - 1000, 1);
  auto reply = test::http_request(fixture.url("/metrics/self"));
  CHECK(reply.status == 200);
  CHECK_THAT(reply.body, !Catch::Contains("stored_series"));
  CHECK_THAT(reply.body, Catch::Contains("\nmetrics_collector_head_series 1\n"));
  CHECK_THAT(reply.body, Catch::Contains("process_resident_memory_bytes "));
  // /metrics reads no parameters, so a malformed query string changes nothing.
  CHECK(test::http_request(fixture.url("/metrics/self?x=%zz")).status == 200);
}

TEST_CASE("health, readiness, landing page, 404 and 405", "[exporter]") {
  ExporterFixture fixture;
  auto healthy = test::http_request(fixture.url("/-/healthy"));
  CHECK(healthy.status == 200);
  CHECK(healthy.body == "Metrics Collector is Healthy.\n");

  CHECK(test::http_request(fixture.url("/-/ready")).status == 503);
  fixture.exporter->set_ready(true);
  CHECK(test::http_request(fixture.url("/-/ready")).status == 200);
  fixture.exporter->set_ready(false);
  CHECK(test::http_request(fixture.url("/-/ready")).status == 503);

  auto landing = test::http_request(fixture.url("/"));
  CHECK(landing.status == 200);
  CHECK(landing.headers["content-type"] == "text/html; charset=utf-8");
  CHECK_THAT(landing.body, Catch::Contains("href=\"/metrics\""));

  CHECK(test::http_request(fixture.url("/nothing-here")).status == 404);
  CHECK(test::http_request(fixture.url("/metrics/")).status == 404);
  auto post = test::http_request(fixture.url("/metrics"), "POST");
  CHECK(post.status == 405);
  CHECK(post.headers["allow"] == "GET, HEAD");
  CHECK(test::http_request(fixture.url("/-/healthy"), "DELETE").status == 405);

  auto head = test::http_request(fixture.url("/-/healthy"), "HEAD");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.headers["content-length"] == std::to_string(healthy.body.size()));

  // The requests above were counted. A request is counted after its response
  // is sent, so the last one may land a moment after the client has it.
  auto self = test::http_request(fixture.url("/metrics/self"));
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (self.body.find(
            "metrics_collector_http_requests_total{code=\"404\",handler=\"other\"} 2\n") !=
        std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    self = test::http_request(fixture.url("/metrics/self"));
  }
  CHECK_THAT(self.body,
             Catch::Contains("metrics_collector_http_requests_total{code=\"503\",handler=\"/-/"
                             "ready\"} 2\n"));
  CHECK_THAT(self.body, Catch::Contains(
                            "metrics_collector_http_requests_total{code=\"404\",handler=\"other\"} "
                            "2\n"));
}

TEST_CASE("a taken or invalid listen address is an error, not a crash", "[exporter]") {
  ExporterFixture first;
  const std::string taken = "127.0.0.1:" + std::to_string(first.exporter->port());
  ExporterOptions options;
  options.listen_address = taken;
  auto second = Exporter::start(options, first.storage, first.registry);
  REQUIRE_FALSE(second.is_ok());
  CHECK(second.error() == "cannot listen on " + taken + ": Address already in use");

  for (std::string address : {"no-port-here", "127.0.0.1:99999", "127.0.0.1:http"}) {
    options.listen_address = address;
    auto invalid = Exporter::start(options, first.storage, first.registry);
    REQUIRE_FALSE(invalid.is_ok());
    CHECK_THAT(invalid.error(), Catch::Contains("cannot listen on"));
  }
}

// Issue 15: civetweb says only "Failed to setup server ports"; the error the
// daemon ends with must say why.
TEST_CASE("a port in use fails with the reason", "[exporter]") {
  auto occupant = std::make_unique<test::LoopbackListener>();
  const std::string taken = occupant->address();

  HeadStorage storage;
  ExporterOptions options;
  options.listen_address = taken;
  auto started = Exporter::start(options, storage, std::make_shared<prometheus::Registry>());
  occupant.reset();
  REQUIRE_FALSE(started.is_ok());
  CHECK(started.error() == "cannot listen on " + taken + ": Address already in use");
}

TEST_CASE("/metrics passes promtool check metrics", "[exporter][promtool]") {
  if (!std::filesystem::exists("/usr/bin/promtool")) {
    WARN("promtool not installed (/usr/bin/promtool); skipping the lint check");
    return;
  }
  ExporterFixture fixture;
  const int64_t t = now_ms() - 1000;
  MetricMetadata requests{"http_requests_total", MetricType::counter, "Requests served.", ""};
  fixture.append(target_labels("http_requests_total", {{"code", "200"}}), &requests, t, 10);
  MetricMetadata latency{"request_seconds", MetricType::histogram, "Request latency.", ""};
  fixture.append(target_labels("request_seconds_bucket", {{"le", "0.5"}}), &latency, t, 1);
  fixture.append(target_labels("request_seconds_bucket", {{"le", "+Inf"}}), &latency, t, 2);
  fixture.append(target_labels("request_seconds_sum"), &latency, t, 0.75);
  fixture.append(target_labels("request_seconds_count"), &latency, t, 2);
  test::http_request(fixture.url("/-/ready"));  // so the HTTP histogram has data

  auto reply = test::http_request(fixture.url("/metrics"));
  REQUIRE(reply.status == 200);
  test::TempDir dir;
  auto path = dir.write_file("metrics.txt", reply.body);
  std::string command = "/usr/bin/promtool check metrics < '" + path.string() + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[512];
  while (size_t n = std::fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  int status = ::pclose(pipe);
  INFO(reply.body);
  INFO(output);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(output.empty());
}

}  // namespace
}  // namespace mc

namespace mc {
namespace {

TEST_CASE("external labels are added to stored series that lack them", "[exporter]") {
  ExporterOptions options;
  options.external_labels = {{"cluster", "eu-1"}, {"job", "ignored-because-present"}};
  ExporterFixture fixture(options);
  const int64_t t = now_ms() - 1000;
  fixture.append(target_labels("queue_depth"), nullptr, t, 3);
  auto body = fixture.exporter->render_metrics(ExpositionFormat::prometheus_text, true);
  CHECK_THAT(body,
             Catch::Contains("queue_depth{cluster=\"eu-1\",instance=\"app:8080\",job=\"app\"} 3"));
  // Meta-metrics describe this daemon, not a stored target: no external labels.
  CHECK_THAT(body, !Catch::Contains("metrics_collector_head_series{cluster"));
}

}  // namespace
}  // namespace mc
