// Fuzz target: parse_exposition on any body, in both formats, and
// check_text_as_promtool (the check command's text 0.0.4 reader). The handler reads
// every byte of every view it is handed, so a view pointing outside the body
// or the parser's scratch buffer is an ASan report, not a silent pass.
//
// Then the text parser's guesses: the body is parsed again by a handler that
// offers the series and families of the first parse in their order, as a
// scrape cache does, and everything reported must be the same (a difference
// traps): the skipped labels and the compared metadata names are shortcuts
// that may not change a result.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/exposition/parser.hpp"
#include "common/exposition/promtool_text_check.hpp"

namespace {

class TouchingHandler final : public mc::ExpositionHandler {
 public:
  void on_family(const mc::FamilyView& family) override {
    touch(family.name);
    if (family.help) touch(*family.help);
    touch(family.unit);
  }
  void on_sample(const mc::SampleView& sample) override {
    touch(sample.name);
    touch(sample.family);
    touch(sample.series_id);
    for (const auto& label : sample.labels) {
      touch(label.name);
      touch(label.value);
    }
    if (sample.exemplar) {
      for (const auto& label : sample.exemplar->labels) {
        touch(label.name);
        touch(label.value);
      }
    }
  }

  size_t checksum = 0;

 private:
  void touch(std::string_view text) {
    for (const char c : text) checksum += static_cast<unsigned char>(c);
  }
};

// Writes down what a parse reports; with guesses set, offers them in turn.
class TranscriptHandler final : public mc::ExpositionHandler {
 public:
  void on_family(const mc::FamilyView& family) override {
    families.emplace_back(family.name);
    ++next_family_;
    transcript += "F|" + std::string(family.name) + "|" +
                  std::to_string(static_cast<int>(family.type)) + "|" +
                  (family.help ? "h" + std::string(*family.help) : "-") + "\n";
  }
  void on_sample(const mc::SampleView& sample) override {
    series.push_back(mc::KnownSeries{std::string_view(series_ids.emplace_back(sample.series_id)),
                                     sample.name.size()});
    ++next_series_;
    transcript += "S|" + std::string(sample.series_id) + "|" + std::string(sample.name) + "|" +
                  std::string(sample.family) + "|" + std::to_string(sample.value) + "|" +
                  std::to_string(sample.timestamp_ms.value_or(-1)) + "|" +
                  std::to_string(sample.line) + "\n";
    // Labels are not read when skipped; compare them only when both parses read them.
  }
  mc::KnownSeries expected_series() override {
    return next_series_ < guess_series.size() ? guess_series[next_series_] : mc::KnownSeries{};
  }
  std::string_view expected_family_name() override {
    return next_family_ < guess_families.size() ? std::string_view(guess_families[next_family_])
                                                : std::string_view();
  }

  std::string transcript;
  std::vector<std::string> families;
  std::vector<std::string> series_ids;  // reserved up front: KnownSeries views point into it
  std::vector<mc::KnownSeries> series;
  std::vector<std::string> guess_families;
  std::vector<mc::KnownSeries> guess_series;

 private:
  size_t next_family_ = 0;
  size_t next_series_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  TouchingHandler handler;
  (void)mc::parse_exposition(body, mc::ExpositionFormat::prometheus_text, handler);
  (void)mc::parse_exposition(body, mc::ExpositionFormat::openmetrics, handler,
                             {.parse_exemplars = true});
  (void)mc::parse_exposition(body, mc::ExpositionFormat::openmetrics, handler,
                             {.allow_repeated_families = true});
  (void)mc::check_text_as_promtool(body);

  TranscriptHandler first;
  first.series_ids.reserve(size + 1);  // at most one sample a byte: no reallocation
  const mc::Status first_status =
      mc::parse_exposition(body, mc::ExpositionFormat::prometheus_text, first);
  TranscriptHandler guessing;
  guessing.series_ids.reserve(size + 1);
  guessing.guess_families = first.families;
  guessing.guess_series = first.series;
  const mc::Status second_status =
      mc::parse_exposition(body, mc::ExpositionFormat::prometheus_text, guessing);
  if (first.transcript != guessing.transcript || first_status.is_ok() != second_status.is_ok() ||
      first_status.message() != second_status.message()) {
    __builtin_trap();
  }
  return 0;
}
