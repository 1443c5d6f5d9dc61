// parse_exposition in text format 0.0.4: read the way Prometheus's scrape parser reads it.
#include <catch2/catch.hpp>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "common/exposition/parser.hpp"

namespace {

struct RecordedFamily {
  std::string name;
  mc::MetricType type;
  std::optional<std::string> help;
};

struct RecordedSample {
  std::string name;
  std::string family;
  mc::MetricType type;
  std::vector<std::pair<std::string, std::string>> labels;
  std::string series_id;
  double value;
  std::optional<int64_t> timestamp_ms;
  uint32_t line;
};

class Recorder : public mc::ExpositionHandler {
 public:
  void on_family(const mc::FamilyView& family) override {
    std::optional<std::string> help;
    if (family.help) help = std::string(*family.help);
    families.push_back({std::string(family.name), family.type, help});
  }
  void on_sample(const mc::SampleView& sample) override {
    RecordedSample recorded{std::string(sample.name),
                            std::string(sample.family),
                            sample.type,
                            {},
                            std::string(sample.series_id),
                            sample.value,
                            sample.timestamp_ms,
                            sample.line};
    for (const mc::LabelView& label : sample.labels) {
      recorded.labels.emplace_back(std::string(label.name), std::string(label.value));
    }
    samples.push_back(std::move(recorded));
  }

  std::vector<RecordedFamily> families;
  std::vector<RecordedSample> samples;
};

mc::Status parse_text(std::string_view body, Recorder& recorder) {
  return mc::parse_exposition(body, mc::ExpositionFormat::prometheus_text, recorder);
}

std::string error_of(std::string_view body) {
  Recorder recorder;
  const mc::Status status = parse_text(body, recorder);
  return status ? std::string("<accepted>") : status.message();
}

}  // namespace

TEST_CASE("text 0.0.4: a node_exporter-like page gives families, types and help",
          "[exposition][text]") {
  Recorder recorder;
  const std::string page =
      "# HELP go_gc_duration_seconds A summary of the pause duration of garbage collection "
      "cycles.\n"
      "# TYPE go_gc_duration_seconds summary\n"
      "go_gc_duration_seconds{quantile=\"0\"} 2.3e-05\n"
      "go_gc_duration_seconds{quantile=\"1\"} 0.0036\n"
      "go_gc_duration_seconds_sum 0.0059\n"
      "go_gc_duration_seconds_count 5\n"
      "# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n"
      "# TYPE node_cpu_seconds_total counter\n"
      "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 12345.67\n"
      "node_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 89.1\n"
      "# HELP node_load1 1m load average.\n"
      "# TYPE node_load1 gauge\n"
      "node_load1 0.21\n";
  REQUIRE(parse_text(page, recorder));
  REQUIRE(recorder.families.size() == 3);
  CHECK(recorder.families[0].name == "go_gc_duration_seconds");
  CHECK(recorder.families[0].type == mc::MetricType::summary);
  CHECK(recorder.families[0].help ==
        "A summary of the pause duration of garbage collection cycles.");
  CHECK(recorder.families[1].type == mc::MetricType::counter);
  CHECK(recorder.families[2].help == "1m load average.");
  REQUIRE(recorder.samples.size() == 7);
  for (int i = 0; i < 4; ++i) {
    CHECK(recorder.samples[i].family == "go_gc_duration_seconds");
    CHECK(recorder.samples[i].type == mc::MetricType::summary);
  }
  CHECK(recorder.samples[2].name == "go_gc_duration_seconds_sum");
  CHECK(recorder.samples[4].labels ==
        std::vector<std::pair<std::string, std::string>>{{"cpu", "0"}, {"mode", "idle"}});
  CHECK(recorder.samples[4].value == 12345.67);
  CHECK(recorder.samples[6].line == 13);
  CHECK(recorder.samples[6].value == 0.21);
  CHECK_FALSE(recorder.samples[6].timestamp_ms);
}

TEST_CASE("text 0.0.4: histogram and summary samples join the family named by TYPE",
          "[exposition][text]") {
  Recorder recorder;
  REQUIRE(
      parse_text("# TYPE rpc histogram\n"
                 "rpc_bucket{le=\"0.1\"} 1\n"
                 "rpc_bucket{le=\"+Inf\"} 2\n"
                 "rpc_sum 0.3\n"
                 "rpc_count 2\n"
                 "rpc_other 1\n"
                 "# TYPE requests counter\n"
                 "requests_total 5\n",
                 recorder));
  REQUIRE(recorder.samples.size() == 6);
  for (int i = 0; i < 4; ++i) {
    CHECK(recorder.samples[i].family == "rpc");
    CHECK(recorder.samples[i].type == mc::MetricType::histogram);
  }
  // Not a histogram suffix: a family of its own, type unknown.
  CHECK(recorder.samples[4].family == "rpc_other");
  CHECK(recorder.samples[4].type == mc::MetricType::unknown);
  CHECK(recorder.samples[5].family == "requests");
  CHECK(recorder.samples[5].type == mc::MetricType::counter);
  REQUIRE(recorder.families.size() == 3);
  CHECK(recorder.families[1].name == "rpc_other");
  CHECK_FALSE(recorder.families[1].help);
}

TEST_CASE("text 0.0.4: a sample without TYPE is its own untyped family", "[exposition][text]") {
  Recorder recorder;
  REQUIRE(
      parse_text("# TYPE untyped_thing untyped\nuntyped_thing 1\nlonely 2\nlonely 3\n", recorder));
  REQUIRE(recorder.families.size() == 2);
  CHECK(recorder.families[0].type == mc::MetricType::unknown);
  CHECK(recorder.families[1].name == "lonely");
  CHECK(recorder.samples[2].family == "lonely");
}

TEST_CASE("text 0.0.4: a family with metadata but no samples is still announced",
          "[exposition][text]") {
  Recorder recorder;
  REQUIRE(parse_text("# HELP empty Nothing here.\n# TYPE empty gauge\n# HELP next x\nnext 1\n",
                     recorder));
  REQUIRE(recorder.families.size() == 2);
  CHECK(recorder.families[0].name == "empty");
  CHECK(recorder.families[0].type == mc::MetricType::gauge);
  CHECK(recorder.families[0].help == "Nothing here.");
}

TEST_CASE("text 0.0.4: label values and HELP are unescaped", "[exposition][text]") {
  Recorder recorder;
  REQUIRE(
      parse_text("# HELP m Line one\\nback\\\\slash \\\"kept\\\"\n"
                 "m{a=\"x\\\\y\",b=\"say \\\"hi\\\"\",c=\"two\\nlines\",d=\"\\z\"} 1\n",
                 recorder));
  // Text 0.0.4 HELP unescapes \\ and \n only.
  CHECK(recorder.families[0].help == "Line one\nback\\slash \\\"kept\\\"");
  REQUIRE(recorder.samples.size() == 1);
  const auto& labels = recorder.samples[0].labels;
  REQUIRE(labels.size() == 4);
  CHECK(labels[0].second == "x\\y");
  CHECK(labels[1].second == "say \"hi\"");
  CHECK(labels[2].second == "two\nlines");
  CHECK(labels[3].second == "\\z");
  // series_id keeps the bytes as written, escapes included.
  CHECK(recorder.samples[0].series_id ==
        "m{a=\"x\\\\y\",b=\"say \\\"hi\\\"\",c=\"two\\nlines\",d=\"\\z\"}");
}

TEST_CASE("text 0.0.4: many escaped labels on one line keep valid views", "[exposition][text]") {
  // Enough escaped values that the parser's scratch buffer must grow mid-line.
  std::string line = "wide{";
  for (int i = 0; i < 64; ++i) {
    if (i) line += ',';
    line += "l" + std::to_string(i) + "=\"" + std::string(40, 'a' + i % 26) + "\\\"" +
            std::to_string(i) + "\\n\"";
  }
  line += "} 1\n";
  Recorder recorder;
  REQUIRE(parse_text(line, recorder));
  REQUIRE(recorder.samples.size() == 1);
  const auto& labels = recorder.samples[0].labels;
  REQUIRE(labels.size() == 64);
  for (int i = 0; i < 64; ++i) {
    CHECK(labels[i].first == "l" + std::to_string(i));
    CHECK(labels[i].second == std::string(40, 'a' + i % 26) + "\"" + std::to_string(i) + "\n");
  }
}

TEST_CASE("text 0.0.4: whitespace, blank lines, comments and commas as Prometheus allows",
          "[exposition][text]") {
  Recorder recorder;
  REQUIRE(
      parse_text("\n"
                 "# just a comment\n"
                 "#no space comment\n"
                 "   \t\n"
                 "spaced { a = \"1\" , b=\"2\", } \t 3   \n"
                 "nocomma{a=\"1\" b=\"2\"} 4\n"
                 "empty{} 5 1700000000000\n"
                 "last 6",
                 recorder));
  REQUIRE(recorder.samples.size() == 4);
  CHECK(recorder.samples[0].line == 5);
  CHECK(recorder.samples[0].series_id == "spaced { a = \"1\" , b=\"2\", }");
  CHECK(recorder.samples[0].labels.size() == 2);
  CHECK(recorder.samples[0].value == 3);
  CHECK(recorder.samples[1].labels.size() == 2);
  CHECK(recorder.samples[2].labels.empty());
  CHECK(recorder.samples[2].series_id == "empty{}");
  CHECK(recorder.samples[2].timestamp_ms == 1700000000000);
  CHECK(recorder.samples[3].series_id == "last");
  CHECK(recorder.samples[3].line == 8);
}

// Measured with Prometheus 2.42 (tests/data/exposition_fidelity/062-*): its
// lexer takes the blanks into the metric name, and the scrape fails.
TEST_CASE("text 0.0.4: blanks before a metric name fail, before a comment they do not",
          "[exposition][text]") {
  Recorder recorder;
  CHECK(parse_text("  # HELP a indented\na 1\n", recorder));
  CHECK(error_of("a 1\n  b 2\n") ==
        "line 2: blanks before the metric name (Prometheus refuses the sample: invalid metric "
        "name)");
  CHECK(error_of("\tb 2\n").starts_with("line 1: blanks before the metric name"));
}

// Measured with Prometheus 2.42 (tests/data/exposition_fidelity/010-*): the
// name is __name__ already, and the scrape fails as a duplicate label name.
TEST_CASE("text 0.0.4: a label named __name__ in the braces fails", "[exposition][text]") {
  CHECK(error_of("a 1\nfoo{x=\"1\",__name__=\"bar\"} 1\n") ==
        "line 2: label name \"__name__\" inside the braces: the metric name is __name__ already "
        "(Prometheus: label name not unique)");
}

TEST_CASE("text 0.0.4: NaN and infinities in Go's spellings", "[exposition][text]") {
  Recorder recorder;
  REQUIRE(parse_text("a NaN\nb +Inf\nc -Inf\nd inf\ne nan\nf Infinity\ng 1e-400\n", recorder));
  REQUIRE(recorder.samples.size() == 7);
  CHECK(std::isnan(recorder.samples[0].value));
  CHECK(recorder.samples[1].value == INFINITY);
  CHECK(recorder.samples[2].value == -INFINITY);
  CHECK(recorder.samples[3].value == INFINITY);
  CHECK(std::isnan(recorder.samples[4].value));
  CHECK(recorder.samples[5].value == INFINITY);
  CHECK(recorder.samples[6].value == 0);
}

TEST_CASE("text 0.0.4: timestamps are integer milliseconds", "[exposition][text]") {
  Recorder recorder;
  REQUIRE(parse_text("a 1 1605281325123\nb 2 0\n", recorder));
  CHECK(recorder.samples[0].timestamp_ms == 1605281325123);
  CHECK(recorder.samples[1].timestamp_ms == 0);
  CHECK(error_of("a 1 -5\n").starts_with("line 1: expected a timestamp"));
  CHECK(error_of("a 1 1.5\n").starts_with("line 1: expected the end of the line"));
  CHECK(error_of("a 1 99999999999999999999\n").starts_with("line 1: timestamp"));
  CHECK(error_of("a 1 5 6\n").starts_with("line 1: expected the end of the line"));
}

TEST_CASE("text 0.0.4: garbage is rejected with its line number", "[exposition][text]") {
  CHECK(error_of("<html><body>Not Found</body></html>\n")
            .starts_with("line 1: expected a metric name or a comment"));
  CHECK(error_of("ok 1\n# TYPE x gauge\n<html>\n").starts_with("line 3: "));
  CHECK(error_of("a 1\nb{c=\"d\" 2\n").starts_with("line 2: "));
  CHECK(error_of("a{b=c} 1\n").starts_with("line 1: expected a double-quoted value"));
  CHECK(error_of("a{=\"c\"} 1\n").starts_with("line 1: expected a label name"));
  CHECK(error_of("a{,} 1\n").starts_with("line 1: expected a label name"));
  CHECK(error_of("a 1\nb one\n") == "line 2: invalid value \"one\"");
  CHECK(error_of("a 0x1p-3\n").starts_with("line 1: invalid value"));
  CHECK(error_of("a 1_000\n").starts_with("line 1: invalid value"));
  CHECK(error_of("a 1e400\n").starts_with("line 1: invalid value"));
  CHECK(error_of("a\n").starts_with("line 1: expected a value"));
  CHECK(error_of("a 1 # trailing comment\n").starts_with("line 1: expected a timestamp"));
  CHECK(error_of("a{b=\"c\",b=\"d\"} 1\n") == "line 1: duplicate label name \"b\"");
  CHECK(error_of("# TYPE a gaugehistogram\n").starts_with("line 1: invalid metric type"));
  CHECK(error_of("# TYPE a gauge \n").starts_with("line 1: invalid metric type"));
  CHECK(error_of("# HELP 0a x\n").starts_with("line 1: expected a metric name after # HELP"));
  CHECK(error_of("a{b=\"\xff\"} 1\n").starts_with("line 1: value of label \"b\" is not valid"));
  CHECK(error_of("# HELP a bad \xc3\x28 utf8\n").starts_with("line 1: HELP text is not valid"));
}

TEST_CASE("text 0.0.4: a truncated body is rejected", "[exposition][text]") {
  CHECK(error_of("a 1\nb{c=\"d").starts_with("line 2: unterminated value of label \"c\""));
  CHECK(error_of("a 1\nb{c=\"d\"").starts_with("line 2: unterminated label set"));
  CHECK(error_of("a 1\nb{c=\"d\"}").starts_with("line 2: expected a value"));
}

TEST_CASE("text 0.0.4: CRLF line endings fail like in Prometheus", "[exposition][text]") {
  const std::string message = error_of("# HELP a x\r\n# TYPE a gauge\r\na 1\r\n");
  // The TYPE word "gauge\r" is already not a type, as in Prometheus.
  CHECK(message.starts_with("line 2: invalid metric type"));
  CHECK(error_of("a 1\r\n").find("CRLF") != std::string::npos);
}

TEST_CASE("text 0.0.4: samples before an error stay handed over", "[exposition][text]") {
  Recorder recorder;
  CHECK_FALSE(parse_text("a 1\nb 2\n!!!\n", recorder));
  CHECK(recorder.samples.size() == 2);
}
