#include "collector/scrape/sample_line_counter.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/exposition/parser.hpp"

namespace mc {
namespace {

class SampleCounting final : public ExpositionHandler {
 public:
  void on_family(const FamilyView&) override {}
  void on_sample(const SampleView&) override { ++samples; }
  uint64_t samples = 0;
};

uint64_t parsed_samples(const std::string& body, ExpositionFormat format) {
  SampleCounting handler;
  Status status = parse_exposition(body, format, handler);
  INFO(status.message());
  REQUIRE(status.is_ok());
  return handler.samples;
}

uint64_t counted_lines(const std::string& body, size_t piece_size) {
  SampleLineCounter counter;
  for (size_t at = 0; at < body.size(); at += piece_size) {
    counter.add(std::string_view(body).substr(at, piece_size));
  }
  return counter.count();
}

TEST_CASE("SampleLineCounter counts what the parser counts, however the body is split",
          "[sample_line_counter]") {
  struct Case {
    std::string body;
    ExpositionFormat format;
  };
  const std::vector<Case> cases = {
      {"", ExpositionFormat::prometheus_text},
      {"a 1\nb 2\n", ExpositionFormat::prometheus_text},
      {"a 1\nb 2", ExpositionFormat::prometheus_text},  // no final line break
      // Blanks before a metric name fail the parse (as in Prometheus), so the
      // blanks here are a line of their own.
      {"# HELP a Says \"a\" with a quote\n# TYPE a counter\na_total 1\n\n\n  \t \nb 2\n",
       ExpositionFormat::prometheus_text},
      {"a{x=\"quote \\\" backslash \\\\ and \\n\"} 1\n_b{y=\"}\",z=\"#\"} 2\n:c 3\n",
       ExpositionFormat::prometheus_text},
      // Text 0.0.4 allows a raw line break in a label value: one sample, not two.
      {"a{x=\"first\nsecond 2\"} 1\n", ExpositionFormat::prometheus_text},
      {"# TYPE a counter\na_total 1 # {trace_id=\"ab\\\"c\"} 1\na_created 5\n# EOF\n",
       ExpositionFormat::openmetrics},
  };
  for (const auto& test : cases) {
    INFO(test.body);
    const uint64_t expected = parsed_samples(test.body, test.format);
    for (size_t piece_size = 1; piece_size <= test.body.size() + 1; ++piece_size) {
      INFO("pieces of " << piece_size);
      CHECK(counted_lines(test.body, piece_size) == expected);
    }
  }
}

TEST_CASE("SampleLineCounter skips lines that cannot be samples, and reset() starts over",
          "[sample_line_counter]") {
  SampleLineCounter counter;
  counter.add("# comment a 1\n{not a sample}\n1 2\n\x01 garbage\nreal 1\n");
  CHECK(counter.count() == 1);
  counter.reset();
  CHECK(counter.count() == 0);
  // An unterminated quote from the last body does not swallow the next one.
  counter.add("a{x=\"open 1\n");
  counter.reset();
  counter.add("b 1\nc 2\n");
  CHECK(counter.count() == 2);
}

TEST_CASE("SampleLineCounter counts a million lines fed in network-sized pieces",
          "[sample_line_counter]") {
  std::string piece;
  for (int i = 0; i < 10'000; ++i) piece += "series{id=\"" + std::to_string(i) + "\"} 1\n";
  SampleLineCounter counter;
  for (int i = 0; i < 100; ++i) counter.add(piece);
  CHECK(counter.count() == 1'000'000);
}

TEST_CASE("count_newlines counts every newline at any length and alignment",
          "[sample_line_counter]") {
  // Bytes that differ from '\n' by one bit, and high-bit bytes, next to
  // newlines: the word-at-a-time test must not count them, nor carry into them.
  const std::string alphabet = std::string("\n\x0b\x08\x8a\xff\x00a\n\n", 9);
  std::string text;
  for (size_t i = 0; i < 300; ++i) text += alphabet[(i * 7 + i / 5) % alphabet.size()];
  for (size_t from = 0; from < 9; ++from) {
    for (size_t length = 0; from + length <= text.size(); length += 1 + length / 8) {
      const std::string_view piece = std::string_view(text).substr(from, length);
      uint64_t expected = 0;
      for (char c : piece) expected += c == '\n' ? 1 : 0;
      INFO("from " << from << " length " << length);
      REQUIRE(count_newlines(piece) == expected);
    }
  }
  CHECK(count_newlines(std::string(64, '\n')) == 64);
  CHECK(count_newlines("") == 0);
}

}  // namespace
}  // namespace mc
