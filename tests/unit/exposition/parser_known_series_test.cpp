// parse_exposition with a handler that names the series it expects next: the
// text parser skips reading labels it has accepted before, and nothing else
// about the parse changes (values, line numbers, errors, families).
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/exposition/parser.hpp"

namespace {

struct SeenSample {
  std::string name;
  std::string family;
  std::string series_id;
  size_t label_count;
  bool labels_skipped;
  double value;
  std::optional<int64_t> timestamp_ms;
  uint32_t line;
};

// Offers the series ids of `expected` in turn, one per sample line, as a
// scrape cache that remembers the last scrape's order does.
class GuessingRecorder : public mc::ExpositionHandler {
 public:
  explicit GuessingRecorder(std::vector<mc::KnownSeries> expected)
      : expected_(std::move(expected)) {}

  mc::KnownSeries expected_series() override {
    return next_ < expected_.size() ? expected_[next_] : mc::KnownSeries{};
  }
  void on_family(const mc::FamilyView& family) override { families.emplace_back(family.name); }
  void on_sample(const mc::SampleView& sample) override {
    ++next_;
    samples.push_back(SeenSample{std::string(sample.name), std::string(sample.family),
                                 std::string(sample.series_id), sample.labels.size(),
                                 sample.labels_skipped, sample.value, sample.timestamp_ms,
                                 sample.line});
  }

  std::vector<std::string> families;
  std::vector<SeenSample> samples;

 private:
  std::vector<mc::KnownSeries> expected_;
  size_t next_ = 0;
};

mc::KnownSeries known(std::string_view series_id, size_t name_size) {
  return mc::KnownSeries{series_id, name_size};
}

mc::Status parse_text(std::string_view body, GuessingRecorder& recorder) {
  return mc::parse_exposition(body, mc::ExpositionFormat::prometheus_text, recorder);
}

}  // namespace

TEST_CASE("a line that starts with the expected series is read without its labels",
          "[exposition][text][known_series]") {
  GuessingRecorder recorder(
      {known(R"(http_requests_total{code="200",method="get"})", 19), known("up", 2)});
  const std::string body =
      "# TYPE http_requests_total counter\n"
      "http_requests_total{code=\"200\",method=\"get\"} 1027 1395066363000\n"
      "up 1\n";
  REQUIRE(parse_text(body, recorder).is_ok());
  REQUIRE(recorder.samples.size() == 2);
  const SeenSample& first = recorder.samples[0];
  CHECK(first.labels_skipped);
  CHECK(first.label_count == 0);
  CHECK(first.name == "http_requests_total");
  CHECK(first.family == "http_requests_total");
  CHECK(first.series_id == R"(http_requests_total{code="200",method="get"})");
  CHECK(first.value == 1027);
  CHECK(first.timestamp_ms == 1395066363000);
  CHECK(first.line == 2);
  CHECK(recorder.samples[1].labels_skipped);
  CHECK(recorder.samples[1].name == "up");
  CHECK(recorder.samples[1].line == 3);
  CHECK(recorder.families == std::vector<std::string>{"http_requests_total", "up"});
}

TEST_CASE("a line that only starts like the expected series is parsed in full",
          "[exposition][text][known_series]") {
  // Each body's only line begins with the bytes "foo" but is another series.
  const char* bodies[] = {"foo{a=\"b\"} 1\n", "foo {a=\"b\"} 1\n", "foo_bar 1\n",
                          "foo\t{a=\"b\"} 1\n"};
  for (const char* body : bodies) {
    INFO(body);
    GuessingRecorder recorder({known("foo", 3)});
    REQUIRE(parse_text(body, recorder).is_ok());
    REQUIRE(recorder.samples.size() == 1);
    CHECK_FALSE(recorder.samples[0].labels_skipped);
    CHECK(recorder.samples[0].series_id != "foo");
  }
  GuessingRecorder longer({known(R"(foo{a="b"})", 3)});
  REQUIRE(parse_text("foo{a=\"b\",c=\"d\"} 1\n", longer).is_ok());
  CHECK_FALSE(longer.samples[0].labels_skipped);
  CHECK(longer.samples[0].label_count == 2);
}

TEST_CASE("the expected series may be followed by blanks or directly by the value",
          "[exposition][text][known_series]") {
  GuessingRecorder recorder(
      {known(R"(foo{a="b"})", 3), known(R"(foo{a="c"})", 3), known("bar", 3)});
  REQUIRE(parse_text("foo{a=\"b\"}7\nfoo{a=\"c\"} \t 8\nbar \t 9\n", recorder).is_ok());
  REQUIRE(recorder.samples.size() == 3);
  for (const SeenSample& sample : recorder.samples) CHECK(sample.labels_skipped);
  CHECK(recorder.samples[0].value == 7);
  CHECK(recorder.samples[1].value == 8);
  CHECK(recorder.samples[2].value == 9);
}

TEST_CASE("line breaks inside a skipped label value still count for line numbers",
          "[exposition][text][known_series]") {
  GuessingRecorder recorder({known("foo{a=\"x\ny\"}", 3), known("bar", 3)});
  const mc::Status status = parse_text("foo{a=\"x\ny\"} 1\nbar 2\nbaz oops\n", recorder);
  REQUIRE(recorder.samples.size() == 2);
  CHECK(recorder.samples[0].labels_skipped);
  CHECK(recorder.samples[0].line == 1);
  CHECK(recorder.samples[1].line == 3);
  REQUIRE_FALSE(status.is_ok());
  CHECK(status.message() == "line 4: invalid value \"oops\"");
}

TEST_CASE("a skipped series is still followed by the value and timestamp rules",
          "[exposition][text][known_series]") {
  GuessingRecorder guessing({known(R"(foo{a="b"})", 3)});
  const mc::Status with_guess = parse_text("foo{a=\"b\"} 1 2 3\n", guessing);
  GuessingRecorder plain({});
  const mc::Status without_guess = parse_text("foo{a=\"b\"} 1 2 3\n", plain);
  REQUIRE_FALSE(with_guess.is_ok());
  CHECK(with_guess.message() == without_guess.message());
}

namespace known_family_test {

// Records everything a parse reports, and offers one family name as the
// expected next family at every # HELP or # TYPE line.
class FamilyGuessRecorder : public mc::ExpositionHandler {
 public:
  explicit FamilyGuessRecorder(std::string guess) : guess_(std::move(guess)) {}
  std::string_view expected_family_name() override {
    ++asked;
    return guess_;
  }
  void on_family(const mc::FamilyView& family) override {
    seen.push_back("family " + std::string(family.name) + " type " +
                   std::string(mc::metric_type_name(family.type)) + " help " +
                   (family.help ? "[" + std::string(*family.help) + "]" : "none"));
  }
  void on_sample(const mc::SampleView& sample) override {
    seen.push_back("sample " + std::string(sample.series_id) + " in " + std::string(sample.family) +
                   " = " + std::to_string(sample.value));
  }

  std::vector<std::string> seen;
  int asked = 0;

 private:
  std::string guess_;
};

std::vector<std::string> parse_with_guess(std::string_view body, const std::string& guess) {
  FamilyGuessRecorder recorder(guess);
  const mc::Status status =
      mc::parse_exposition(body, mc::ExpositionFormat::prometheus_text, recorder);
  recorder.seen.push_back(status ? "ok" : "error " + status.message());
  return recorder.seen;
}

}  // namespace known_family_test

TEST_CASE("a guessed family name changes nothing a parse reports, right or wrong",
          "[exposition][text]") {
  using known_family_test::parse_with_guess;
  const std::vector<std::string> bodies = {
      "# HELP foo_total Foo.\n# TYPE foo_total counter\nfoo_total 1\n",
      "# HELP foo Foo.\n# TYPE foo gauge\nfoo 1\n# HELP foo_bar Bar.\n# TYPE foo_bar gauge\n"
      "foo_bar 2\n",
      "# HELP foo\tTabbed help.\n# TYPE foo\tgauge\nfoo 1\n",
      "# TYPE foo gauge\n# HELP foo\n",
      "# HELP foo",
      "# HELP fo Short.\nfo 1\n# TYPE foo gauge\nfoo 2\n",
      "# HELP foo:bar Colons.\n# TYPE foo:bar untyped\nfoo:bar 3\n",
      "# HELP foo Foo.\n# TYPE foo summary\nfoo{quantile=\"0.5\"} 1\nfoo_sum 2\nfoo_count 3\n",
      "# HELP foo Foo.\n# TYPE foo bogus\nfoo 1\n",
      "# HELP 1foo Bad name.\n",
      "# HELP foo Foo.\n# TYPE foo gauge\nfoo 1\n# TYPE foo gauge\nfoo 2\n",
  };
  for (const std::string& body : bodies) {
    const auto expected = parse_with_guess(body, "");
    for (const std::string guess : {"foo", "fo", "foo_bar", "foo_total", "foo:bar", "f", "bar"}) {
      INFO(body << "\nguess: " << guess);
      CHECK(parse_with_guess(body, guess) == expected);
    }
  }
}

TEST_CASE("the parser asks for the expected family only where the family changes",
          "[exposition][text]") {
  // HELP then TYPE: the TYPE line names the family its HELP line just named,
  // so only the HELP line asks; a TYPE line of a new family asks too.
  known_family_test::FamilyGuessRecorder recorder("b");
  REQUIRE(mc::parse_exposition(
      "# HELP a A.\n# TYPE a gauge\na 1\n# HELP b B.\n# TYPE b gauge\nb 2\n# TYPE c gauge\nc 3\n",
      mc::ExpositionFormat::prometheus_text, recorder));
  CHECK(recorder.asked == 3);
}
