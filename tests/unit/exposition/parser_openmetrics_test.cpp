// parse_exposition in OpenMetrics 1.0: behaviour beyond the conformance suite
// (which tests/conformance runs in full).
#include <catch2/catch.hpp>

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "common/exposition/parser.hpp"

namespace {

struct RecordedExemplar {
  std::vector<std::pair<std::string, std::string>> labels;
  double value;
  std::optional<int64_t> timestamp_ms;
};

struct RecordedSample {
  std::string name;
  std::string family;
  mc::MetricType type;
  std::vector<std::pair<std::string, std::string>> labels;
  std::string series_id;
  double value;
  std::optional<int64_t> timestamp_ms;
  std::optional<RecordedExemplar> exemplar;
  uint32_t line;
};

struct RecordedFamily {
  std::string name;
  mc::MetricType type;
  std::optional<std::string> help;
  std::string unit;
  size_t samples_before;  // samples received before this family was announced
};

std::vector<std::pair<std::string, std::string>> copy_labels(
    std::span<const mc::LabelView> labels) {
  std::vector<std::pair<std::string, std::string>> copied;
  for (const mc::LabelView& label : labels) copied.emplace_back(label.name, label.value);
  return copied;
}

class Recorder : public mc::ExpositionHandler {
 public:
  void on_family(const mc::FamilyView& family) override {
    std::optional<std::string> help;
    if (family.help) help = std::string(*family.help);
    families.push_back(
        {std::string(family.name), family.type, help, std::string(family.unit), samples.size()});
  }
  void on_sample(const mc::SampleView& sample) override {
    RecordedSample recorded{std::string(sample.name),
                            std::string(sample.family),
                            sample.type,
                            copy_labels(sample.labels),
                            std::string(sample.series_id),
                            sample.value,
                            sample.timestamp_ms,
                            std::nullopt,
                            sample.line};
    if (sample.exemplar) {
      recorded.exemplar = RecordedExemplar{copy_labels(sample.exemplar->labels),
                                           sample.exemplar->value, sample.exemplar->timestamp_ms};
    }
    samples.push_back(std::move(recorded));
  }

  std::vector<RecordedFamily> families;
  std::vector<RecordedSample> samples;
};

mc::Status parse_om(std::string_view body, Recorder& recorder, mc::ParseOptions options = {}) {
  return mc::parse_exposition(body, mc::ExpositionFormat::openmetrics, recorder, options);
}

std::string error_of(std::string_view body, mc::ParseOptions options = {}) {
  Recorder recorder;
  const mc::Status status = parse_om(body, recorder, options);
  return status ? std::string("<accepted>") : status.message();
}

std::optional<int64_t> timestamp_of(const std::string& written) {
  Recorder recorder;
  const mc::Status status = parse_om("a 1 " + written + "\n# EOF\n", recorder);
  if (!status || recorder.samples.size() != 1) return std::nullopt;
  return recorder.samples[0].timestamp_ms;
}

constexpr std::string_view kCounterWithExemplar =
    "# TYPE requests counter\n"
    "requests_total{path=\"/a\"} 5 1.5 # {trace_id=\"abc\\\"d\"} 0.25 1605281325.123\n"
    "requests_created{path=\"/a\"} 1605281000 1.5\n"
    "# EOF\n";

}  // namespace

TEST_CASE("openmetrics: exemplars are handed over only when asked", "[exposition][openmetrics]") {
  Recorder without;
  REQUIRE(parse_om(kCounterWithExemplar, without));
  REQUIRE(without.samples.size() == 2);
  CHECK_FALSE(without.samples[0].exemplar);

  Recorder with;
  mc::ParseOptions options;
  options.parse_exemplars = true;
  REQUIRE(parse_om(kCounterWithExemplar, with, options));
  REQUIRE(with.samples[0].exemplar);
  const RecordedExemplar& exemplar = *with.samples[0].exemplar;
  CHECK(exemplar.labels ==
        std::vector<std::pair<std::string, std::string>>{{"trace_id", "abc\"d"}});
  CHECK(exemplar.value == 0.25);
  CHECK(exemplar.timestamp_ms == 1605281325123);
  CHECK_FALSE(with.samples[1].exemplar);
}

TEST_CASE("openmetrics: invalid exemplars are rejected even when not handed over",
          "[exposition][openmetrics]") {
  CHECK(error_of("# TYPE a gauge\na 1 # {b=\"c\"} 1\n# EOF\n")
            .starts_with("line 2: exemplars are allowed only"));
  CHECK(error_of("# TYPE a counter\na_total 1 # {b=\"c\"} x\n# EOF\n")
            .starts_with("line 2: invalid exemplar value"));
}

TEST_CASE("openmetrics: timestamps in seconds become exact milliseconds",
          "[exposition][openmetrics]") {
  CHECK(timestamp_of("1.5") == 1500);
  CHECK(timestamp_of("1605281325.123") == 1605281325123);
  CHECK(timestamp_of("1795418784.250") == 1795418784250);
  CHECK(timestamp_of("1605281325") == 1605281325000);
  CHECK(timestamp_of("1.5e3") == 1500000);
  CHECK(timestamp_of("0.0005") == 0);  // below a millisecond: truncated
  CHECK(timestamp_of("1.0009") == 1000);
  CHECK(timestamp_of("-1.1") == -1100);
  CHECK(timestamp_of(".5") == 500);
  CHECK(timestamp_of("12345678901234567890.1") == std::numeric_limits<int64_t>::max());
  CHECK_FALSE(timestamp_of("NaN"));
  CHECK_FALSE(timestamp_of("+Inf"));
  CHECK_FALSE(timestamp_of("1,5"));
}

TEST_CASE("openmetrics: timestamps order within a series group at sub-ms precision",
          "[exposition][openmetrics]") {
  // Equal in milliseconds, but the second goes back in time.
  CHECK(error_of("a 1 1.0002\na 2 1.0001\n# EOF\n")
            .starts_with("line 2: timestamps must not go backwards"));
  CHECK(error_of("a 1 1.0001\na 2 1.0001\n# EOF\n") == "<accepted>");
}

TEST_CASE("openmetrics: series_id is name and labels exactly as written",
          "[exposition][openmetrics]") {
  Recorder recorder;
  REQUIRE(parse_om(kCounterWithExemplar, recorder));
  CHECK(recorder.samples[0].series_id == "requests_total{path=\"/a\"}");
  CHECK(recorder.samples[0].timestamp_ms == 1500);
  Recorder bare;
  REQUIRE(parse_om("up 1\nesc{a=\"x\\ny\"} 2\n# EOF\n", bare));
  CHECK(bare.samples[0].series_id == "up");
  CHECK(bare.samples[1].series_id == "esc{a=\"x\\ny\"}");
  CHECK(bare.samples[1].labels[0].second == "x\ny");
}

TEST_CASE("openmetrics: samples carry their family and type", "[exposition][openmetrics]") {
  Recorder recorder;
  REQUIRE(
      parse_om("# TYPE h_seconds histogram\n"
               "# HELP h_seconds Latency \\\"p\\\" \\n done\n"
               "# UNIT h_seconds seconds\n"
               "h_seconds_bucket{le=\"1\"} 1\n"
               "h_seconds_bucket{le=\"+Inf\"} 2\n"
               "h_seconds_count 2\n"
               "h_seconds_sum 1.5\n"
               "h_seconds_created 100\n"
               "# TYPE build info\n"
               "build_info{version=\"1\"} 1\n"
               "# TYPE mode stateset\n"
               "mode{mode=\"on\"} 1\n"
               "mode{mode=\"off\"} 0\n"
               "# HELP quiet A family with no samples\n"
               "# EOF",
               recorder));
  REQUIRE(recorder.families.size() == 4);
  CHECK(recorder.families[0].name == "h_seconds");
  CHECK(recorder.families[0].help == "Latency \"p\" \n done");
  CHECK(recorder.families[0].unit == "seconds");
  CHECK(recorder.families[0].samples_before == 0);
  CHECK(recorder.families[1].samples_before == 5);
  CHECK(recorder.families[3].name == "quiet");
  CHECK(recorder.families[3].type == mc::MetricType::unknown);
  REQUIRE(recorder.samples.size() == 8);
  for (int i = 0; i < 5; ++i) {
    CHECK(recorder.samples[i].family == "h_seconds");
    CHECK(recorder.samples[i].type == mc::MetricType::histogram);
  }
  CHECK(recorder.samples[5].family == "build");
  CHECK(recorder.samples[5].type == mc::MetricType::info);
  CHECK(recorder.samples[7].type == mc::MetricType::stateset);
  CHECK(recorder.samples[7].line == 13);
}

TEST_CASE("openmetrics: repeated families only with allow_repeated_families",
          "[exposition][openmetrics]") {
  const std::string_view body = "up 1 1\nother 2 1\nup 1 2\nother 2 2\n# EOF\n";
  CHECK(error_of(body) == "line 3: metric name \"up\" clashes with an earlier family");
  mc::ParseOptions options;
  options.allow_repeated_families = true;
  Recorder recorder;
  REQUIRE(parse_om(body, recorder, options));
  CHECK(recorder.samples.size() == 4);
  CHECK(recorder.families.size() == 4);
  // Every other rule still holds.
  CHECK(error_of("# TYPE a counter\na_total -1\n# EOF\n", options)
            .starts_with("line 2: _total value must not be negative"));
}

TEST_CASE("openmetrics: errors name the line and the rule", "[exposition][openmetrics]") {
  CHECK(error_of("# TYPE c counter\nc_total 1 5\nc_created 1\n# EOF\n") ==
        "line 3: mix of samples with and without timestamps in one series group");
  CHECK(error_of("# UNIT h seconds\n# EOF\n") ==
        "line 1: unit \"seconds\" must be the suffix of metric family \"h\"");
  CHECK(error_of("# TYPE a counter\na_total 1\na_total -1\n# EOF\n") ==
        "line 3: _total value must not be negative");
  CHECK(error_of("a 1\n") == "line 2: missing # EOF at the end of the exposition");
  CHECK(error_of("") == "line 1: missing # EOF at the end of the exposition");
  CHECK(error_of("a 1\n# EOF\n\n") == "line 3: text after # EOF");
  CHECK(error_of("a 1\r\n# EOF\n").starts_with("line 1: invalid value"));
  CHECK(error_of("a{b=\"\xc3\x28\"} 1\n# EOF\n").starts_with("line 1: value of label \"b\""));
  CHECK(error_of("# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\n# EOF\n") ==
        "line 3: histogram buckets must be in increasing le order");
}

// Measured: Prometheus 2.42 scraping `foo{__name__="bar"} 1` served as
// OpenMetrics reports up 0 ("label name \"__name__\" is not unique"), as for text.
TEST_CASE("openmetrics: a label named __name__ in a sample's braces fails",
          "[exposition][openmetrics]") {
  CHECK(error_of("a 1\nfoo{x=\"1\",__name__=\"bar\"} 1\n# EOF\n") ==
        "line 2: label name \"__name__\" inside the braces: the metric name is __name__ already "
        "(Prometheus: label name not unique)");
}

TEST_CASE("openmetrics: many escaped labels on one line keep valid views",
          "[exposition][openmetrics]") {
  std::string line = "wide{";
  for (int i = 0; i < 50; ++i) {
    if (i) line += ',';
    line += "l" + std::to_string(i) + "=\"v\\\\" + std::string(30, 'x') + std::to_string(i) + "\"";
  }
  line += "} 1\n# EOF\n";
  Recorder recorder;
  REQUIRE(parse_om(line, recorder));
  const auto& labels = recorder.samples.at(0).labels;
  REQUIRE(labels.size() == 50);
  for (int i = 0; i < 50; ++i) {
    CHECK(labels[i].second == "v\\" + std::string(30, 'x') + std::to_string(i));
  }
}
