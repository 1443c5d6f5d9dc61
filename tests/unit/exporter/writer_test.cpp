#include "common/exposition/writer.hpp"

#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/exposition/parser.hpp"
#include "common/model/sample_value.hpp"

namespace mc {
namespace {

Labels labels_of(std::string name, std::vector<Label> labels = {}) {
  labels.push_back(Label{std::string(kMetricNameLabel), std::move(name)});
  return Labels(std::move(labels));
}

ExposedSeries point(std::string name, std::vector<Label> labels, double value,
                    std::optional<int64_t> timestamp_ms = std::nullopt) {
  return ExposedSeries{labels_of(std::move(name), std::move(labels)), value, timestamp_ms};
}

// Families in no particular order, with series in no particular order, to
// show the writer orders them.
std::vector<ExposedFamily> sample_families() {
  std::vector<ExposedFamily> families;
  families.push_back(
      ExposedFamily{{"zeta", MetricType::unknown, "", ""}, {point("zeta", {}, 1.5e-07)}});
  families.push_back(ExposedFamily{
      {"temperature", MetricType::gauge, "", ""},
      {point("temperature", {{"path", "y"}}, stale_nan()),
       point("temperature", {{"path", "x"}}, std::nan("")),
       point("temperature", {{"path", "C:\\dir"}, {"quote", "a\"b\nc"}}, 1e6, 1605281325000)}});
  families.push_back(ExposedFamily{
      {"latency_seconds", MetricType::histogram, "Request latency.", "seconds"},
      {point("latency_seconds_count", {}, 7), point("latency_seconds_bucket", {{"le", "10"}}, 7),
       point("latency_seconds_sum", {}, 12.5), point("latency_seconds_bucket", {{"le", "+Inf"}}, 7),
       point("latency_seconds_bucket", {{"le", "0.1"}}, 2),
       point("latency_seconds_bucket", {{"le", "1"}}, 5)}});
  families.push_back(ExposedFamily{
      {"http_requests", MetricType::counter, "Total \"requests\".\nSecond \\ line", ""},
      {point("http_requests_total", {{"code", "400"}}, 3),
       point("http_requests_created", {{"code", "200"}}, 1605281000),
       point("http_requests_total", {{"code", "200"}}, 1027, 1605281325123)}});
  families.push_back(ExposedFamily{{"build", MetricType::info, "Build information.", ""},
                                   {point("build_info", {{"version", "1"}}, 1)}});
  return families;
}

TEST_CASE("text 0.0.4 output is pinned", "[writer]") {
  std::string out;
  auto stats = write_exposition(out, sample_families(), ExpositionFormat::prometheus_text);
  CHECK(out ==
        "# HELP build_info Build information.\n"
        "# TYPE build_info gauge\n"
        "build_info{version=\"1\"} 1\n"
        "# HELP http_requests_total Total \"requests\".\\nSecond \\\\ line\n"
        "# TYPE http_requests_total counter\n"
        "http_requests_total{code=\"200\"} 1027 1605281325123\n"
        "http_requests_total{code=\"400\"} 3\n"
        "# HELP http_requests_created Total \"requests\".\\nSecond \\\\ line\n"
        "# TYPE http_requests_created gauge\n"
        "http_requests_created{code=\"200\"} 1.605281e+09\n"
        "# HELP latency_seconds Request latency.\n"
        "# TYPE latency_seconds histogram\n"
        "latency_seconds_bucket{le=\"0.1\"} 2\n"
        "latency_seconds_bucket{le=\"1\"} 5\n"
        "latency_seconds_bucket{le=\"10\"} 7\n"
        "latency_seconds_bucket{le=\"+Inf\"} 7\n"
        "latency_seconds_sum 12.5\n"
        "latency_seconds_count 7\n"
        "# TYPE temperature gauge\n"
        "temperature{path=\"C:\\\\dir\",quote=\"a\\\"b\\nc\"} 1e+06 1605281325000\n"
        "temperature{path=\"x\"} NaN\n"
        "# TYPE zeta untyped\n"
        "zeta 1.5e-07\n");
  CHECK(stats.series_written == 13);
  CHECK(stats.stale_skipped == 1);
}

TEST_CASE("OpenMetrics output is pinned", "[writer]") {
  std::string out;
  write_exposition(out, sample_families(), ExpositionFormat::openmetrics);
  CHECK(out ==
        "# HELP build Build information.\n"
        "# TYPE build info\n"
        "build_info{version=\"1\"} 1.0\n"
        "# HELP http_requests Total \\\"requests\\\".\\nSecond \\\\ line\n"
        "# TYPE http_requests counter\n"
        "http_requests_total{code=\"200\"} 1027.0 1605281325.123\n"
        "http_requests_created{code=\"200\"} 1.605281e+09\n"
        "http_requests_total{code=\"400\"} 3.0\n"
        "# HELP latency_seconds Request latency.\n"
        "# TYPE latency_seconds histogram\n"
        "# UNIT latency_seconds seconds\n"
        "latency_seconds_bucket{le=\"0.1\"} 2.0\n"
        "latency_seconds_bucket{le=\"1\"} 5.0\n"
        "latency_seconds_bucket{le=\"10\"} 7.0\n"
        "latency_seconds_bucket{le=\"+Inf\"} 7.0\n"
        "latency_seconds_sum 12.5\n"
        "latency_seconds_count 7.0\n"
        "# TYPE temperature gauge\n"
        "temperature{path=\"C:\\\\dir\",quote=\"a\\\"b\\nc\"} 1e+06 1605281325\n"
        "temperature{path=\"x\"} NaN\n"
        "# TYPE zeta unknown\n"
        "zeta 1.5e-07\n"
        "# EOF\n");
}

TEST_CASE("histogram metrics stay grouped by labels, buckets in numeric le order", "[writer]") {
  std::vector<ExposedFamily> families{ExposedFamily{
      {"h", MetricType::histogram, "", ""},
      {point("h_count", {{"a", "2"}}, 1), point("h_bucket", {{"a", "1"}, {"le", "+Inf"}}, 3),
       point("h_bucket", {{"a", "2"}, {"le", "+Inf"}}, 1), point("h_sum", {{"a", "1"}}, 0.5),
       point("h_bucket", {{"a", "1"}, {"le", "2.5"}}, 2), point("h_count", {{"a", "1"}}, 3),
       point("h_bucket", {{"a", "1"}, {"le", "10"}}, 3), point("h_sum", {{"a", "2"}}, 0.25)}}};
  std::string out;
  write_exposition(out, families, ExpositionFormat::prometheus_text);
  CHECK(out ==
        "# TYPE h histogram\n"
        "h_bucket{a=\"1\",le=\"2.5\"} 2\n"
        "h_bucket{a=\"1\",le=\"10\"} 3\n"
        "h_bucket{a=\"1\",le=\"+Inf\"} 3\n"
        "h_sum{a=\"1\"} 0.5\n"
        "h_count{a=\"1\"} 3\n"
        "h_bucket{a=\"2\",le=\"+Inf\"} 1\n"
        "h_sum{a=\"2\"} 0.25\n"
        "h_count{a=\"2\"} 1\n");
}

TEST_CASE("text 0.0.4 munges OpenMetrics-only types as prometheus_client does", "[writer]") {
  std::vector<ExposedFamily> families{
      ExposedFamily{{"queue", MetricType::gaugehistogram, "Queue.", ""},
                    {point("queue_bucket", {{"le", "+Inf"}}, 4), point("queue_gsum", {}, 9),
                     point("queue_gcount", {}, 4)}},
      ExposedFamily{{"state", MetricType::stateset, "", ""},
                    {point("state", {{"state", "a"}}, 1), point("state", {{"state", "b"}}, 0)}}};
  std::string out;
  write_exposition(out, families, ExpositionFormat::prometheus_text);
  CHECK(out ==
        "# HELP queue Queue.\n"
        "# TYPE queue histogram\n"
        "queue_bucket{le=\"+Inf\"} 4\n"
        "# HELP queue_gcount Queue.\n"
        "# TYPE queue_gcount gauge\n"
        "queue_gcount 4\n"
        "# HELP queue_gsum Queue.\n"
        "# TYPE queue_gsum gauge\n"
        "queue_gsum 9\n"
        "# TYPE state gauge\n"
        "state{state=\"a\"} 1\n"
        "state{state=\"b\"} 0\n");
  out.clear();
  write_exposition(out, families, ExpositionFormat::openmetrics);
  CHECK(out ==
        "# HELP queue Queue.\n"
        "# TYPE queue gaugehistogram\n"
        "queue_bucket{le=\"+Inf\"} 4.0\n"
        "queue_gsum 9.0\n"
        "queue_gcount 4.0\n"
        "# TYPE state stateset\n"
        "state{state=\"a\"} 1.0\n"
        "state{state=\"b\"} 0.0\n"
        "# EOF\n");
}

TEST_CASE("a text-format counter without _total is unknown in OpenMetrics", "[writer]") {
  MetricMetadata metadata{"requests", MetricType::counter, "Requests.", ""};
  std::vector<ExposedFamily> families{ExposedFamily{metadata, {point("requests", {}, 5)}}};
  std::string out;
  auto stats = write_exposition(out, families, ExpositionFormat::openmetrics);
  CHECK(out == "# HELP requests Requests.\n# TYPE requests unknown\nrequests 5.0\n# EOF\n");
  CHECK(stats.misfits_skipped == 0);
  out.clear();
  write_exposition(out, families, ExpositionFormat::prometheus_text);
  CHECK(out == "# HELP requests Requests.\n# TYPE requests counter\nrequests 5\n");
}

TEST_CASE("series that do not fit their family and duplicates are left out", "[writer]") {
  std::vector<ExposedFamily> families{
      ExposedFamily{{"jobs", MetricType::counter, "", ""},
                    {point("jobs_total", {{"a", "1"}}, 1), point("jobs_total", {{"a", "1"}}, 2),
                     point("jobs", {{"a", "2"}}, 3)}}};
  std::string out;
  auto stats = write_exposition(out, families, ExpositionFormat::openmetrics);
  CHECK(out == "# TYPE jobs counter\njobs_total{a=\"1\"} 1.0\n# EOF\n");
  CHECK(stats.duplicates_skipped == 1);
  CHECK(stats.misfits_skipped == 1);
}

TEST_CASE("openmetrics_family_name maps both counter spellings to one family", "[writer]") {
  CHECK(openmetrics_family_name({"foo_total", MetricType::counter, "", ""}) == "foo");
  CHECK(openmetrics_family_name({"foo", MetricType::counter, "", ""}) == "foo");
  CHECK(openmetrics_family_name({"foo_total", MetricType::gauge, "", ""}) == "foo_total");
  CHECK(series_fits_family(MetricType::summary, "s", "s"));
  CHECK(series_fits_family(MetricType::histogram, "h", "h_created"));
  CHECK_FALSE(series_fits_family(MetricType::gaugehistogram, "g", "g_count"));
  CHECK_FALSE(series_fits_family(MetricType::counter, "c", "cc_total"));
}

// Parses an exposition back into (series text, value bits, timestamp) triples.
class CollectingHandler : public ExpositionHandler {
 public:
  struct Point {
    std::string series;
    uint64_t value_bits;
    std::optional<int64_t> timestamp_ms;
    bool operator==(const Point&) const = default;
  };
  void on_family(const FamilyView& family) override {
    families.push_back(std::string(family.name) + " " + std::string(metric_type_name(family.type)));
  }
  void on_sample(const SampleView& sample) override {
    std::vector<Label> labels;
    for (const auto& label : sample.labels) {
      labels.push_back(Label{std::string(label.name), std::string(label.value)});
    }
    points.push_back({labels_of(std::string(sample.name), labels).to_string(),
                      std::bit_cast<uint64_t>(sample.value), sample.timestamp_ms});
  }
  std::vector<std::string> families;
  std::vector<Point> points;
};

TEST_CASE("written output parses back to the same values, bit for bit", "[writer]") {
  const auto format = GENERATE(ExpositionFormat::prometheus_text, ExpositionFormat::openmetrics);
  const double quiet_nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> values = {0,
                                      -0.0,
                                      1,
                                      -1,
                                      0.1,
                                      1e-300,
                                      5e-324,
                                      1e300,
                                      1e6,
                                      123456.7,
                                      -2.5e-5,
                                      quiet_nan,
                                      -quiet_nan,
                                      std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(),
                                      0.30000000000000004,
                                      1.7976931348623157e308};
  ExposedFamily family{{"value", MetricType::gauge, "A \"gauge\"\\ with\nnewline.", ""}, {}};
  std::vector<CollectingHandler::Point> expected;
  for (size_t i = 0; i < values.size(); ++i) {
    std::string id = std::to_string(100 + i);  // sorts like i
    auto series = point("value", {{"i", id}, {"text", "q\"b\\s\nn"}}, values[i],
                        static_cast<int64_t>(1605281325000 + 37 * i));
    double written = values[i] == 0 ? 0.0 : values[i];  // -0 is written as 0, as expfmt does
    if (std::isnan(written)) written = quiet_nan;       // NaN is written as "NaN", sign lost
    expected.push_back(
        {series.labels->to_string(), std::bit_cast<uint64_t>(written), series.timestamp_ms});
    family.series.push_back(std::move(series));
  }
  family.series.push_back(point("value", {{"i", "999"}}, stale_nan()));

  std::string out;
  write_exposition(out, std::vector<ExposedFamily>{family}, format);
  CollectingHandler handler;
  auto status = parse_exposition(out, format, handler);
  INFO(out);
  REQUIRE(status.is_ok());
  CHECK(handler.families == std::vector<std::string>{"value gauge"});
  REQUIRE(handler.points.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(handler.points[i].series == expected[i].series);
    // The parser may return any NaN payload for "NaN" except StaleNaN's.
    if (std::isnan(std::bit_cast<double>(expected[i].value_bits))) {
      CHECK(std::isnan(std::bit_cast<double>(handler.points[i].value_bits)));
      CHECK_FALSE(is_stale_nan(std::bit_cast<double>(handler.points[i].value_bits)));
    } else {
      CHECK(handler.points[i].value_bits == expected[i].value_bits);
    }
    CHECK(handler.points[i].timestamp_ms == expected[i].timestamp_ms);
  }
}

}  // namespace
}  // namespace mc
